"""Undo Content-Encoding with a cap on the decoded size, so a compression bomb
costs a bounded amount of memory and time.

Every coding (gzip, deflate, br, zstd) is decoded as a stream that hands out
at most CHUNK bytes at a time, and nested codings (`gzip, br`) are chained
stream to stream: no stage ever holds more than a chunk, and decoding stops as
soon as the final output passes the cap. Live and replayed bodies go through
the same function, so they have the same cap.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

from linkcheck.errors import DecodeError  # noqa: F401  (raised here; re-exported)

CHUNK = 64 * 1024  # most bytes one decoding step may produce
FEED = 16 * 1024  # compressed bytes handed to a decoder at a time
ZSTD_WINDOW_LOG_MAX = 23  # an 8 MB window, what browsers accept over HTTP (RFC 8878)


def decode_content(body: bytes, encoding: str | None, limit: int) -> tuple[bytes, bool]:
    """(decoded bytes, whether the limit cut them). Unknown or damaged encodings raise."""
    codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
    if all(c == "identity" for c in codings):  # nothing to undo: no copy, piece by piece
        return (body[:limit], True) if len(body) > limit else (body, False)
    stream: Iterator[bytes] = _pieces(body)
    for coding in reversed(codings):  # the last encoding applied is undone first
        stream = decoder(coding, stream)
    out = bytearray()
    try:
        for piece in stream:
            out += piece
            if len(out) > limit:
                del out[limit:]
                return bytes(out), True
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()  # stop the chain of generators at once
    return bytes(out), False


def decoder(coding: str, stream: Iterable[bytes]) -> Iterator[bytes]:
    """A stream of decoded pieces (each at most CHUNK bytes) for one coding."""
    if coding in ("identity", ""):
        return iter(stream)
    if coding in ("gzip", "x-gzip"):
        return _inflate(stream, zlib.MAX_WBITS | 16, "gzip")
    if coding == "deflate":
        return _deflate(stream)
    if coding == "br":
        return _brotli(stream)
    if coding == "zstd":
        return _zstd(stream)
    raise DecodeError(f"unsupported content-encoding {coding!r}")


def _pieces(body: bytes) -> Iterator[bytes]:
    view = memoryview(body)
    for i in range(0, len(view), FEED):
        yield bytes(view[i:i + FEED])


def _inflate(stream: Iterable[bytes], wbits: int, name: str) -> Iterator[bytes]:
    d = zlib.decompressobj(wbits)
    try:
        for data in stream:
            while data:
                out = d.decompress(data, CHUNK)
                data = d.unconsumed_tail
                if out:
                    yield out
                if d.eof:  # concatenated gzip members, as gzip(1) reads them
                    data = d.unused_data + data
                    if not data.strip(b"\0"):
                        return  # zero padding after the last member
                    d = zlib.decompressobj(wbits)
    except zlib.error as exc:
        raise DecodeError(f"bad {name} body: {exc}") from None


def _deflate(stream: Iterable[bytes]) -> Iterator[bytes]:
    """deflate is meant to be zlib-wrapped; some servers send it raw."""
    it = iter(stream)
    first = next(it, b"")
    wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
    wbits = zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS
    return _inflate(_prepend(first, it), wbits, "deflate")


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _brotli(stream: Iterable[bytes]) -> Iterator[bytes]:
    # brotlicffi rather than the `brotli` module: the brotlipy package that some
    # tools still pull in installs a `brotli` module of its own, with no way to
    # bound a decompression step's output.
    try:
        import brotlicffi
    except ImportError:  # pragma: no cover - a declared dependency
        raise DecodeError("brotli body but no brotli decoder installed") from None
    d = brotlicffi.Decompressor()
    try:
        for data in stream:
            if d.is_finished():
                return
            out = d.process(data, output_buffer_limit=CHUNK)
            if out:
                yield out
            while not d.can_accept_more_data():
                out = d.process(b"", output_buffer_limit=CHUNK)
                if out:
                    yield out
    except brotlicffi.error as exc:
        raise DecodeError(f"bad brotli body: {exc}") from None


def _zstd(stream: Iterable[bytes]) -> Iterator[bytes]:
    try:
        from compression import zstd  # type: ignore[import-not-found]  # Python 3.14+
    except ImportError:
        from backports import zstd  # type: ignore[import-not-found,no-redef]

    def new():
        return zstd.ZstdDecompressor(
            options={zstd.DecompressionParameter.window_log_max: ZSTD_WINDOW_LOG_MAX})

    d = new()
    try:
        for data in stream:
            while True:
                out = d.decompress(data, CHUNK)
                data = b""
                if out:
                    yield out
                if d.eof:  # one frame ends; another may follow
                    data = d.unused_data
                    d = new()
                    if not data:
                        break
                    continue
                if d.needs_input:
                    break
    except zstd.ZstdError as exc:
        raise DecodeError(f"bad zstd body: {exc}") from None
