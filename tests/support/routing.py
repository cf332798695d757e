"""A transport that sends every request to one local server, whatever its
host, keeping the Host header and the URL the resolver asked for. With it the
real resolver and archive record fixture pages under their real URLs."""

from __future__ import annotations

import httpx

from linkcheck.resolve.transport import GuardedTransport


class RoutingTransport(httpx.AsyncBaseTransport):
    def __init__(self, local_base: str):
        self.local = httpx.URL(local_base)
        self.inner = GuardedTransport(allow_private=True)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        target = request.url.copy_with(scheme=self.local.scheme, host=self.local.host,
                                       port=self.local.port)
        headers = httpx.Headers(request.headers)
        headers["Host"] = request.url.netloc.decode("ascii")
        routed = httpx.Request(request.method, target, headers=headers,
                               extensions=request.extensions)
        return await self.inner.handle_async_request(routed)

    async def aclose(self) -> None:
        await self.inner.aclose()
