"""`linkcheck snapshot URL...`: archive URLs with the audit's own machinery
(the resolver, its address guard and retries, the WARC writer), no analysis."""

from __future__ import annotations

from pathlib import Path

import httpx

from linkcheck.archive.writer import WarcSnapshot, settings_info
from linkcheck.model import Resolution
from linkcheck.resolve.settings import ResolveSettings


async def snapshot_urls(urls: list[str], warc: str | Path, settings: ResolveSettings, *,
                        info: dict[str, object] | None = None,
                        dedup_against: list[str] | None = None, index: bool = False,
                        wacz: bool = False,
                        transport: httpx.AsyncBaseTransport | None = None,
                        ) -> tuple[dict[str, Resolution], WarcSnapshot]:
    from linkcheck.resolve.client import Resolver

    if transport is None:
        from linkcheck.resolve.transport import GuardedTransport

        transport = GuardedTransport(allow_private=settings.allow_private)
    fields = {"operator-software": "linkcheck snapshot", **(info or {}),
              **settings_info(settings)}
    snap = WarcSnapshot(warc, fields, dedup_against)
    try:
        async with Resolver(settings, transport, snap) as resolver:
            results = await resolver.resolve_all(urls)
    finally:
        snap.close()
    if index:
        from linkcheck.archive.index import write_index

        write_index(snap.path)
    if wacz:
        from linkcheck.archive.wacz import write_wacz

        pages = [{"url": u, "ts": snap.captured[u], "title": r.meta.title}
                 for u, r in results.items() if u in snap.captured]
        write_wacz(snap.path, pages, title="linkcheck snapshot")
    return results, snap
