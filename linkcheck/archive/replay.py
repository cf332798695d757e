"""Answer requests from WARC files instead of the network.

A transport like any other: the resolver does not know it is replaying.
Redirects are stored as their own responses, so chains replay hop by hop.
A URL missing from the WARCs is an error naming them, never a live fetch.

Reads `response` and `revisit` records, from our WARCs and other tools':
a revisit gets the payload of the record it refers to (in any of the files),
and a body stored with its chunked framing (some tools keep it) is de-chunked.
"""

from __future__ import annotations

import contextlib
import io
import re
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

HEAD_BYTES = 64 * 1024  # the HTTP head (and the start of the payload) read when indexing
DEFAULT_MAX_BODY = 5 * 1024 * 1024


@dataclass
class StoredResponse:
    """One response or revisit record: its HTTP head, and where its payload is
    (read from the file on demand, up to a cap, never held by the index)."""

    url: str
    status: int
    reason: str
    http_version: str
    headers: list[tuple[str, str]]
    ip: str | None
    record_id: str
    date: str
    rec_type: str = "response"  # or "revisit"
    digest: str | None = None  # WARC-Payload-Digest
    refers_to: dict[str, str] = field(default_factory=dict)  # a revisit's WARC-Refers-To*
    warc: str = ""  # the file it came from
    missing: str | None = None  # a revisit whose original is in none of the files
    path: str = ""  # the WARC file
    offset: int = 0  # where the record starts in it
    chunked: bool = False  # the payload is stored with its chunked framing
    payload_from: StoredResponse | None = None  # a revisit: the record holding the payload
    partial: bool = False  # WARC-Truncated, or cut short in the file

    @property
    def not_modified_profile(self) -> bool:
        return self.refers_to.get("profile", "").endswith("/server-not-modified")

    def read_body(self, limit: int = DEFAULT_MAX_BODY) -> bytes:
        """The payload (still content-encoded, de-chunked), at most `limit` bytes."""
        if self.payload_from is not None:
            return self.payload_from.read_body(limit)
        if self.rec_type != "response" or not self.path:
            return b""
        with open(self.path, "rb") as stream:
            stream.seek(self.offset)
            record = next(iter(ArchiveIterator(stream, arc2warc=True, no_record_parse=True)))
            raw = record.raw_stream
            block = raw.read(HEAD_BYTES)
            body = _split_head(block)[1]
            # chunk framing costs a few bytes a chunk: read a little more than the cap
            want = (limit * 2 + 4096 if self.chunked else limit) - len(body)
            if want > 0:
                body += raw.read(want)
        if self.chunked:
            dechunked = dechunk(body)
            body = body if dechunked is None else dechunked
        return body[:limit]

    @property
    def body(self) -> bytes:
        return self.read_body()

    def payload_sha1(self) -> str:
        """The WARC digest of the whole stored payload, read in bounded steps."""
        import hashlib

        from linkcheck.archive.records import _b32

        h = hashlib.sha1()
        with open(self.path, "rb") as stream, contextlib.redirect_stderr(io.StringIO()):
            stream.seek(self.offset)
            record = next(iter(ArchiveIterator(stream, arc2warc=True, no_record_parse=True)))
            raw = record.raw_stream
            h.update(_split_head(raw.read(HEAD_BYTES))[1])
            while chunk := raw.read(1 << 16):
                h.update(chunk)
        return _b32(h.digest())


@dataclass
class WarcIndex:
    """Every response and revisit record of one WARC, and how the file ended."""

    records: list[StoredResponse]
    ended_early: str | None = None  # "ends early: record at offset N is cut short"


def index_warc(path: str | Path) -> WarcIndex:
    """Read one WARC's record heads, payloads skipped (in bounded steps)."""
    name = Path(path).name
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise InputError(f"cannot read WARC {path}: {exc.strerror}") from None
    found: list[StoredResponse] = []
    ended_early = None
    # warcio writes its own warnings about damaged records (binary data included)
    # to stderr: they become our one-line error instead.
    with stream, contextlib.redirect_stderr(io.StringIO()):
        if not looks_like_warc(stream):
            raise InputError(f"cannot read WARC {path}: not a WARC file")
        iterator = ArchiveIterator(stream, arc2warc=True, no_record_parse=True)
        offset = 0
        try:
            for record in iterator:
                offset = iterator.offset
                block = record.raw_stream.read(HEAD_BYTES)
                size = len(block)
                while chunk := record.raw_stream.read(1 << 16):
                    size += len(chunk)
                declared = record.length or 0
                if size < declared:
                    ended_early = (f"{name} ends early: the record at offset {offset} is cut "
                                   f"short ({size} of {declared} bytes)")
                if record.rec_type in ("response", "revisit"):
                    stored = _stored(record, block, name, str(path), offset)
                    if stored is not None:
                        stored.partial = bool(ended_early or stored.partial)
                        found.append(stored)
                if ended_early:
                    break
        except Exception as exc:  # a corrupt archive is bad input, not a crash
            raise InputError(f"cannot read WARC {path}: damaged after offset {offset} "
                             f"({printable(str(exc))})") from None
    return WarcIndex(found, ended_early)


