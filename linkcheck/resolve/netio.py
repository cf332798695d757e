"""Plain asyncio streams behind the address guard.

The guard (safety.GuardedBackend) hands these out; our HTTP/1.1 layer
(http11.py) reads and writes their asyncio reader and writer directly. They
also implement httpcore's small network-stream interface (read, write,
start_tls, get_extra_info, aclose), so the guard still works as a network
backend for httpcore where one is used.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Iterable

import httpcore


class AsyncioStream(httpcore.AsyncNetworkStream):
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self._reader, self._writer = reader, writer

    @property
    def reader(self) -> asyncio.StreamReader:
        return self._reader

    @property
    def writer(self) -> asyncio.StreamWriter:
        return self._writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            return await asyncio.wait_for(self._reader.read(max_bytes), timeout)
        except TimeoutError:
            raise httpcore.ReadTimeout("timed out reading from the server") from None
        except (ConnectionError, OSError) as exc:
            raise httpcore.ReadError(str(exc) or type(exc).__name__) from None

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            self._writer.write(buffer)
            await asyncio.wait_for(self._writer.drain(), timeout)
        except TimeoutError:
            raise httpcore.WriteTimeout("timed out writing to the server") from None
        except (ConnectionError, OSError) as exc:
            raise httpcore.WriteError(str(exc) or type(exc).__name__) from None

    async def aclose(self) -> None:
        self._writer.close()
        try:
            await asyncio.wait_for(self._writer.wait_closed(), 1.0)
        except (TimeoutError, ConnectionError, OSError, ssl.SSLError):
            pass

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> AsyncioStream:
        try:
            await asyncio.wait_for(
                self._writer.start_tls(ssl_context, server_hostname=server_hostname), timeout)
        except TimeoutError:
            raise httpcore.ConnectTimeout("timed out during the TLS handshake") from None
        except (ssl.SSLError, ConnectionError, OSError) as exc:
            raise httpcore.ConnectError(f"TLS handshake failed: {exc}") from None
        return self

    def get_extra_info(self, info: str):
        if info == "ssl_object":
            return self._writer.get_extra_info("ssl_object")
        if info == "server_addr":
            return self._writer.get_extra_info("peername")
        if info == "client_addr":
            return self._writer.get_extra_info("sockname")
        if info == "socket":
            return self._writer.get_extra_info("socket")
        if info == "is_readable":
            return self._reader.at_eof() or bool(self._reader._buffer)  # type: ignore[attr-defined]  # noqa: SLF001
        return None


async def open_stream(address: str, port: int, timeout: float | None,
                      socket_options: Iterable | None = None) -> AsyncioStream:
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(address, port, limit=2 ** 20), timeout)
    except TimeoutError:
        raise httpcore.ConnectTimeout(f"timed out connecting to {address}:{port}") from None
    except (ConnectionError, OSError) as exc:
        raise httpcore.ConnectError(str(exc) or type(exc).__name__) from None
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for option in socket_options or ():
            sock.setsockopt(*option)
    return AsyncioStream(reader, writer)
