"""`linkcheck catalogue audit`: the coordinator.

In chunks of articles, as a stream: articles not yet read are read (files
from disk, URLs through the resolver, archived like any capture) and their
citations stored; the links still unchecked are resolved, each once across
the whole catalogue, by a backend (this process, or host shards on Dask);
then every article whose links are all checked is analysed by the audit's
own rules. Each step commits as it goes, so a run killed at any point
(SIGKILL included) is resumed by running it again: what was committed is
not redone, what was not is done once.
"""

from __future__ import annotations

import asyncio
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from linkcheck.catalogue.shards import (
    LinkJob,
    LinkResult,
    ShardConfig,
    registrable_domain,
    run_shard,
    shard_key,
)
from linkcheck.catalogue.store import CheckRow, Store, now_iso
from linkcheck.errors import InputError
from linkcheck.pipeline import AuditOptions
from linkcheck.urls.normalise import redact_userinfo_bytes

Progress = Callable[[str, int, int | None], None]  # (stage, done, total)


@dataclass
class CatalogueOptions:
    audit: AuditOptions = field(default_factory=AuditOptions)
    warc_dir: Path | None = Path("linkcheck-snapshots")
    warc_limit: int = 1024 ** 3
    max_age_days: float | None = None
    workers: int | None = None  # a local Dask cluster of N worker processes
    scheduler: str | None = None  # an existing Dask scheduler
    chunk: int = 2000  # articles read before their links are resolved
    progress: Progress | None = None


@dataclass
class AuditSummary:
    articles_read: int = 0
    article_errors: int = 0
    links_checked: int = 0
    articles_analysed: int = 0
    findings: int = 0
    warcs: list[str] = field(default_factory=list)
    interrupted: bool = False
    seconds: float = 0.0


class ResultWriter:
    """Results into the store in batches: one transaction every `every`
    results or `seconds`, and whatever is left when closed."""

    def __init__(self, store: Store, run_id: int, every: int = 500, seconds: float = 1.0,
                 on_commit: Callable[[list[LinkResult]], None] | None = None):
        self.store, self.run_id, self.every, self.seconds = store, run_id, every, seconds
        self.pending: list[LinkResult] = []
        self.written = 0
        self.on_commit = on_commit
        self._last = time.monotonic()

    def __call__(self, result: LinkResult) -> None:
        self.pending.append(result)
        if len(self.pending) >= self.every or time.monotonic() - self._last > self.seconds:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            with self.store.transaction():
                self.store.insert_checks([CheckRow(r.link_id, r.checked_at, r.resolution,
                                                   r.warc, r.warc_offset, r.digest)
                                          for r in self.pending], self.run_id)
                if self.on_commit:
                    self.on_commit(self.pending)
            self.written += len(self.pending)
            self.pending = []
        self._last = time.monotonic()


class LocalBackend:
    """Every shard in this process: one dispatcher over all pending links."""

    def __init__(self, config: ShardConfig, sink, transport=None):
        self.config, self.sink, self.transport = config, sink, transport

    def resolve(self, store: Store, cutoff: str, on_result, stop: threading.Event) -> None:
        jobs = (LinkJob(row.id, row.url, row.host) for row in store.pending_links(cutoff))
        run_shard(jobs, self.config, on_result, sink=self.sink, transport=self.transport,
                  stop=stop)

    def close(self) -> list[str]:
        return []


def audit_catalogue(store: Store, options: CatalogueOptions, transport=None) -> AuditSummary:
    started = time.monotonic()
    summary = AuditSummary()
    cutoff = ""
    if options.max_age_days is not None:
        cutoff = now_iso(datetime.now(UTC) - timedelta(days=options.max_age_days))
    sink = None
    if options.warc_dir is not None:
        from linkcheck.archive.writer import settings_info
        from linkcheck.catalogue.warcs import RotatingWarc, salvage

        summary.warcs += [p.name for p in salvage(options.warc_dir)]
        info = {"operator-software": "linkcheck catalogue audit",
                **options.audit.warc_info, **settings_info(options.audit.settings)}
        sink = RotatingWarc(options.warc_dir, "catalogue", info, options.warc_limit)
    config = ShardConfig(settings=options.audit.settings,
                         warc_dir=str(Path(options.warc_dir).resolve()) if options.warc_dir
                         else None,
                         warc_limit=options.warc_limit, warc_info=dict(options.audit.warc_info))
    backend: Any
    if options.workers or options.scheduler:
        from linkcheck.catalogue.dask_runner import DaskBackend

        backend = DaskBackend(config, workers=options.workers, scheduler=options.scheduler)
    else:
        backend = LocalBackend(config, sink, transport)
    run_id = store.start_run("audit")
    stop = threading.Event()
    progress = options.progress or (lambda *_: None)
    with _StopOn(stop):
        try:
            while not stop.is_set():
                batch = list(islice(store.pending_articles(cutoff), options.chunk))
                if batch:
                    _read_articles(store, batch, options, sink, transport, summary, stop)
                _resolve(store, backend, cutoff, run_id, summary, progress, stop)
                _analyse_ready(store, cutoff, options.audit, summary, progress, stop)
                if not batch:
                    break
        finally:
            summary.warcs += backend.close()
            if sink is not None:
                summary.warcs += [p.name for p in sink.close()]
            if options.warc_dir is not None and Path(options.warc_dir).is_dir():
                summary.warcs += [p.name for p in salvage(options.warc_dir)]  # dead workers'
            store.finish_run(run_id)
    summary.interrupted = stop.is_set()
    summary.seconds = time.monotonic() - started
    return summary


