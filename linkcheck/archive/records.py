"""WARC/1.1 records as bytes: headers, digests, one gzip member each.

We serialise records ourselves instead of through warcio's writer because
warcio re-encodes HTTP headers (it %-encodes non-ASCII values) and would
store something other than what came off the wire. Readers (warcio, pywb,
cdxj-indexer) still parse what we write; the tests check that.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
import zlib
from datetime import UTC, datetime

WARC_VERSION = "WARC/1.1"
REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
HTTP_RESPONSE = "application/http; msgtype=response"
HTTP_REQUEST = "application/http; msgtype=request"


def sha1_digest(data: bytes) -> str:
    """A WARC digest: the algorithm, a colon, base32 of the SHA-1."""
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def new_record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def warc_date(ts: float | None = None) -> str:
    """WARC/1.1 allows fractions of a second; captures close together stay ordered."""
    dt = datetime.fromtimestamp(ts, UTC) if ts is not None else datetime.now(UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def http_head(start_line: str, headers: list[tuple[str, str]]) -> bytes:
    """An HTTP message head as bytes. Values were decoded as latin-1 from the
    wire, so encoding them back as latin-1 restores the exact bytes."""
    lines = [start_line] + [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")


def build(rec_type: str, headers: list[tuple[str, str]], block: bytes,
          payload_offset: int | None = None) -> bytes:
    """One complete record, gzip-compressed as its own member.

    headers: the WARC headers other than WARC-Type, digests and Content-Length.
    payload_offset: where the payload starts in `block` (after an HTTP head),
    or None when the record has no payload digest (request without a body,
    revisit, warcinfo, metadata).
    """
    fields = [("WARC-Type", rec_type), *headers,
              ("WARC-Block-Digest", sha1_digest(block))]
    if payload_offset is not None:
        fields.append(("WARC-Payload-Digest", sha1_digest(block[payload_offset:])))
    fields.append(("Content-Length", str(len(block))))
    head = WARC_VERSION + "\r\n" + "".join(f"{k}: {_one_line(v)}\r\n" for k, v in fields)
    raw = head.encode("utf-8") + b"\r\n" + block + b"\r\n\r\n"
    compressor = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return compressor.compress(raw) + compressor.flush()


def _one_line(value: str) -> str:
    # A header value with a line break would end the WARC header block early.
    return " ".join(str(value).split()) if ("\n" in str(value) or "\r" in str(value)) \
        else str(value)
