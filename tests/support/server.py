"""A fault-injecting HTTP/1.1 test server.

Pure asyncio with hand-written request parsing, run on its own event loop in a
background thread so synchronous tests (which may start a CLI subprocess) and
async tests can both use it::

    with FaultServer(hosts=3) as srv:
        srv.route("/ok", respond(200, "<p>fine</p>"))
        srv.route("/x", respond(200, "two"), host="127.0.0.2")
        srv.route("/flaky", sequence(respond(503), respond(200, "ok")))
        url = srv.base(2) + "/x"

It listens on 127.0.0.1 .. 127.0.0.N, all on one port, so ``base(i)`` names
N distinct hosts. Handlers are ``async def h(req: Request, w: Writer)``; the
factories below (``respond``, ``redirect``, ``gzip``, ``chunked``, ``drip``,
``hang``, ``reset``, ``garbage``, ``huge``, ``gzip_bomb``, ``sequence``,
``retry_after``, ``method_split``) build the usual ones.

A HEAD request never gets a body: ``Writer`` drops body bytes for it, so every
handler is HEAD-correct. ``stop()`` cancels handlers in progress (hangs,
drips, huge bodies) and returns within about a second.
"""

from __future__ import annotations

import asyncio
import functools
import http
import socket
import struct
import sys
import threading
import time
import traceback
import zlib
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass

MAX_LINE = 16 * 1024
MAX_HEADERS = 200
MAX_HEADER_BYTES = 64 * 1024
MAX_REQUEST_BODY = 64 * 1024 * 1024

HeadersArg = Mapping[str, str] | Iterable[tuple[str, str]] | None


@dataclass
class Hit:
    host_addr: str  # local address the client connected to, e.g. "127.0.0.2"
    host_header: str  # the Host header as sent ("" if none), port included
    method: str
    path: str  # request target, query included
    headers: dict[str, str]  # lower-case keys; repeated headers joined by ", "
    time: float  # time.monotonic() when the request head was read


@dataclass
class Request:
    method: str
    path: str  # request target, query included (as in Hit.path)
    route_path: str  # path without the query, used for routing
    version: str  # "HTTP/1.1"
    headers: dict[str, str]  # lower-case keys
    host_addr: str  # local address connected to
    host_header: str  # raw Host header ("" if none)
    body: bytes = b""
    peer: tuple | None = None
    index: int = 0  # position of this request's Hit in FaultServer.hits

    @property
    def host_name(self) -> str:
        """The Host header without port, lower-case."""
        return _host_name(self.host_header)


Handler = Callable[[Request, "Writer"], Awaitable[None]]


def _host_name(host_header: str) -> str:
    h = host_header.strip().lower()
    if h.startswith("["):
        end = h.find("]")
        return h[: end + 1] if end != -1 else h
    return h.rsplit(":", 1)[0] if ":" in h else h


def _header_list(headers: HeadersArg) -> list[tuple[str, str]]:
    if headers is None:
        return []
    if isinstance(headers, Mapping):
        return [(str(k), str(v)) for k, v in headers.items()]
    return [(str(k), str(v)) for k, v in headers]


def _has(headers: list[tuple[str, str]], name: str) -> bool:
    name = name.lower()
    return any(k.lower() == name for k, _ in headers)


def _get(headers: list[tuple[str, str]], name: str) -> str | None:
    name = name.lower()
    for k, v in headers:
        if k.lower() == name:
            return v
    return None


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _as_bytes(body: bytes | str) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else bytes(body)


