"""Host shards: the unit of work of a catalogue audit.

Every link of one registrable domain goes to the same shard (`shard_key`), so
per-host politeness holds across processes and machines without a shared
lock. `run_shard` is the one interface the runners use, locally or on a Dask
worker: jobs in, one `LinkResult` per job out through `on_result`, as each
finishes. Inside, it runs linkcheck's own Resolver in a fresh event loop and
dispatches per host: at most the per-host limit in flight to a host, at most
`concurrency` in all, hosts served round-robin so one busy host never holds
up the others.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from linkcheck.catalogue.codec import text_digest, to_dict
from linkcheck.catalogue.store import now_iso
from linkcheck.model import Resolution
from linkcheck.resolve.settings import ResolveSettings

BUFFER = 20_000  # jobs read ahead of the dispatcher


@dataclass(frozen=True)
class LinkJob:
    link_id: int
    url: str
    host: str


@dataclass
class LinkResult:
    link_id: int
    url: str
    checked_at: str
    resolution: dict  # codec.to_dict of the Resolution
    warc: str | None = None  # the snapshot file of the final answer
    warc_offset: int | None = None
    digest: str | None = None  # of the page's main text, when extracted
    text: str | None = None  # the main text itself, when asked for (monitor baselines)


@dataclass
class ShardConfig:
    settings: ResolveSettings
    warc_dir: str | None = None  # None: no snapshot
    warc_limit: int = 1024 ** 3
    warc_info: dict[str, object] = field(default_factory=dict)
    keep_text: bool = False
    now: str | None = None  # the check time to record (monitor --now); None: the clock


@lru_cache(maxsize=65536)
def registrable_domain(host: str) -> str:
    """www.nytimes.com -> nytimes.com; bbc.co.uk stays; an IP address is itself."""
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    parts = _extractor()(host)
    if hasattr(parts, "top_domain_under_public_suffix"):  # tldextract >= 5.3
        domain = parts.top_domain_under_public_suffix
    else:
        domain = parts.registered_domain
    return domain or host


@lru_cache(maxsize=1)
def _extractor():
    import tldextract

    # the public suffix list shipped with tldextract: never fetched at run time
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def shard_key(domain: str) -> int:
    return int.from_bytes(hashlib.sha1(domain.encode()).digest()[:4], "big") & 0x7FFFFFFF


def run_shard(jobs: Iterable[LinkJob], config: ShardConfig,
              on_result: Callable[[LinkResult], None], *, sink=None, transport=None,
              stop: threading.Event | None = None) -> int:
    """Resolve every job (in a fresh event loop); returns how many finished.
    `sink`: the WARC writer (default: this process's own, under warc_dir).
    `stop`: set it to stop early; jobs not finished get no result."""
    if sink is None and config.warc_dir is not None:
        sink = worker_sink(config)
    return asyncio.run(_run(iter(jobs), config, on_result, sink, transport,
                            stop or threading.Event()))


async def _run(jobs: Iterator[LinkJob], config: ShardConfig, on_result, sink, transport,
               stop: threading.Event) -> int:
    from linkcheck.resolve.client import Resolver

    settings = config.settings
    if config.keep_text:
        import dataclasses

        settings = dataclasses.replace(settings, page_text="main")
    if transport is None:
        from linkcheck.resolve.transport import GuardedTransport

        transport = GuardedTransport(allow_private=settings.allow_private)
    queues: dict[str, deque[LinkJob]] = {}
    in_flight: dict[str, int] = {}
    ready: deque[str] = deque()
    tasks: dict[asyncio.Task, LinkJob] = {}
    buffered = 0
    exhausted = False
    finished = 0

    def limit(host: str) -> int:
        return settings.limit_for(host)

    def fill() -> None:
        nonlocal buffered, exhausted
        while not exhausted and buffered < BUFFER:
            job = next(jobs, None)
            if job is None:
                exhausted = True
                return
            queue = queues.setdefault(job.host, deque())
            if not queue and in_flight.get(job.host, 0) < limit(job.host):
                ready.append(job.host)
            queue.append(job)
            buffered += 1

    async with Resolver(settings, transport, sink) as resolver:
        while True:
            if stop.is_set():
                break
            fill()
            while ready and len(tasks) < settings.concurrency:
                host = ready.popleft()
                job = queues[host].popleft()
                buffered -= 1
                in_flight[host] = in_flight.get(host, 0) + 1
                tasks[asyncio.create_task(resolver.resolve(job.url))] = job
                if queues[host] and in_flight[host] < limit(host):
                    ready.append(host)
                elif not queues[host]:
                    del queues[host]
            if not tasks:
                if exhausted:
                    break
                continue
            done, _ = await asyncio.wait(tasks, timeout=0.5,
                                         return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                job = tasks.pop(task)
                in_flight[job.host] -= 1
                if job.host in queues and queues[job.host] and job.host not in ready \
                        and in_flight[job.host] < limit(job.host):
                    ready.append(job.host)
                on_result(_result(job, task.result(), sink, config))
                finished += 1
        for task in tasks:  # stopped: what is unfinished is left for the next run
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
    return finished


def _result(job: LinkJob, res: Resolution, sink, config: ShardConfig) -> LinkResult:
    warc = offset = None
    if sink is not None and hasattr(sink, "take"):
        for hop in res.hops:
            warc, offset = sink.take(hop.url)
    text = res.meta.text if res.outcome.alive else None
    return LinkResult(link_id=job.link_id, url=job.url, checked_at=config.now or now_iso(),
                      resolution=to_dict(res), warc=warc, warc_offset=offset,
                      digest=text_digest(text), text=text if config.keep_text else None)


# -- one WARC per worker process ------------------------------------------------

_SINKS: dict[str, object] = {}
_SINKS_LOCK = threading.Lock()


def worker_sink(config: ShardConfig):
    """This process's rotating WARC under config.warc_dir, opened on first use."""
    from linkcheck.catalogue.warcs import RotatingWarc

    assert config.warc_dir is not None
    with _SINKS_LOCK:
        sink = _SINKS.get(config.warc_dir)
        if sink is None:
            sink = RotatingWarc(config.warc_dir, f"catalogue-worker{os.getpid()}",
                                {"operator-software": "linkcheck catalogue audit (worker)",
                                 **config.warc_info}, config.warc_limit)
            _SINKS[config.warc_dir] = sink
        return sink


def close_worker_sinks() -> list[str]:
    """Close (and index) this process's WARCs; returns the names of its files."""
    with _SINKS_LOCK:
        names = [p.name for sink in _SINKS.values() for p in sink.close()]  # type: ignore
        _SINKS.clear()
        return names


def shard_task(jobs: list[LinkJob], config: ShardConfig) -> list[LinkResult]:
    """One shard as a task for a remote worker: its results, all at once."""
    results: list[LinkResult] = []
    run_shard(jobs, config, results.append)
    return results
