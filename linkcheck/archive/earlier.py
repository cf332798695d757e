"""An earlier snapshot (--compare WARC), read back through the resolver:
each cited URL resolved from that WARC as a replay would, so its text and
outcome are exactly what the earlier audit saw. The content-drift rule
(linkcheck/rules/drift.py) compares them with today's."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from linkcheck.archive.replay import ReplayTransport
from linkcheck.model import Resolution
from linkcheck.resolve.settings import ResolveSettings


@dataclass
class Earlier:
    """A cited URL as the earlier snapshot holds it."""

    resolution: Resolution
    captured: str | None  # WARC-Date of its first hop there
    warc: str  # the snapshot's file name


class EarlierSnapshot:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.transport = ReplayTransport([path])  # indexes it now: a bad file fails early

    async def resolve(self, urls: list[str], settings: ResolveSettings) -> dict[str, Earlier]:
        """URL -> Earlier, for the URLs the snapshot holds (others are left out:
        not captured then is no evidence of change)."""
        from linkcheck.resolve.client import Resolver

        # A stored answer never changes, so retrying it would only wait.
        quiet = replace(settings, retries=0)
        async with Resolver(quiet, self.transport) as resolver:
            results = await resolver.resolve_all(urls)
        found = {}
        for url, res in results.items():
            if res.error_kind == "replay" or not res.hops:
                continue
            stored = self.transport.responses.get(url)
            found[url] = Earlier(res, stored.date if stored else None, self.path.name)
        return found