class Writer:
    """The response side of one request.

    ``start()`` sends the status line and headers, ``write()`` body bytes
    (dropped for HEAD), ``write_chunk()``/``finish()`` chunked framing,
    ``raw()`` bytes with no framing at all. ``close()`` ends the connection
    after the handler returns, ``reset()`` ends it at once with a TCP RST.
    The connection is kept alive only if the response was completely framed.
    """

    def __init__(self, req: Request, reader: asyncio.StreamReader,
                 writer: asyncio.StreamWriter, keep_alive: bool):
        self.req = req
        self.reader = reader
        self.stream = writer
        self.head_only = req.method == "HEAD"
        self.keep_alive = keep_alive
        self.head_sent = False
        self.status: int | None = None
        self.closed = False  # close after the handler
        self.aborted = False
        self._no_body = False
        self._length: int | None = None
        self._chunked = False
        self._finished = False
        self._written = 0

    # -- state ---------------------------------------------------------------

    def client_gone(self) -> bool:
        """True once the client has closed or reset the connection."""
        return (self.aborted or self.stream.transport.is_closing()
                or self.reader.at_eof())

    @property
    def complete(self) -> bool:
        """The response is fully framed, so the connection can carry another."""
        if not self.head_sent or self.aborted:
            return False
        if self.head_only or self._no_body:
            return True
        if self._chunked:
            return self._finished
        if self._length is not None:
            return self._written == self._length
        return False

    # -- output --------------------------------------------------------------

    async def start(self, status: int = 200, headers: HeadersArg = None,
                    reason: str | None = None) -> None:
        if self.head_sent:
            raise RuntimeError("response head already sent")
        hl = _header_list(headers)
        self.status = status
        self._no_body = 100 <= status < 200 or status in (204, 304)
        te = (_get(hl, "transfer-encoding") or "").lower()
        self._chunked = "chunked" in te
        cl = _get(hl, "content-length")
        if cl is not None and not self._chunked:
            try:
                self._length = int(cl)
            except ValueError:
                self._length = None
        delimited = self.head_only or self._no_body or self._chunked or self._length is not None
        if not delimited:
            self.closed = True  # body ends when the connection does
        if not self.keep_alive:
            self.closed = True
        if self.closed and not _has(hl, "connection"):
            hl.append(("Connection", "close"))
        lines = [f"HTTP/1.1 {status} {reason or _reason(status)}\r\n"]
        lines += [f"{k}: {v}\r\n" for k, v in hl]
        lines.append("\r\n")
        self.head_sent = True
        self.stream.write("".join(lines).encode("latin-1"))
        await self.stream.drain()

    async def write(self, data: bytes | str, drain: bool = True) -> None:
        if not self.head_sent:
            raise RuntimeError("start() the response first")
        data = _as_bytes(data)
        if self.head_only or self._no_body or not data:
            return
        self._written += len(data)
        self.stream.write(data)
        if drain:
            await self.stream.drain()

    async def write_chunk(self, data: bytes | str) -> None:
        data = _as_bytes(data)
        if not data:
            return
        await self.write(b"%x\r\n%s\r\n" % (len(data), data))

    async def finish(self) -> None:
        """End a chunked body (no-op for other framings)."""
        if self._chunked and not self._finished:
            await self.write(b"0\r\n\r\n")
            self._finished = True

    async def send(self, status: int = 200, body: bytes | str = b"",
                   headers: HeadersArg = None,
                   content_type: str | None = "text/html; charset=utf-8") -> None:
        """A whole response with Content-Length."""
        body = _as_bytes(body)
        hl = _header_list(headers)
        if content_type and not _has(hl, "content-type"):
            hl.append(("Content-Type", content_type))
        if not _has(hl, "content-length") and not _has(hl, "transfer-encoding"):
            hl.append(("Content-Length", str(len(body))))
        await self.start(status, hl)
        await self.write(body)

    async def raw(self, data: bytes) -> None:
        """Bytes straight to the socket, no framing; closes after the handler."""
        self.closed = True
        self.head_sent = True
        self.stream.write(data)
        await self.stream.drain()

    def close(self) -> None:
        """Close the connection once the handler returns."""
        self.closed = True

    def reset(self) -> None:
        """Close the connection now with a TCP RST (SO_LINGER 0)."""
        self.closed = True
        self.aborted = True
        sock = self.stream.get_extra_info("socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
        self.stream.transport.abort()

    async def wait_disconnect(self) -> None:
        """Wait until the client closes the connection (input is discarded)."""
        while not self.aborted:
            try:
                data = await self.reader.read(65536)
            except (ConnectionError, OSError):
                return
            if not data:
                return


class _BadRequest(Exception):
    pass


class FaultServer:
    """HTTP/1.1 server on 127.0.0.1 .. 127.0.0.{hosts}, one shared port."""

    def __init__(self, hosts: int = 1):
        if not 1 <= hosts <= 254:
            raise ValueError("hosts must be between 1 and 254")
        self.hosts = hosts
        self.addrs = [f"127.0.0.{i}" for i in range(1, hosts + 1)]
        self.port = 0
        self.hits: list[Hit] = []
        self.max_in_flight: dict[str, int] = {a: 0 for a in self.addrs}
        self.max_in_flight_total = 0
        self.in_flight: dict[str, int] = {a: 0 for a in self.addrs}
        self.in_flight_total = 0
        self._routes: dict[tuple[str, str | None], Handler] = {}
        self._default: Handler | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: list[asyncio.Server] = []
        self._closing = False
        self._conns: set[asyncio.Task] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    # -- configuration -------------------------------------------------------

    def base(self, i: int = 1) -> str:
        if not 1 <= i <= self.hosts:
            raise ValueError(f"host {i} not served (hosts={self.hosts})")
        return f"http://127.0.0.{i}:{self.port}"

    def url(self, path: str, i: int = 1) -> str:
        return self.base(i) + path

    def route(self, path: str, handler: Handler, host: str | None = None) -> None:
        """Serve ``path`` (exact, without query) with ``handler``; ``host`` is a
        local address ("127.0.0.2") or a Host header name (no port)."""
        self._routes[(path, host.lower() if host else None)] = handler

    def default(self, handler: Handler) -> None:
        self._default = handler

    def hits_for(self, path: str) -> list[Hit]:
        """Hits whose path equals ``path``; without "?" in ``path`` the query of
        the hit is ignored."""
        if "?" in path:
            return [h for h in list(self.hits) if h.path == path]
        return [h for h in list(self.hits) if h.path.split("?", 1)[0] == path]

    def wait_idle(self, timeout: float = 2.0) -> bool:
        """Wait until no request is being handled; False on timeout. (A client
        can have its whole answer a moment before the handler returns.)"""
        deadline = time.monotonic() + timeout
        while self.in_flight_total:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.005)
        return True

    def clear(self) -> None:
        """Forget hits and in-flight peaks."""
        self.hits.clear()
        self.max_in_flight = {a: 0 for a in self.addrs}
        self.max_in_flight_total = 0

    def _find(self, req: Request) -> Handler:
        for key in ((req.route_path, req.host_addr), (req.route_path, req.host_name),
                    (req.route_path, None)):
            h = self._routes.get(key)
            if h is not None:
                return h
        return self._default or _not_found

    # -- lifecycle -----------------------------------------------------------

    def start(self) -> FaultServer:
        if self._thread is not None:
            return self
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="FaultServer", daemon=True)
        self._thread.start()
        try:
            asyncio.run_coroutine_threadsafe(self._open(), loop).result(timeout=10)
        except BaseException:
            self.stop()
            raise
        return self

    def _run(self) -> None:
        assert self._loop is not None
        asyncio.set_event_loop(self._loop)
        loop = self._loop
        try:
            loop.run_forever()
            # Anything still pending (e.g. a connection accepted while stopping).
            pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
            for t in pending:
                t.cancel()
            if pending:
                loop.run_until_complete(asyncio.wait(pending, timeout=0.5))
        finally:
            loop.close()

    async def _open(self) -> None:
        last: OSError | None = None
        for _ in range(50):
            servers = []
            try:
                first = await asyncio.start_server(self._client, "127.0.0.1", 0, backlog=1024)
                servers.append(first)
                port = first.sockets[0].getsockname()[1]
                for addr in self.addrs[1:]:
                    servers.append(await asyncio.start_server(
                        self._client, addr, port, backlog=1024))
            except OSError as e:
                last = e
                for s in servers:
                    s.close()
                continue
            self._servers = servers
            self.port = port
            return
        raise OSError(f"could not bind one port on {self.addrs}: {last}")

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        if loop.is_running():
            fut = asyncio.run_coroutine_threadsafe(self._close(), loop)
            try:
                fut.result(timeout=2)
            except Exception:
                traceback.print_exc(file=sys.stderr)
            loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=2)
        self._thread = None
        self._loop = None

    async def _close(self) -> None:
        self._closing = True
        for s in self._servers:
            s.close()
        self._servers = []
        tasks = [t for t in self._conns if not t.done()]
        for t in tasks:
            t.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=0.5)
        for w in list(self._writers):
            w.transport.abort()
        await asyncio.sleep(0)  # let connection_lost callbacks run

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- connections ---------------------------------------------------------

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._closing:
            writer.transport.abort()
            return
        task = asyncio.current_task()
        if task is not None:
            self._conns.add(task)
        self._writers.add(writer)
        sockname = writer.get_extra_info("sockname") or ("?", 0)
        addr = sockname[0]
        peer = writer.get_extra_info("peername")
        w: Writer | None = None
        try:
            while True:
                try:
                    req, keep_alive = await self._read_request(reader, addr, peer)
                except _BadRequest as e:
                    msg = f"bad request: {e}\n".encode()
                    writer.write(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n"
                                 b"Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s"
                                 % (len(msg), msg))
                    await writer.drain()
                    break
                if req is None:
                    break
                w = Writer(req, reader, writer, keep_alive)
                await self._handle(req, w)
                if w.aborted or w.closed or not w.complete:
                    break
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            pass
        except asyncio.CancelledError:
            # Only stop() cancels these. Python 3.11's StreamReaderProtocol
            # calls task.exception() on the finished task, which raises (and
            # logs a traceback) for a cancelled one, so end normally instead.
            writer.transport.abort()
        finally:
            self._writers.discard(writer)
            if task is not None:
                self._conns.discard(task)
            if w is None or not w.aborted:
                try:
                    writer.close()
                except Exception:
                    pass

    async def _handle(self, req: Request, w: Writer) -> None:
        addr = req.host_addr
        self.in_flight[addr] = self.in_flight.get(addr, 0) + 1
        self.in_flight_total += 1
        self.max_in_flight[addr] = max(self.max_in_flight.get(addr, 0), self.in_flight[addr])
        self.max_in_flight_total = max(self.max_in_flight_total, self.in_flight_total)
        try:
            handler = self._find(req)
            try:
                await handler(req, w)
            except (ConnectionError, asyncio.IncompleteReadError):
                w.closed = True
            except asyncio.CancelledError:
                raise
            except Exception:
                print(f"FaultServer: handler for {req.method} {req.path} failed:",
                      file=sys.stderr)
                traceback.print_exc(file=sys.stderr)
                w.closed = True
                if not w.head_sent and not w.client_gone():
                    msg = f"handler error: {sys.exc_info()[1]!r}\n"
                    try:
                        await w.send(500, msg, {"Connection": "close"}, "text/plain")
                    except Exception:
                        pass
        finally:
            self.in_flight[addr] -= 1
            self.in_flight_total -= 1

    async def _read_request(self, reader: asyncio.StreamReader, addr: str,
                            peer) -> tuple[Request | None, bool]:
        line = b""
        for _ in range(5):  # tolerate a few stray CRLFs between requests
            line = await _readline(reader)
            if line is None:
                return None, False
            if line.strip():
                break
        else:
            return None, False
        parts = line.decode("latin-1").strip().split()
        if len(parts) != 3 or not parts[2].startswith("HTTP/"):
            raise _BadRequest(f"request line {line[:80]!r}")
        method, target, version = parts
        headers: dict[str, str] = {}
        total = 0
        for _ in range(MAX_HEADERS + 1):
            hline = await _readline(reader)
            if hline is None:
                return None, False
            total += len(hline)
            if total > MAX_HEADER_BYTES:
                raise _BadRequest("headers too large")
            if not hline.strip():
                break
            text = hline.decode("latin-1").rstrip("\r\n")
            name, sep, value = text.partition(":")
            if not sep or not name.strip():
                raise _BadRequest(f"header line {hline[:80]!r}")
            key = name.strip().lower()
            value = value.strip()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        else:
            raise _BadRequest("too many headers")
        now = time.monotonic()

        body = b""
        te = headers.get("transfer-encoding", "").lower()
        if "chunked" in te:
            body = await _read_chunked(reader)
        elif "content-length" in headers:
            try:
                n = int(headers["content-length"])
            except ValueError:
                raise _BadRequest("bad content-length") from None
            if n < 0 or n > MAX_REQUEST_BODY:
                raise _BadRequest("content-length out of range")
            body = await reader.readexactly(n)

        conn = headers.get("connection", "").lower()
        if version == "HTTP/1.1":
            keep_alive = "close" not in conn
        else:
            keep_alive = "keep-alive" in conn

        host_header = headers.get("host", "")
        hit = Hit(host_addr=addr, host_header=host_header, method=method, path=target,
                  headers=dict(headers), time=now)
        self.hits.append(hit)
        req = Request(method=method, path=target, route_path=target.split("?", 1)[0],
                      version=version, headers=headers, host_addr=addr,
                      host_header=host_header, body=body, peer=peer,
                      index=len(self.hits) - 1)
        return req, keep_alive


