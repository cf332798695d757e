"""Our HTTP/1.1 connection layer, under httpx's transport seam.

`httpx.AsyncClient` stays the resolver's API (respx and the replay transport
plug in at the same seam); underneath, the live network is this transport:
h11 on plain asyncio streams, one keep-alive pool per origin, the address
guard at connection time (safety.GuardedBackend resolves the name, refuses
forbidden addresses and connects to the checked one), TLS through `ssl` with
one context made on the first https URL. httpcore's pool and anyio's
cancellation scopes cost several times the CPU of the exchange itself when
thousands of links are checked; this layer does only what a GET needs.

What the WARC needs comes back on the response: the header lines as they
arrived (`headers.raw`: case, order, repeats), the HTTP version and reason
phrase (`extensions`), the peer address (`extensions["linkcheck_ip"]`, read
when the connection was made), and the body de-chunked but still
content-encoded, streamed so the resolver's size cap stops reading early.

Failures are raised as httpx's exceptions (ConnectError, ConnectTimeout,
ReadError, ReadTimeout, WriteError, RemoteProtocolError), like httpx's own
transport, so the retry and failure-naming code sees the same types.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import AsyncIterator

import h11
import httpcore
import httpx

from linkcheck.resolve.netio import AsyncioStream
from linkcheck.resolve.safety import GuardedBackend

READ_SIZE = 64 * 1024
MAX_HEAD = 100 * 1024  # bytes of a response head, as httpcore allows
KEEPALIVE_EXPIRY = 5.0  # seconds an idle connection is kept
MAX_IDLE_PER_ORIGIN = 16  # the resolver's per-host semaphore is the real limit

Origin = tuple[bytes, bytes, int]


class _Connection:
    """One TCP (or TLS) connection and its h11 state."""

    __slots__ = ("reader", "writer", "state", "ip", "idle_since", "used")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer
        self.state = h11.Connection(h11.CLIENT, max_incomplete_event_size=MAX_HEAD)
        peer = writer.get_extra_info("peername")
        self.ip: str | None = peer[0] if peer else None
        self.idle_since = 0.0
        self.used = False  # has answered a request before (a keep-alive reuse)

    def reusable(self, now: float) -> bool:
        # An idle connection with bytes (or EOF) waiting was closed by the server.
        return (now - self.idle_since < KEEPALIVE_EXPIRY and not self.reader.at_eof()
                and not self.reader._buffer  # type: ignore[attr-defined]  # noqa: SLF001
                and not self.writer.is_closing())

    async def send(self, events: list, timeout: float | None) -> None:
        data = b"".join(self.state.send(e) or b"" for e in events)
        try:
            self.writer.write(data)
            if self.writer.transport.get_write_buffer_size():
                async with asyncio.timeout(timeout):
                    await self.writer.drain()
        except TimeoutError:
            raise httpx.WriteTimeout("timed out writing to the server") from None
        except (ConnectionError, OSError) as exc:
            raise httpx.WriteError(str(exc) or type(exc).__name__) from None

    async def next_event(self, timeout: float | None):
        state = self.state
        while True:
            try:
                event = state.next_event()
            except h11.RemoteProtocolError as exc:
                raise httpx.RemoteProtocolError(str(exc)) from None
            if event is not h11.NEED_DATA:
                return event
            try:
                async with asyncio.timeout(timeout):
                    data = await self.reader.read(READ_SIZE)
            except TimeoutError:
                raise httpx.ReadTimeout("timed out reading from the server") from None
            except (ConnectionError, OSError) as exc:
                raise httpx.ReadError(str(exc) or type(exc).__name__) from None
            if not data and state.their_state is h11.SEND_RESPONSE:
                raise _Disconnected("Server disconnected without sending a response.")
            state.receive_data(data)

    def close(self) -> None:
        self.writer.close()


class _Disconnected(httpx.RemoteProtocolError):
    """The server closed the connection before answering at all."""


class _Body(httpx.AsyncByteStream):
    """The response body, as the server framed it, minus the framing; at the end
    (or when the reader stops early) the connection goes back to its pool or is
    closed."""

    def __init__(self, pool: Http11Transport, origin: Origin, conn: _Connection,
                 timeout: float | None):
        self._pool, self._origin, self._conn, self._timeout = pool, origin, conn, timeout
        self._released = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        conn = self._conn
        while True:
            event = await conn.next_event(self._timeout)
            if type(event) is h11.Data:
                yield bytes(event.data)
            elif type(event) is h11.EndOfMessage or event is h11.PAUSED:
                break

    async def aclose(self) -> None:
        if not self._released:
            self._released = True
            self._pool._release(self._origin, self._conn)


class Http11Transport(httpx.AsyncBaseTransport):
    """The live network: HTTP/1.1 over the address guard, pooled per origin."""

    def __init__(self, allow_private: bool = False, ssl_context: ssl.SSLContext | None = None):
        self._backend = GuardedBackend(allow_private=allow_private)
        self._ssl_context = ssl_context
        self._idle: dict[Origin, list[_Connection]] = {}
        self._closed = False

    @property
    def ssl_context(self) -> ssl.SSLContext:
        if self._ssl_context is None:  # made once, on the first https URL (~20-50 ms)
            self._ssl_context = httpx.create_ssl_context(trust_env=False)
        return self._ssl_context

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        scheme = url.raw_scheme
        if scheme not in (b"http", b"https"):
            raise httpx.UnsupportedProtocol(f"unsupported URL scheme {url.scheme!r}")
        port = url.port or (443 if scheme == b"https" else 80)
        origin = (scheme, url.raw_host, port)
        timeouts = request.extensions.get("timeout", {})
        body = await request.aread() if request.method not in ("GET", "HEAD") else b""
        events: list = [h11.Request(method=request.method, target=url.raw_path,
                                    headers=request.headers.raw)]
        if body:
            events.append(h11.Data(data=body))
        events.append(h11.EndOfMessage())
        conn = self._idle_connection(origin)
        fresh = conn is None
        if conn is None:
            conn = await self._connect(origin, request, timeouts.get("connect"))
        try:
            head = await self._exchange(conn, events, timeouts)
        except _Disconnected:
            conn.close()
            if fresh:
                raise
            # A kept-alive connection the server had just closed: once more, afresh.
            conn = await self._connect(origin, request, timeouts.get("connect"))
            try:
                head = await self._exchange(conn, events, timeouts)
            except BaseException:
                conn.close()
                raise
        except BaseException:
            conn.close()
            raise
        conn.used = True
        extensions = {"http_version": b"HTTP/" + head.http_version,
                      "reason_phrase": head.reason, "linkcheck_ip": conn.ip}
        return httpx.Response(head.status_code, headers=head.headers.raw_items(),
                              stream=_Body(self, origin, conn, timeouts.get("read")),
                              extensions=extensions)

    async def _exchange(self, conn: _Connection, events: list, timeouts: dict) -> h11.Response:
        await conn.send(events, timeouts.get("write"))
        while True:
            event = await conn.next_event(timeouts.get("read"))
            if type(event) is h11.Response:
                return event
            # 1xx informational answers come before the real one

    def _idle_connection(self, origin: Origin) -> _Connection | None:
        idle = self._idle.get(origin)
        if not idle:
            return None
        now = time.monotonic()
        while idle:
            conn = idle.pop()
            if conn.reusable(now):
                return conn
            conn.close()
        return None

    async def _connect(self, origin: Origin, request: httpx.Request,
                       timeout: float | None) -> _Connection:
        scheme, host, port = origin
        name = host.decode("ascii")
        try:
            stream = await self._backend.connect_tcp(name, port, timeout=timeout)
            if scheme == b"https":
                sni = request.extensions.get("sni_hostname") or name
                stream = await stream.start_tls(self.ssl_context, server_hostname=sni,
                                                timeout=timeout)
        except httpcore.ConnectTimeout as exc:
            raise httpx.ConnectTimeout(str(exc), request=request) from exc
        except httpcore.ConnectError as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc
        assert isinstance(stream, AsyncioStream)  # what the guard hands out
        return _Connection(stream.reader, stream.writer)

    def _release(self, origin: Origin, conn: _Connection) -> None:
        state = conn.state
        if (not self._closed and state.our_state is h11.DONE
                and state.their_state is h11.DONE):
            state.start_next_cycle()
            conn.idle_since = time.monotonic()
            idle = self._idle.setdefault(origin, [])
            if len(idle) < MAX_IDLE_PER_ORIGIN:
                idle.append(conn)
                return
        conn.close()

    async def aclose(self) -> None:
        self._closed = True
        for idle in self._idle.values():
            for conn in idle:
                conn.close()
        self._idle.clear()
