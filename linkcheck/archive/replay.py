"""Answer requests from WARC files instead of the network.

A transport like any other: the resolver does not know it is replaying.
Redirects are stored as their own responses, so chains replay hop by hop.
A URL missing from the WARCs is an error naming them, never a live fetch.

Reads `response` and `revisit` records, from our WARCs and other tools':
a revisit gets the payload of the record it refers to (in any of the files),
and a body stored with its chunked framing (some tools keep it) is de-chunked.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import httpx
from warcio.archiveiterator import ArchiveIterator

from linkcheck.errors import (
    InputError,
    ReplayMissError,  # noqa: F401  (raised here; re-exported)
)


@dataclass
class StoredResponse:
    url: str
    status: int
    reason: str
    http_version: str
    headers: list[tuple[str, str]]
    body: bytes
    ip: str | None
    record_id: str
    date: str
    rec_type: str = "response"  # or "revisit"
    digest: str | None = None  # WARC-Payload-Digest
    refers_to: dict[str, str] = field(default_factory=dict)  # a revisit's WARC-Refers-To*
    warc: str = ""  # the file it came from
    missing: str | None = None  # a revisit whose original is in none of the files

    @property
    def not_modified_profile(self) -> bool:
        return self.refers_to.get("profile", "").endswith("/server-not-modified")


def read_records(path: str | Path):
    """Every response and revisit record of one WARC, in file order."""
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise InputError(f"cannot read WARC {path}: {exc.strerror}") from None
    with stream:
        if not looks_like_warc(stream):
            raise InputError(f"cannot read WARC {path}: not a WARC file")
        try:
            # no_record_parse: we parse the HTTP head ourselves, from its bytes;
            # warcio would decode header values as UTF-8 where it can.
            for record in ArchiveIterator(stream, arc2warc=True, no_record_parse=True):
                if record.rec_type in ("response", "revisit"):
                    stored = _stored(record, Path(path).name)
                    if stored is not None:
                        yield stored
        except InputError:
            raise
        except Exception as exc:  # a corrupt archive is bad input, not a crash
            raise InputError(f"cannot read WARC {path}: {exc}") from None


def load_responses(paths: Sequence[str | Path]) -> dict[str, StoredResponse]:
    """The latest capture of every URL in the WARCs (by WARC-Date, then file
    order), revisits resolved to the payload they refer to."""
    records = [r for p in paths for r in read_records(p)]
    originals = [r for r in records if r.rec_type == "response"]
    by_id = {r.record_id: r for r in originals}
    by_digest: dict[str, list[StoredResponse]] = {}
    for r in originals:
        if r.digest:
            by_digest.setdefault(r.digest, []).append(r)
    by_uri: dict[str, StoredResponse] = {}
    for r in records:
        if r.rec_type == "revisit":
            r = _resolve_revisit(r, by_id, by_digest, originals)
        current = by_uri.get(r.url)
        if current is None or r.date >= current.date:  # ISO dates sort as text
            by_uri[r.url] = r
    return by_uri


def _resolve_revisit(rev: StoredResponse, by_id, by_digest, originals) -> StoredResponse:
    uri, date = rev.refers_to.get("uri"), rev.refers_to.get("date")
    original = by_id.get(rev.refers_to.get("id", ""))
    if original is None and rev.digest:
        same = by_digest.get(rev.digest, [])
        original = next((o for o in same if o.url == uri), same[0] if same else None)
    if original is None and uri and date:
        original = next((o for o in originals if o.url == uri and o.date == date), None)
    if original is None:
        where = f" of {uri} ({date})" if uri else ""
        return replace(rev, missing=f"{rev.url} is stored as a revisit{where} whose payload "
                       "is in none of the replayed WARCs; add that WARC with another --replay")
    if rev.not_modified_profile:  # a 304 revisit: the original's answer stands
        return replace(original, url=rev.url, date=rev.date, record_id=rev.record_id)
    return replace(rev, body=original.body)


def looks_like_warc(stream) -> bool:
    """A WARC (gzipped or not) starts with a "WARC/" version line."""
    head = stream.read(4096)
    stream.seek(0)
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith(b"WARC/")


def _stored(record, warc_name: str) -> StoredResponse | None:
    rec = record.rec_headers
    parsed = parse_http_response(record.raw_stream.read())
    if parsed is None:
        return None  # not an HTTP capture (dns:, ftp: ...)
    protocol, status, reason, headers, body = parsed
    headers, body = _unframe(headers, body)
    return StoredResponse(
        url=rec.get_header("WARC-Target-URI"), status=status, reason=reason,
        http_version=protocol, headers=headers, body=body,
        ip=rec.get_header("WARC-IP-Address"),
        record_id=rec.get_header("WARC-Record-ID") or "",
        date=rec.get_header("WARC-Date") or "",
        rec_type=record.rec_type, digest=rec.get_header("WARC-Payload-Digest"),
        refers_to={k: v for k, v in (
            ("id", rec.get_header("WARC-Refers-To")),
            ("uri", rec.get_header("WARC-Refers-To-Target-URI")),
            ("date", rec.get_header("WARC-Refers-To-Date")),
            ("profile", rec.get_header("WARC-Profile"))) if v},
        warc=warc_name,
    )


def parse_http_response(block: bytes):
    """(protocol, status, reason, headers, body) from a response block, or None.
    Header bytes are kept as latin-1 text, so they go back out byte for byte."""
    if not block.startswith(b"HTTP/"):
        return None
    head, sep, body = block.partition(b"\r\n\r\n")
    if not sep:  # some tools end header lines with a bare LF
        head, sep, body = block.partition(b"\n\n")
    lines = head.decode("latin-1").replace("\r\n", "\n").split("\n")
    protocol, _, rest = lines[0].partition(" ")
    code, _, reason = rest.strip().partition(" ")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:  # an obsolete folded continuation
            name, value = headers[-1]
            headers[-1] = (name, value + " " + line.strip())
        elif ":" in line:
            name, value = line.split(":", 1)
            headers.append((name.strip(), value.strip()))
    return protocol, int(code) if code.isdigit() else 0, reason, headers, body


def _unframe(headers: list[tuple[str, str]], body: bytes) -> tuple[list, bytes]:
    """Other tools sometimes store a chunked body with its framing and keep
    `Transfer-Encoding: chunked`; serve it de-chunked, without the header (our
    own WARCs rename it X-Orig-Transfer-Encoding, so it stays as stored). Some
    store a gzip body decoded and keep `Content-Encoding: gzip`."""
    te = ", ".join(v for k, v in headers if k.lower() == "transfer-encoding").lower()
    if "chunked" in te:
        headers = [(k, v) for k, v in headers if k.lower() != "transfer-encoding"]
        dechunked = dechunk(body)
        body = body if dechunked is None else dechunked
    ce = ", ".join(v for k, v in headers if k.lower() == "content-encoding").strip().lower()
    if ce in ("gzip", "x-gzip") and body and not body.startswith(b"\x1f\x8b"):
        # A tool stored the decoded body but kept the header: serve it as it is.
        headers = [(k, v) for k, v in headers if k.lower() != "content-encoding"]
    return headers, body


def dechunk(data: bytes) -> bytes | None:
    """The body without chunked framing; None when `data` is not chunked
    (a tool de-chunked it but kept the header)."""
    out, pos = bytearray(), 0
    while True:
        end = data.find(b"\r\n", pos)
        if end < 0:
            return None
        size_field = data[pos:end].split(b";", 1)[0].strip()
        try:
            size = int(size_field, 16)
        except ValueError:
            return None
        if size == 0:
            return bytes(out)
        start = end + 2
        if start + size > len(data):
            return None if not out else bytes(out + data[start:])  # cut short: keep it
        out += data[start:start + size]
        pos = start + size
        if data[pos:pos + 2] == b"\r\n":
            pos += 2


class ReplayTransport(httpx.AsyncBaseTransport):
    def __init__(self, paths: Sequence[str | Path]):
        self.paths = [str(p) for p in paths]
        self.responses = load_responses(paths)
        self.requests: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        self.requests.append(url)
        stored = self.responses.get(url)
        if stored is None:
            names = ", ".join(Path(p).name for p in self.paths)
            raise ReplayMissError(f"{url} is not in the replayed WARC ({names})")
        if stored.missing:
            raise ReplayMissError(stored.missing)
        # The stored body is still content-encoded: the resolver decodes it, as
        # it does a live answer. Renamed framing headers stay renamed.
        headers = [(k.encode("latin-1", "replace"), v.encode("latin-1", "replace"))
                   for k, v in stored.headers]
        return httpx.Response(
            stored.status, headers=headers, stream=httpx.ByteStream(stored.body),
            extensions={"reason_phrase": stored.reason.encode("latin-1", "replace"),
                        "http_version": stored.http_version.encode(),
                        "linkcheck_ip": stored.ip},
        )
