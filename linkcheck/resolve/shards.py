"""Host shards: a crawl split by host, so that several processes (or machines)
can check links at once while every per-host limit stays exact.

Shard in, resolutions out:

- `split_by_host(urls, n)` puts every URL of a host in the same shard, shards
  balanced by link count;
- `run_shard(urls, settings, warc_path, ...)` resolves one shard in the
  calling process, on its own event loop, writing its own WARC part, and
  returns a `ShardResult`; it needs nothing from the process that made the
  shard, so it runs in a forked child, a Dask worker or a plain script alike;
- `ShardPool(shards, settings, ...).run()` runs N shards in forked processes (forked after the
  imports, so each child starts warm), streams each resolution back to the
  caller as it lands, and appends each part to the caller's snapshot.

WARC parts: a part is written with the caller's `warcinfo_id` and no warcinfo
record of its own, so the parts are appended, as they are, to the one snapshot
file (each record is its own gzip member); users, replay and the index see one
WARC. A shard run without a parent snapshot (`warcinfo_id=None`) writes a
complete WARC with its own warcinfo. Identical payloads are stored as
revisits within a shard and against --dedup-against WARCs, not across shards.

Limits: a cited host's links are all in one shard, so its per-host limit holds
exactly; a redirect target on another host may be reached from several shards
at once (at most the per-host limit in each).
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from linkcheck.model import Resolution
from linkcheck.resolve.settings import ResolveSettings

SMALL_AUDIT = 400  # links: below this a fork costs more than a second core saves


@dataclass
class ShardResult:
    """What one shard found: a Resolution per URL (in the order given), and
    what its WARC part holds (URL -> WARC-Date and record id, record count)."""

    resolutions: dict[str, Resolution]
    warc_path: str | None = None
    captured: dict[str, str] = field(default_factory=dict)
    response_ids: dict[str, str] = field(default_factory=dict)
    records: int = 0
    interrupted: bool = False


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def split_by_host(urls: Iterable[str], n: int) -> list[list[str]]:
    """At most n shards, every URL of a host in one of them, biggest hosts
    placed first on the emptiest shard. Empty shards are dropped."""
    by_host: dict[str, list[str]] = {}
    for url in dict.fromkeys(urls):
        by_host.setdefault(host_of(url), []).append(url)
    shards: list[list[str]] = [[] for _ in range(max(1, n))]
    for host_urls in sorted(by_host.values(), key=len, reverse=True):
        min(shards, key=len).extend(host_urls)
    return [s for s in shards if s]


def default_jobs(urls: list[str]) -> int:
    """The number of cores this process may use; 1 for a small audit or a
    single host (its links cannot be split without breaking its limit)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    if len(urls) < SMALL_AUDIT:
        return 1
    return max(1, min(cores, len({host_of(u) for u in urls})))


async def resolve_shard(urls: list[str], settings: ResolveSettings,
                        warc_path: str | Path | None = None, *,
                        page_text: bool | str = False, warcinfo_id: str | None = None,
                        warc_info: dict[str, object] | None = None,
                        warc_level: int = 1, originals: dict | None = None,
                        dedup_against: list[str] | None = None,
                        transport=None,
                        on_result: Callable[[Resolution], None] | None = None,
                        stop_on_signals: bool = False,
                        profiles: dict | None = None) -> ShardResult:
    """`run_shard` on the running event loop."""
    from linkcheck.analysis.pages import PageAnalysis
    from linkcheck.archive.writer import WarcSnapshot, settings_info
    from linkcheck.resolve.client import Resolver

    snapshot = None
    if warc_path is not None:
        info = None if warcinfo_id else {"operator-software": "linkcheck shard",
                                         **(warc_info or {}), **settings_info(settings)}
        snapshot = WarcSnapshot(warc_path, info, dedup_against, warc_level,
                                warcinfo_id=warcinfo_id, originals=originals)
    if transport is None:
        from linkcheck.resolve.transport import GuardedTransport

        transport = GuardedTransport(allow_private=settings.allow_private)
    loop = asyncio.get_running_loop()
    stops = (signal.SIGINT, signal.SIGTERM) if stop_on_signals else ()
    try:
        async with Resolver(settings, transport, snapshot,
                            analyse=PageAnalysis(settings, page_text, profiles)) as resolver:
            for sig in stops:
                loop.add_signal_handler(sig, resolver.stop)
            found = await resolver.resolve_all(urls, on_result)
    finally:
        for sig in stops:
            loop.remove_signal_handler(sig)
        if snapshot is not None:
            snapshot.close()
    result = ShardResult(found, interrupted=resolver.interrupted)
    if snapshot is not None:
        result.warc_path = str(snapshot.path)
        result.captured, result.response_ids = snapshot.captured, snapshot.response_ids
        result.records = snapshot.records
    return result


