"""Fetching remote sitemaps and feeds for `catalogue add`: through the same
guarded resolver as an audit (address guard, retries, redirects followed hop
by hop), with room for a 50 MB sitemap."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from linkcheck.errors import InputError
from linkcheck.resolve.settings import ResolveSettings

MAX_SITEMAP_BYTES = 60 * 1024 * 1024


class Fetcher:
    """A callable url -> body bytes, on one event loop of its own."""

    def __init__(self, settings: ResolveSettings, transport=None):
        self.settings = dataclasses.replace(settings, max_body=MAX_SITEMAP_BYTES,
                                            max_decoded=4 * MAX_SITEMAP_BYTES)
        self.transport = transport
        self.loop = asyncio.new_event_loop()
        self.resolver: Any = None

    def __call__(self, url: str) -> bytes:
        return self.loop.run_until_complete(self._get(url))

    async def _get(self, url: str) -> bytes:
        from linkcheck.resolve.client import Resolver

        if self.resolver is None:
            transport = self.transport
            if transport is None:
                from linkcheck.resolve.transport import GuardedTransport

                transport = GuardedTransport(allow_private=self.settings.allow_private)
            self.resolver = Resolver(self.settings, transport)
        res = await self.resolver.resolve(url, keep_body=True)
        if not res.outcome.alive or res.body is None:
            raise InputError(f"cannot fetch {url}: {res.error or f'HTTP {res.status}'}")
        return res.body

    def close(self) -> None:
        if self.resolver is not None:
            self.loop.run_until_complete(self.resolver.aclose())
        self.loop.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
