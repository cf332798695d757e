"""Serves fixture sites (tests/fixtures/sites/NAME/routes.json) on 127.0.0.1,
choosing the page by the request's Host header and path, so the real resolver
can record them under their real URLs (see RoutingTransport).

Each route gives status, headers, an optional body file, and how to send it:
"encoding": "gzip" compresses the body, "chunked": true frames it in chunks.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import threading
from pathlib import Path
from urllib.parse import urlsplit

SITES = Path(__file__).resolve().parent.parent / "fixtures" / "sites"


def load_routes(name: str) -> dict[tuple[str, str], dict]:
    folder = SITES / name
    data = json.loads((folder / "routes.json").read_text(encoding="utf-8"))
    routes = {}
    for route in data["routes"]:
        parts = urlsplit(route["url"])
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        body = (folder / route["file"]).read_bytes() if route.get("file") else b""
        routes[(parts.netloc.lower(), target)] = {**route, "body": body}
    return routes


def render(route: dict) -> bytes:
    body = route["body"]
    headers = list(route.get("headers", []))
    if route.get("encoding") == "gzip":
        body = gzip.compress(body, mtime=0)
        headers.append(["Content-Encoding", "gzip"])
    if route.get("chunked"):
        headers.append(["Transfer-Encoding", "chunked"])
        chunks = [body[i:i + 512] for i in range(0, len(body), 512)]
        body = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
    else:
        headers.append(["Content-Length", str(len(body))])
    reason = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found"}.get(
        route["status"], "Status")
    head = f"HTTP/1.1 {route['status']} {reason}\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    return head.encode("latin-1") + body


class SiteServer:
    """`with SiteServer("nato-grushko") as srv:` then srv.base is the address."""

    def __init__(self, name: str):
        self.routes = load_routes(name)
        self.requests: list[tuple[str, str]] = []
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                _, target, _ = lines[0].split(" ", 2)
                headers = {k.strip().lower(): v.strip() for k, v in
                           (line.split(":", 1) for line in lines[1:] if ":" in line)}
                host = headers.get("host", "").lower()
                self.requests.append((host, target))
                route = self.routes.get((host, target))
                if route is None:
                    route = {"status": 404, "body": b"no such fixture route",
                             "headers": [["Content-Type", "text/plain"]]}
                writer.write(render(route))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            writer.close()

    def _run(self):
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0, backlog=1024))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    def __enter__(self) -> SiteServer:
        self._thread.start()
        self._ready.wait(5)
        self.base = f"http://127.0.0.1:{self.port}"
        return self

    def __exit__(self, *exc) -> None:
        self._loop.call_soon_threadsafe(self._server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
