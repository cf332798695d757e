"""The live-network transport: httpx's own, with the address guard as its
network backend and no proxy or .netrc taken from the environment."""

from __future__ import annotations

import httpcore
import httpx

from linkcheck.resolve.safety import GuardedBackend


class GuardedTransport(httpx.AsyncHTTPTransport):
    def __init__(self, allow_private: bool = False, max_connections: int = 100):
        super().__init__(trust_env=False, limits=httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections))
        ssl_context = self._pool._ssl_context
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(allow_private=allow_private),
        )