async def _readline(reader: asyncio.StreamReader) -> bytes | None:
    """One line (with its terminator); None at a clean EOF."""
    try:
        line = await reader.readuntil(b"\n")
    except asyncio.IncompleteReadError as e:
        if not e.partial:
            return None
        raise
    except asyncio.LimitOverrunError:
        raise _BadRequest("line too long") from None
    if len(line) > MAX_LINE:
        raise _BadRequest("line too long")
    return line


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    out = bytearray()
    for _ in range(100_000):
        line = await _readline(reader)
        if line is None:
            raise asyncio.IncompleteReadError(b"", None)
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise _BadRequest("bad chunk size") from None
        if size == 0:
            for _ in range(MAX_HEADERS):  # trailers
                t = await _readline(reader)
                if t is None or not t.strip():
                    return bytes(out)
            raise _BadRequest("too many trailers")
        if len(out) + size > MAX_REQUEST_BODY:
            raise _BadRequest("request body too large")
        out += await reader.readexactly(size)
        await reader.readexactly(2)
    raise _BadRequest("too many chunks")


# -- handler factories -------------------------------------------------------


async def _not_found(req: Request, w: Writer) -> None:
    await w.send(404, "<html><body><h1>not found</h1></body></html>")


def respond(status: int = 200, body: bytes | str = b"", headers: HeadersArg = None,
            delay: float = 0, content_type: str | None = "text/html; charset=utf-8") -> Handler:
    """A fixed response with Content-Length; ``delay`` seconds before it."""
    data = _as_bytes(body)
    hl = _header_list(headers)

    async def handler(req: Request, w: Writer) -> None:
        if delay:
            await asyncio.sleep(delay)
        await w.send(status, data, hl, content_type)

    return handler