def printable(text: str, limit: int = 100) -> str:
    """One short printable line from an error that may quote binary data."""
    text = text.split(", first line", 1)[0]  # warcio quotes the bytes it could not read
    flat = re.sub(r"(?:[^\x20-\x7e]|\\x[0-9a-fA-F]{2})+", "?", " ".join(text.split()))
    return flat[:limit] + ("..." if len(flat) > limit else "")


def read_records(path: str | Path):
    """Every response and revisit record of one WARC, in file order."""
    yield from index_warc(path).records


def load_responses(paths: Sequence[str | Path], notices: list[str] | None = None,
                   ) -> dict[str, StoredResponse]:
    """The latest capture of every URL in the WARCs (by WARC-Date, then file
    order), revisits resolved to the payload they refer to. A WARC that ends
    early is used up to its last whole record, and `notices` says so."""
    records = []
    for p in paths:
        index = index_warc(p)
        records += index.records
        if index.ended_early and notices is not None:
            notices.append(index.ended_early + "; the records after it are missing")
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
    return replace(rev, payload_from=original)


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


def _stored(record, block: bytes, warc_name: str, path: str,
            offset: int) -> StoredResponse | None:
    rec = record.rec_headers
    parsed = parse_http_response(block)
    if parsed is None:
        return None  # not an HTTP capture (dns:, ftp: ...)
    protocol, status, reason, headers, start = parsed
    headers, chunked = _unframe(headers, start if record.rec_type == "response" else b"")
    return StoredResponse(
        url=rec.get_header("WARC-Target-URI"), status=status, reason=reason,
        http_version=protocol, headers=headers,
        ip=rec.get_header("WARC-IP-Address"),
        record_id=rec.get_header("WARC-Record-ID") or "",
        date=rec.get_header("WARC-Date") or "",
        rec_type=record.rec_type, digest=rec.get_header("WARC-Payload-Digest"),
        refers_to={k: v for k, v in (
            ("id", rec.get_header("WARC-Refers-To")),
            ("uri", rec.get_header("WARC-Refers-To-Target-URI")),
            ("date", rec.get_header("WARC-Refers-To-Date")),
            ("profile", rec.get_header("WARC-Profile"))) if v},
        warc=warc_name, path=path, offset=offset, chunked=chunked,
        partial=bool(rec.get_header("WARC-Truncated")),
    )


def _split_head(block: bytes) -> tuple[bytes, bytes]:
    head, sep, body = block.partition(b"\r\n\r\n")
    if not sep:  # some tools end header lines with a bare LF
        head, sep, body = block.partition(b"\n\n")
    return head, body


def parse_http_response(block: bytes):
    """(protocol, status, reason, headers, body) from a response block, or None.
    Header bytes are kept as latin-1 text, so they go back out byte for byte."""
    if not block.startswith(b"HTTP/"):
        return None
    head, body = _split_head(block)
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
    status = int(code) if code.isascii() and code.isdigit() else 0
    return protocol, status, reason, headers, body


def _unframe(headers: list[tuple[str, str]], start: bytes) -> tuple[list, bool]:
    """Other tools sometimes store a chunked body with its framing and keep
    `Transfer-Encoding: chunked`; serve it de-chunked, without the header (our
    own WARCs rename it X-Orig-Transfer-Encoding, so it stays as stored). Some
    store a gzip body decoded and keep `Content-Encoding: gzip`.

    start: the first bytes of the stored payload. Returns the headers to serve
    and whether the payload must be de-chunked when read."""
    te = ", ".join(v for k, v in headers if k.lower() == "transfer-encoding").lower()
    chunked = False
    if "chunked" in te:
        headers = [(k, v) for k, v in headers if k.lower() != "transfer-encoding"]
        first = _first_chunk(start)
        if first is not None:
            chunked, start = True, first
    ce = ", ".join(v for k, v in headers if k.lower() == "content-encoding").strip().lower()
    if ce in ("gzip", "x-gzip") and start and not start.startswith(b"\x1f\x8b"):
        # A tool stored the decoded body but kept the header: serve it as it is.
        headers = [(k, v) for k, v in headers if k.lower() != "content-encoding"]
    return headers, chunked


def _first_chunk(data: bytes) -> bytes | None:
    """The start of the first chunk's data, or None when data is not chunked."""
    end = data.find(b"\r\n")
    if end < 0:
        return None
    try:
        int(data[:end].split(b";", 1)[0].strip(), 16)
    except ValueError:
        return None
    return data[end + 2:]


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
    def __init__(self, paths: Sequence[str | Path], max_body: int = DEFAULT_MAX_BODY):
        self.paths = [str(p) for p in paths]
        self.max_body = max_body
        self.notices: list[str] = []  # a WARC that ended early, and where
        self.responses = load_responses(paths, self.notices)
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
        # it does a live answer. Renamed framing headers stay renamed. One more
        # byte than the cap is read, so the resolver sees that it was cut.
        try:
            body = stored.read_body(self.max_body + 1)
        except OSError as exc:
            raise ReplayMissError(f"{url}: cannot read its record ({exc})") from None
        headers = [(k.encode("latin-1", "replace"), v.encode("latin-1", "replace"))
                   for k, v in stored.headers]
        return httpx.Response(
            stored.status, headers=headers, stream=httpx.ByteStream(body),
            extensions={"reason_phrase": stored.reason.encode("latin-1", "replace"),
                        "http_version": stored.http_version.encode(),
                        "linkcheck_ip": stored.ip},
        )