def run_shard(urls: list[str], settings: ResolveSettings,
              warc_path: str | Path | None = None, **options) -> ShardResult:
    """Resolve one shard in this process, on a new event loop.

    urls: the shard (for exact per-host limits, every URL of a host in one
    shard: `split_by_host`). settings: the crawl's ResolveSettings.
    warc_path: where this shard's WARC goes (None: none); with
    `warcinfo_id=` it is a part of that snapshot (no warcinfo of its own),
    else a complete WARC (`warc_info=` adds warcinfo fields).
    Other keywords: `page_text` (False, "plain" or "main": what page analysis
    keeps of each page), `warc_level`, `originals` or `dedup_against`
    (payloads to store as revisits), `transport` (default: the live network
    with the address guard), `on_result` (called with each Resolution as it
    lands), `profiles` (a dict: each page's source-map profile is added to it
    as the page lands), `stop_on_signals` (SIGINT/SIGTERM end the shard early; unfinished
    links are reported as interrupted and the part is still closed intact).
    Returns a ShardResult; never raises for a link's failure.
    """
    return asyncio.run(resolve_shard(urls, settings, warc_path, **options))


class ShardPool:
    """Shards run in forked processes: `await pool.run()` gives the resolutions
    (streamed to `on_result` as they land) and whether a shard was stopped
    early; each shard's part is appended to `snapshot` when it ends. `stop()`
    (a signal handler may call it) asks every child to stop: unfinished links
    come back as interrupted, and the parts are still closed intact."""

    def __init__(self, shards: list[list[str]], settings: ResolveSettings, *,
                 snapshot=None, page_text: bool | str = False,
                 on_result: Callable[[Resolution], None] | None = None,
                 profiles: dict | None = None):
        """profiles: when given, each page's source-map profile is made in its
        shard as it lands and collected here (URL -> LinkProfile)."""
        self.shards, self.settings, self.snapshot = shards, settings, snapshot
        self.page_text, self.on_result, self.profiles = page_text, on_result, profiles
        self._procs: list = []
        self.interrupted = False

    def stop(self) -> None:
        self.interrupted = True
        for proc in self._procs:
            if proc.is_alive():
                os.kill(proc.pid, signal.SIGTERM)

    async def run(self) -> tuple[dict[str, Resolution], bool]:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        loop = asyncio.get_running_loop()
        snapshot = self.snapshot
        options = {"page_text": self.page_text, "profiles": self.profiles is not None,
                   "warcinfo_id": snapshot.warcinfo_id if snapshot else None,
                   "warc_level": snapshot.level if snapshot else 1,
                   "originals": snapshot.originals if snapshot else None}
        conns = []
        for i, urls in enumerate(self.shards):
            part = snapshot.path.with_name(f"{snapshot.path.name}.part{i + 1}") \
                if snapshot is not None else None
            receive, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(send, urls, self.settings, part, options),
                               daemon=True)
            proc.start()
            send.close()
            self._procs.append(proc)
            conns.append(receive)
        results: dict[str, Resolution] = {}
        try:
            finals = await asyncio.gather(*(_receive(loop, conn, results, self.on_result,
                                                     self.profiles) for conn in conns))
        except BaseException:
            self.stop()
            raise
        finally:
            for proc, conn in zip(self._procs, conns, strict=True):
                await loop.run_in_executor(None, proc.join, 30)
                conn.close()
        interrupted = self.interrupted
        for final in finals:
            if final is None:
                raise RuntimeError("a crawl shard ended without its results")
            interrupted = interrupted or final.interrupted
            results.update(final.resolutions)
            if snapshot is not None and final.warc_path:
                snapshot.append_part(final.warc_path, final.captured, final.response_ids,
                                     final.records)
        return results, interrupted


async def _receive(loop, conn, results, on_result, profiles) -> ShardResult | None:
    """Messages from one child until it ends: each Resolution as it lands, then
    its ShardResult (without the resolutions already sent)."""
    ready = asyncio.Event()
    loop.add_reader(conn.fileno(), ready.set)
    try:
        while True:
            await ready.wait()
            ready.clear()
            while conn.poll():
                try:
                    kind, value = conn.recv()
                except EOFError:
                    return None
                if kind == "done":
                    return value
                value, prof = value
                results[value.url] = value
                if profiles is not None and prof is not None:
                    profiles[value.url] = prof
                if on_result:
                    on_result(value)
    finally:
        loop.remove_reader(conn.fileno())


def _child(conn, urls, settings, part, options) -> None:
    """A forked shard: the parent's signal wiring undone, then its own loop."""
    signal.set_wakeup_fd(-1)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    sent: set[str] = set()
    profiles: dict | None = {} if options.pop("profiles") else None

    def send(res: Resolution) -> None:
        sent.add(res.url)
        conn.send(("result", (res, profiles.pop(res.url, None) if profiles is not None
                              else None)))

    result = run_shard(urls, settings, part, on_result=send, stop_on_signals=True,
                       profiles=profiles, **options)
    result.resolutions = {u: r for u, r in result.resolutions.items() if u not in sent}
    conn.send(("done", result))
    conn.close()
