"""The live-network transport: httpx's own, with the address guard as its
network backend, one small connection pool per origin, and no proxy or
.netrc taken from the environment.

One pool per origin rather than one shared pool: httpcore's pool scans all its
connections for every request, which grows quadratically when thousands of
links spread over many hosts; per-origin pools stay at the per-host limit.
"""

from __future__ import annotations

import httpcore
import httpx

from linkcheck.resolve.safety import GuardedBackend

CONNECTIONS_PER_ORIGIN = 16  # the resolver's per-host semaphore is the real limit


class _OriginTransport(httpx.AsyncHTTPTransport):
    def __init__(self, ssl_context, backend: GuardedBackend):
        super().__init__(verify=ssl_context, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=CONNECTIONS_PER_ORIGIN,
            max_keepalive_connections=CONNECTIONS_PER_ORIGIN,
            keepalive_expiry=5.0,
            network_backend=backend,
        )


class GuardedTransport(httpx.AsyncBaseTransport):
    def __init__(self, allow_private: bool = False):
        self._ssl_context = httpx.create_ssl_context(trust_env=False)  # loaded once: ~50 ms
        self._backend = GuardedBackend(allow_private=allow_private)
        self._origins: dict[tuple[bytes, bytes, int | None], _OriginTransport] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        key = (url.raw_scheme, url.raw_host, url.port)
        transport = self._origins.get(key)
        if transport is None:
            transport = self._origins[key] = _OriginTransport(self._ssl_context, self._backend)
        return await transport.handle_async_request(request)

    async def aclose(self) -> None:
        for transport in self._origins.values():
            await transport.aclose()
        self._origins.clear()