def redirect(location: str, status: int = 301, headers: HeadersArg = None) -> Handler:
    hl = [("Location", location), *_header_list(headers)]
    body = f'<html><body><a href="{location}">moved</a></body></html>'
    return respond(status, body, hl)


def gzip(body: bytes | str, status: int = 200, headers: HeadersArg = None,
         content_type: str | None = "text/html; charset=utf-8") -> Handler:
    """``body`` gzip-encoded, with ``Content-Encoding: gzip``."""
    c = zlib.compressobj(6, zlib.DEFLATED, 31)
    data = c.compress(_as_bytes(body)) + c.flush()
    hl = [("Content-Encoding", "gzip"), *_header_list(headers)]
    return respond(status, data, hl, content_type=content_type)


def chunked(body: bytes | str, chunk_size: int = 100, headers: HeadersArg = None,
            status: int = 200,
            content_type: str | None = "text/html; charset=utf-8") -> Handler:
    """``body`` with ``Transfer-Encoding: chunked`` framing, ``chunk_size`` a chunk."""
    data = _as_bytes(body)
    size = max(1, chunk_size)
    hl = _header_list(headers)
    if content_type and not _has(hl, "content-type"):
        hl.append(("Content-Type", content_type))
    hl.append(("Transfer-Encoding", "chunked"))

    async def handler(req: Request, w: Writer) -> None:
        await w.start(status, hl)
        for i in range(0, len(data), size):
            await w.write_chunk(data[i:i + size])
        await w.finish()

    return handler


