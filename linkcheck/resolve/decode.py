"""Undo Content-Encoding with a cap on the decoded size, so a gzip bomb costs
a bounded amount of memory and time."""

from __future__ import annotations

import zlib

from linkcheck.errors import DecodeError  # noqa: F401  (raised here; re-exported)


def decode_content(body: bytes, encoding: str | None, limit: int) -> tuple[bytes, bool]:
    """(decoded bytes, whether the limit cut them). Unknown encodings raise."""
    codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
    truncated = False
    for coding in reversed(codings):  # the last encoding applied is undone first
        if coding in ("identity", ""):
            continue
        if coding in ("gzip", "x-gzip"):
            body, cut = _inflate(body, zlib.MAX_WBITS | 32, limit)
        elif coding == "deflate":
            try:
                body, cut = _inflate(body, zlib.MAX_WBITS, limit)
            except DecodeError:  # some servers send raw deflate without the zlib header
                body, cut = _inflate(body, -zlib.MAX_WBITS, limit)
        elif coding == "br":
            body, cut = _brotli(body, limit)
        else:
            raise DecodeError(f"unsupported content-encoding {coding!r}")
        truncated = truncated or cut
    return body, truncated


def _inflate(data: bytes, wbits: int, limit: int) -> tuple[bytes, bool]:
    d = zlib.decompressobj(wbits)
    try:
        out = d.decompress(data, limit + 1)
    except zlib.error as exc:
        raise DecodeError(f"bad compressed body: {exc}") from None
    if len(out) > limit:
        return out[:limit], True
    return out, False


def _brotli(data: bytes, limit: int) -> tuple[bytes, bool]:
    try:
        import brotli  # optional: we only ask for br when it is installed
    except ImportError:
        raise DecodeError("brotli body but no brotli decoder installed") from None
    try:
        out = brotli.decompress(data)
    except brotli.error as exc:
        raise DecodeError(f"bad brotli body: {exc}") from None
    return (out[:limit], True) if len(out) > limit else (out, False)
