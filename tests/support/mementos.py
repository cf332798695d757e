"""Archives for tests: WARCs written with chosen capture dates, served by a
real pywb (`wayback` on 127.0.0.1) as a Memento TimeGate, TimeMap and CDX
server, and a small fake for what pywb does not do (archive.today's CAPTCHA
pages with 200, 429 with Retry-After, the Wayback Machine's 302 TimeGate)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import httpx

from tests.support.warcs import BIN

REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found",
           429: "Too Many Requests"}


@dataclass
class Capture:
    url: str
    date: str  # WARC-Date, e.g. 2021-12-10T10:00:00Z
    status: int = 200
    title: str | None = None
    body: bytes | None = None
    location: str | None = None

    def payload(self) -> bytes:
        if self.body is not None:
            return self.body
        if self.title is None:
            return b""
        return (f"<!DOCTYPE html><html><head><title>{self.title}</title></head><body>"
                f"<h1>{self.title}</h1><p>Reporting on {self.title.lower()}.</p>"
                "</body></html>").encode()


def write_warc(path: Path, captures: list[Capture]) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True, warc_version="1.1")
        for c in captures:
            body = c.payload()
            headers = [("Content-Type", "text/html; charset=utf-8"),
                       ("Content-Length", str(len(body)))]
            if c.location:
                headers.append(("Location", c.location))
            http = StatusAndHeaders(f"{c.status} {REASONS.get(c.status, 'Status')}", headers,
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                c.url, "response", payload=BytesIO(body), http_headers=http,
                warc_headers_dict={"WARC-Date": c.date}))
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Wayback:
    """`with Wayback(folder, [warc, ...]) as wb:` then wb.coll is the TimeGate base."""

    def __init__(self, folder: Path, warcs: list[Path], name: str = "coll"):
        self.folder, self.warcs, self.name = folder, warcs, name

    def __enter__(self) -> Wayback:
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        (self.folder / "config.yaml").write_text("enable_memento: true\nframed_replay: false\n")
        for args in (["init", self.name], ["add", self.name, *map(str, self.warcs)]):
            subprocess.run([str(BIN / "wb-manager"), *args], cwd=self.folder, env=env,
                           check=True, capture_output=True, timeout=60)
        port = free_port()
        self._log = open(self.folder / "wayback.log", "wb")  # noqa: SIM115 - closed in exit
        self.proc = subprocess.Popen([str(BIN / "wayback"), "-b", "127.0.0.1", "-p", str(port)],
                                     cwd=self.folder, env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{port}"
        self.coll = f"{self.base}/{self.name}/"
        deadline = time.monotonic() + 20
        with httpx.Client(trust_env=False, timeout=5) as client:
            while True:
                assert self.proc.poll() is None, (self.folder / "wayback.log").read_text()
                try:
                    if client.get(self.coll).status_code < 500:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "wayback did not start within 20 s"
                time.sleep(0.2)
        return self

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self._log.close()


Handler = Callable[[str, dict[str, str]], tuple[int, list[tuple[str, str]], bytes]]


class FakeArchive:
    """A loopback HTTP server answering with `handler(target, headers)`; it
    records every request target with its time."""

    def __init__(self, handler: Handler):
        self.handler = handler
        self.requests: list[tuple[float, str, dict[str, str]]] = []
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self._writers.add(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                _, target, _ = lines[0].split(" ", 2)
                headers = {k.strip().lower(): v.strip() for k, v in
                           (line.split(":", 1) for line in lines[1:] if ":" in line)}
                self.requests.append((time.monotonic(), target, headers))
                status, out, body = self.handler(target, headers)
                out = [*out, ("Content-Length", str(len(body)))]
                writer.write(f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}\r\n".encode()
                             + "".join(f"{k}: {v}\r\n" for k, v in out).encode("latin-1")
                             + b"\r\n" + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError,
                asyncio.CancelledError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _shutdown(self) -> None:
        self._server.close()
        for task in [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]:
            task.cancel()
        await asyncio.sleep(0.05)

    def _run(self):
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0, backlog=1024))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    def __enter__(self) -> FakeArchive:
        self._thread.start()
        self._ready.wait(5)
        self.base = f"http://127.0.0.1:{self.port}"
        return self

    def __exit__(self, *exc) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


class LoopbackOnly(httpx.AsyncBaseTransport):
    """The archive client's transport in tests: loopback archives and sites are
    reached; any other host (a cited site's sitemap, say) fails at once, before a
    DNS lookup could leave the machine."""

    def __init__(self):
        from linkcheck.resolve.transport import GuardedTransport

        self.inner = GuardedTransport(allow_private=True)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not (request.url.host or "").startswith("127."):
            raise httpx.ConnectError(f"{request.url.host} is not on loopback", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()