def drip(total_bytes: int = 10_000, interval: float = 1.0,
         content_type: str = "text/html; charset=utf-8") -> Handler:
    """Headers at once (Content-Length ``total_bytes``), then one byte each
    ``interval`` seconds; stops when the client goes away."""

    async def handler(req: Request, w: Writer) -> None:
        await w.start(200, [("Content-Type", content_type),
                            ("Content-Length", str(total_bytes))])
        if w.head_only:
            return
        for _ in range(total_bytes):
            await asyncio.sleep(interval)
            if w.client_gone():
                w.close()
                return
            await w.write(b"x")

    return handler


def hang() -> Handler:
    """Read the request and never answer (until the client leaves or stop())."""

    async def handler(req: Request, w: Writer) -> None:
        w.close()
        await w.wait_disconnect()

    return handler


def reset() -> Handler:
    """Read the request, then close with a TCP RST."""

    async def handler(req: Request, w: Writer) -> None:
        w.reset()

    return handler


GARBAGE = b"\x00\xffnot http at all\r\n\r\n"


def garbage(data: bytes = GARBAGE) -> Handler:
    """Answer with bytes that are not HTTP, then close."""

    async def handler(req: Request, w: Writer) -> None:
        await w.raw(data)

    return handler


_FILLER = (b"<p>" + b"lorem ipsum dolor sit amet " * 36 + b"</p>\n") * 64  # ~63 KiB