def _resolve(store: Store, backend, cutoff: str, run_id: int, summary: AuditSummary,
             progress: Progress, stop: threading.Event) -> None:
    total = store.count("SELECT COUNT(*) FROM links l WHERE NOT EXISTS (SELECT 1 FROM checks "
                        "c WHERE c.link_id = l.id AND c.checked_at >= ?)", cutoff)
    if not total:
        return
    done = [0]

    def counted(_results) -> None:
        done[0] += len(_results)
        progress("links", done[0], total)

    writer = ResultWriter(store, run_id, on_commit=counted)
    try:
        backend.resolve(store, cutoff, writer, stop)
    finally:
        writer.flush()
        summary.links_checked += writer.written


def link_row(url: str) -> tuple[str, str, str, str, int]:
    from linkcheck.urls.normalise import normalize

    host = (urlsplit(url).hostname or "").lower()
    domain = registrable_domain(host)
    return url, normalize(url), host, domain, shard_key(domain)


def _read_articles(store: Store, batch, options: CatalogueOptions, sink, transport,
                   summary: AuditSummary, stop: threading.Event) -> None:
    from linkcheck.inputs.files import is_url

    async def read_all() -> None:
        from linkcheck.pipeline import make_transport
        from linkcheck.resolve.client import Resolver

        resolver = None
        if any(is_url(row[1]) for row in batch):
            resolver = Resolver(options.audit.settings,
                                transport or make_transport(options.audit), sink)
        try:
            gate = asyncio.Semaphore(options.audit.settings.concurrency)

            async def one(row):
                async with gate:
                    return row[0], *await _read_one(row[1], resolver, options.audit, sink)

            for next_done in asyncio.as_completed([one(row) for row in batch]):
                article_id, article, citations, error = await next_done
                links = list(dict.fromkeys(c.url for c in citations
                                           if c.checkable))
                store.store_extraction(article_id, article, citations,
                                       [link_row(u) for u in links], error)
                summary.articles_read += 1
                summary.article_errors += error is not None
                if stop.is_set():
                    break
        finally:
            if resolver is not None:
                await resolver.aclose()

    asyncio.run(read_all())


async def _read_one(url: str, resolver, audit: AuditOptions, sink):
    from linkcheck.archive.article_record import article_mime, article_uri
    from linkcheck.extract import extract
    from linkcheck.inputs.files import is_url, load_file
    from linkcheck.inputs.published import fetch_article
    from linkcheck.pipeline import _apply_filters

    try:
        if is_url(url):
            article = await fetch_article(resolver, url)
        else:
            article = load_file(Path(url))
            if sink is not None and article.raw is not None:
                sink.write_resource(article_uri(article), redact_userinfo_bytes(article.raw),
                                    article_mime(article))
        citations = extract(article)
        _apply_filters(citations, audit)
        article.raw = None
        return article, citations, None
    except InputError as exc:
        return None, [], str(exc)


def _analyse_ready(store: Store, cutoff: str, audit: AuditOptions, summary: AuditSummary,
                   progress: Progress, stop: threading.Event) -> None:
    from linkcheck.pipeline import _analyse

    for article_id in store.ready_articles(cutoff):
        if stop.is_set():
            return
        article, citations, links = store.load_article(article_id)
        report = _analyse(article, citations, links, audit, {})
        store.store_findings(article_id, report.findings)
        summary.articles_analysed += 1
        summary.findings += len(report.findings)
        progress("articles", summary.articles_analysed, None)


class _StopOn:
    """SIGINT and SIGTERM stop the run cleanly: what finished is committed."""

    def __init__(self, stop: threading.Event):
        self.stop = stop
        self.previous: dict[int, Any] = {}

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self.previous[sig] = signal.signal(sig, lambda *_: self.stop.set())
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)
