"""Fixture sites (tests/fixtures/sites/NAME/routes.json) as a handler set of the
one test server (support/server.py): the page is chosen by the request's Host
header and target, so the real resolver, through RoutingTransport, records
them under their real URLs.

Each route gives status, headers, an optional body file, and how to send it:
"encoding": "gzip" compresses the body, "chunked": true frames it in chunks.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from urllib.parse import urlsplit

from tests.support.server import FaultServer, Handler, Request, Writer

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


def site(name: str) -> Handler:
    """A handler serving every route of the fixture site NAME, by Host and target."""
    routes = load_routes(name)

    async def handler(req: Request, w: Writer) -> None:
        route = routes.get((req.host_header.strip().lower(), req.path))
        if route is None:
            await w.send(404, b"no such fixture route", content_type="text/plain")
            return
        body = route["body"]
        headers = [(k, v) for k, v in route.get("headers", [])]
        if route.get("encoding") == "gzip":
            body = gzip.compress(body, mtime=0)
            headers.append(("Content-Encoding", "gzip"))
        if route.get("chunked"):
            await w.start(route["status"], [*headers, ("Transfer-Encoding", "chunked")])
            for i in range(0, len(body), 512):
                await w.write_chunk(body[i:i + 512])
            await w.finish()
        else:
            await w.start(route["status"], [*headers, ("Content-Length", str(len(body)))])
            await w.write(body)

    return handler


class SiteServer:
    """`with SiteServer("nato-grushko") as srv:` then srv.base is the address and
    srv.requests the (host, target) pairs asked for, in order."""

    def __init__(self, name: str):
        self.server = FaultServer()
        self.server.default(site(name))

    @property
    def requests(self) -> list[tuple[str, str]]:
        return [(h.host_header.lower(), h.path) for h in self.server.hits]

    def __enter__(self) -> SiteServer:
        self.server.start()
        self.base = self.server.base()
        return self

    def __exit__(self, *exc) -> None:
        self.server.stop()