def huge(size_bytes: int, content_type: str = "text/html") -> Handler:
    """A ``size_bytes`` body, generated while it is sent."""

    async def handler(req: Request, w: Writer) -> None:
        await w.start(200, [("Content-Type", content_type),
                            ("Content-Length", str(size_bytes))])
        left = size_bytes
        while left > 0 and not w.head_only:
            if w.client_gone():
                w.close()
                return
            piece = _FILLER[:left]
            await w.write(piece)
            left -= len(piece)

    return handler


@functools.lru_cache(maxsize=8)
def gzip_bomb_body(decompressed_size: int) -> bytes:
    """A gzip member of ``decompressed_size`` zero bytes, about 1000 times smaller.

    Built from one compressed MiB repeated: after Z_FULL_FLUSH a deflate
    compressor starts afresh, so each full MiB compresses to the same bytes."""
    mib = 1 << 20
    zeros = bytes(mib)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    full, rest = divmod(decompressed_size, mib)
    tail = c.compress(bytes(rest)) + c.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(full):
        crc = zlib.crc32(zeros, crc)
    crc = zlib.crc32(bytes(rest), crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc & 0xFFFFFFFF, decompressed_size & 0xFFFFFFFF)
    return header + block * full + tail + trailer


def gzip_bomb(decompressed_size: int = 200_000_000,
              content_type: str = "text/html; charset=utf-8") -> Handler:
    """A small ``Content-Encoding: gzip`` body that inflates to ``decompressed_size``."""
    body = gzip_bomb_body(decompressed_size)
    return respond(200, body, [("Content-Encoding", "gzip")], content_type=content_type)


def sequence(*handlers: Handler) -> Handler:
    """The n-th request gets ``handlers[n]``; the last one repeats."""
    if not handlers:
        raise ValueError("sequence() needs at least one handler")
    count = 0

    async def handler(req: Request, w: Writer) -> None:
        nonlocal count
        h = handlers[min(count, len(handlers) - 1)]
        count += 1
        await h(req, w)

    return handler


def retry_after(value: str, then: Handler | None = None, status: int = 429) -> Handler:
    """First request: ``status`` with ``Retry-After: value``; later ones ``then``
    (default 200 "ok")."""
    first = respond(status, f"<p>{status} retry after {value}</p>", {"Retry-After": value})
    return sequence(first, then or respond(200, "<p>ok</p>"))


def method_split(head: Handler | None = None, get: Handler | None = None) -> Handler:
    """``head`` for HEAD, ``get`` for every other method; a missing one answers 405.
    (HEAD responses never carry a body.)"""
    not_allowed = respond(405, "<p>method not allowed</p>")

    async def handler(req: Request, w: Writer) -> None:
        h = head if req.method == "HEAD" else get
        await (h or not_allowed)(req, w)

    return handler


__all__ = [
    "FaultServer", "Hit", "Request", "Writer", "Handler",
    "respond", "redirect", "gzip", "chunked", "drip", "hang", "reset", "garbage",
    "huge", "gzip_bomb", "gzip_bomb_body", "sequence", "retry_after", "method_split",
]
