"""Answer requests from WARC files instead of the network.

A transport like any other: the resolver does not know it is replaying.
Redirects are stored as their own responses, so chains replay hop by hop.
A URL missing from the WARCs is an error naming them, never a live fetch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx
from warcio.archiveiterator import ArchiveIterator

from linkcheck.errors import InputError


class ReplayMissError(Exception):
    pass


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



def load_responses(paths: list[str | Path]) -> dict[str, StoredResponse]:
    """Every response in the WARCs by target URI (the last capture wins),
    with revisit records resolved to the payload they refer to."""
    by_uri: dict[str, StoredResponse] = {}
    by_digest: dict[str, bytes] = {}
    revisits = []
    for path in paths:
        try:
            stream = open(path, "rb")  # noqa: SIM115 - closed by the with below
        except OSError as exc:
            raise InputError(f"cannot read WARC {path}: {exc.strerror}") from None
        with stream:
            if not _looks_like_warc(stream):
                raise InputError(f"cannot read WARC {path}: not a WARC file")
            try:
                for record in ArchiveIterator(stream, arc2warc=True):
                    if record.rec_type not in ("response", "revisit") or not record.http_headers:
                        continue
                    stored = _stored(record)
                    digest = record.rec_headers.get_header("WARC-Payload-Digest")
                    if record.rec_type == "revisit":
                        revisits.append((stored, digest))
                        continue
                    if digest:
                        by_digest.setdefault(digest, stored.body)
                    by_uri[stored.url] = stored
            except Exception as exc:  # a corrupt archive is bad input, not a crash
                raise InputError(f"cannot read WARC {path}: {exc}") from None
    for stored, digest in revisits:
        if digest in by_digest:
            stored.body = by_digest[digest]
            by_uri.setdefault(stored.url, stored)
    return by_uri


def _looks_like_warc(stream) -> bool:
    """A WARC (gzipped or not) starts with a "WARC/" version line."""
    import zlib

    head = stream.read(4096)
    stream.seek(0)
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith(b"WARC/")


def _stored(record) -> StoredResponse:
    http = record.http_headers
    status_line = http.get_statuscode() or "0"
    headers = [(k, v) for k, v in http.headers]
    body = record.raw_stream.read()
    reason = http.statusline.split(" ", 1)[1] if " " in http.statusline else ""
    return StoredResponse(
        url=record.rec_headers.get_header("WARC-Target-URI"),
        status=int(status_line) if status_line.isdigit() else 0,
        reason=reason, http_version=http.protocol or "HTTP/1.1",
        headers=headers, body=body,
        ip=record.rec_headers.get_header("WARC-IP-Address"),
        record_id=record.rec_headers.get_header("WARC-Record-ID"),
        date=record.rec_headers.get_header("WARC-Date"),
    )


class ReplayTransport(httpx.AsyncBaseTransport):
    def __init__(self, paths: list[str | Path]):
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
        # The stored body is still content-encoded; renamed framing headers stay renamed.
        return httpx.Response(
            stored.status, headers=stored.headers, stream=httpx.ByteStream(stored.body),
            extensions={"reason_phrase": stored.reason.encode("latin-1", "replace"),
                        "http_version": stored.http_version.encode(),
                        "linkcheck_replay": True, "linkcheck_ip": stored.ip},
        )
