"""The audit pipeline, as named steps with plain data between them:

    load -> extract -> resolve + archive -> analyse -> rules -> package

`load` reads the articles (and opens the snapshot), `extract` finds their
citations and decides what the crawl must keep of each page, `crawl` resolves
and archives every distinct URL once (each page analysed as it lands, by the
analysis stage in linkcheck/analysis/pages.py), `analyse` gives each article
its story date and source map, `rules` its findings, and `package` the
snapshot's index and WACZ. One crawl is shared by every article, so a URL
cited in ten drafts is fetched and archived once."""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import json
import re
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from linkcheck.analysis.pages import PageAnalysis
from linkcheck.archive.article_record import article_mime, article_uri
from linkcheck.archive.coverage import cache_info, not_captured_info, uncaptured_links
from linkcheck.errors import InputError
from linkcheck.inputs.files import is_url, load_paths
from linkcheck.inputs.published import fetch_article
from linkcheck.model import (
    Article,
    ArticleReport,
    AuditReport,
    Citation,
    Resolution,
    Severity,
    StoryDate,
)
from linkcheck.resolve.client import Resolver
from linkcheck.resolve.settings import ResolveSettings
from linkcheck.urls.normalise import redact_userinfo_bytes

if TYPE_CHECKING:
    import httpx

    from linkcheck.analysis.sourcemap import SourceMap
    from linkcheck.archive.earlier import EarlierSnapshot
    from linkcheck.archive.writer import WarcSnapshot


@dataclass
class AuditOptions:
    settings: ResolveSettings = field(default_factory=ResolveSettings)
    published: date | None = None
    published_at: datetime | None = None  # --published with a time and offset
    warc: Path | None = None  # None: no snapshot
    replay: list[str] = field(default_factory=list)
    tolerance_days: int = 1
    severities: dict[str, Severity] = field(default_factory=dict)
    disabled: set[str] = field(default_factory=set)
    stdin_kind: str | None = None
    warc_info: dict[str, object] = field(default_factory=dict)
    include: list[str] = field(default_factory=list)  # regexes: only these URLs are checked
    exclude: list[str] = field(default_factory=list)  # regexes: these URLs are skipped
    cache_path: Path | None = None  # None: no cache
    cache_ttl: float = 86400
    progress: Callable[[int, int], None] | None = None  # (links done, links in all)
    transport: httpx.AsyncBaseTransport | None = None  # tests inject one
    rule_options: dict[str, object] = field(default_factory=dict)  # e.g. stale_years
    index: bool = False  # also write a CDXJ index beside the WARC
    wacz: bool = False  # also package the WARC, its index and pages as a WACZ
    dedup_against: list[str] = field(default_factory=list)  # earlier WARCs: store revisits
    compare: str | None = None  # an earlier snapshot, for content-drift
    warc_level: int = 1  # gzip level of the WARC records
    jobs: int | None = 1  # crawl processes (host shards); None: cores, 1 for a small audit
    whole_page: bool = False  # HTML pages given as files: audit every link (--whole-page)
    mend: object | None = None  # a linkcheck.mend.step.MendOptions: archived copies, candidates


@dataclass
class Loaded:
    """The load step: the articles read from files and stdin (fetched ones
    follow once the resolver is open), the snapshot being written, the earlier
    snapshot to compare with."""

    articles: list[Article]
    urls: list[str]  # articles named by their http(s) URL
    snapshot: WarcSnapshot | None
    compare: EarlierSnapshot | None


@dataclass
class Extracted:
    """The extract step: each article's citations, the distinct URLs to check,
    and what the crawl keeps of each page's text (False, "plain" or "main")."""

    per_article: list[tuple[Article, list[Citation]]]
    urls: list[str]
    page_text: bool | str


@dataclass
class Crawl:
    """The resolve + archive step: every distinct URL's resolution (pages
    already analysed), https twins for insecure-link, the earlier snapshot's
    answers for content-drift, and the signal that stopped it, if one did."""

    links: dict[str, Resolution]
    probes: dict[str, Resolution]
    earlier: dict[str, Any]
    signal: int | None = None
    profiles: dict[str, Any] = field(default_factory=dict)  # URL -> source-map profile


@dataclass
class Analysed:
    """The analyse step, for one article: its links, story date and source map."""

    article: Article
    citations: list[Citation]
    links: dict[str, Resolution]
    story: StoryDate
    sources: SourceMap


def tune_gc() -> None:
    """For a process about to audit: what is imported now lives as long as the
    process, so the collector stops scanning it (gc.freeze), and collects less
    often (an audit allocates many short-lived small objects, few cycles)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def make_transport(options: AuditOptions) -> httpx.AsyncBaseTransport:
    """The live network, or the replayed WARCs (which answer the same every time,
    so run_audit does not retry them)."""
    if options.transport is not None:
        return options.transport
    if options.replay:
        from linkcheck.archive.replay import ReplayTransport

        return ReplayTransport(options.replay, max_body=options.settings.max_body)
    from linkcheck.resolve.transport import GuardedTransport

    return GuardedTransport(allow_private=options.settings.allow_private)


def _make_cache(options: AuditOptions):
    if options.cache_path is None or options.replay:
        return None  # a replay answers from the WARC alone
    from linkcheck.resolve.cache import ResolutionCache

    try:
        s = options.settings
        context = json.dumps([s.allow_private, sorted(s.accept_by_domain.items()),
                              bool(options.compare)], default=str)
        return ResolutionCache(options.cache_path, options.cache_ttl, context,
                               captured_in=str(options.warc) if options.warc else None)
    except Exception as exc:  # an unusable cache must not stop the audit
        import sys

        print(f"linkcheck: cache disabled ({options.cache_path}: {exc})", file=sys.stderr)
        return None


def _apply_filters(citations, options: AuditOptions) -> None:
    include = [re.compile(p) for p in options.include]
    exclude = [re.compile(p) for p in options.exclude]
    for c in citations:
        if not c.checkable:
            continue
        if include and not any(p.search(c.url) for p in include):
            c.skipped = "not matched by the include patterns"
        elif any(p.search(c.url) for p in exclude):
            c.skipped = "excluded by configuration"


class _Signals:
    """SIGINT/SIGTERM stop the crawl; what finished is still reported and archived."""

    def __init__(self, stop: Callable[[], None]):
        self.stop, self.received = stop, None

    def __enter__(self):
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, self._stop, sig)
            except (NotImplementedError, RuntimeError, ValueError):
                pass  # not the main thread (tests) or not supported here
        return self

    def _stop(self, sig) -> None:
        self.received = sig
        self.stop()

    def __exit__(self, *exc):
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.remove_signal_handler(sig)
            except (NotImplementedError, RuntimeError, ValueError):
                pass


def _warm_imports() -> None:
    """Page analysis pulls in lxml, htmldate and trafilatura (about 0.3 s), the
    rules and the source map more: importing them in a thread while the first
    requests are in flight keeps that off the critical path of the crawl."""
    import linkcheck.analysis.sourcemap  # noqa: F401
    import linkcheck.analysis.story_date  # noqa: F401
    import linkcheck.pages.metadata  # noqa: F401
    import linkcheck.rules  # noqa: F401
    import linkcheck.rules.suppress  # noqa: F401


async def run_audit(paths: list[str], options: AuditOptions) -> AuditReport:
    warming = asyncio.get_running_loop().run_in_executor(None, _warm_imports)
    loaded = load(paths, options)
    cache = _make_cache(options)
    snapshot = loaded.snapshot
    try:
        transport = make_transport(options)
        notices: list[str] = []  # a replayed or earlier WARC that ends early
        for source in (transport, loaded.compare.transport if loaded.compare else None):
            notices += getattr(source, "notices", [])
        for notice in notices:
            print(f"linkcheck: {notice}", file=sys.stderr)
        async with Resolver(_crawl_settings(options), transport, snapshot,
                            cache) as resolver:
            for url in loaded.urls:
                loaded.articles.append(await fetch_article(resolver, url, options.whole_page))
            if not loaded.articles:
                raise InputError("no articles found in " + ", ".join(paths))
            _archive_articles(loaded)
            extracted = extract_all(loaded.articles, options, compare=loaded.compare is not None)
            jobs = options.jobs or _default_jobs(extracted.urls)
            if jobs > 1 and (options.transport is not None or options.replay):
                jobs = 1  # an injected or replayed transport answers in this process only
            if jobs > 1:
                await warming  # fork after the imports: every child starts warm
            crawl = await resolve_and_archive(resolver, extracted, options, jobs, snapshot,
                                              cache)
        await warming
        if loaded.compare:
            # read back as this crawl was: its own settings, with this crawl's page text
            crawl.earlier = await loaded.compare.resolve(
                extracted.urls, dataclasses.replace(options.settings,
                                                    page_text=extracted.page_text))
        analysed = [analyse(a, cites, crawl.links, options, crawl.profiles)
                    for a, cites in extracted.per_article]
        reports = [apply_rules(one, options, crawl) for one in analysed]
        archive_notes = []
        if options.mend is not None and crawl.signal is None:
            from linkcheck.mend.step import mend_links  # archived copies and intended URLs

            archive_notes = await mend_links(reports, options, snapshot)
        not_captured = uncaptured_links(crawl.links)
        if snapshot is not None:
            from linkcheck.archive.verdicts import write_verdicts

            write_verdicts(snapshot, reports)  # after the rules, before the file is closed
            if not_captured:
                snapshot.write_warcinfo(not_captured_info(not_captured))
    finally:
        if snapshot is not None:
            snapshot.close()
        if cache is not None:
            cache.close()
    if snapshot is not None and (options.index or options.wacz):
        package(options, reports, snapshot)
    report = AuditReport(articles=reports, warc=str(options.warc) if options.warc else None,
                         archive_notes=archive_notes,
                         notices=notices)
    report.not_captured = not_captured
    report.interrupted = crawl.signal is not None
    report.signal = crawl.signal
    return report


def load(paths: list[str], options: AuditOptions) -> Loaded:
    """Read the articles; open the earlier snapshot (a bad file stops the audit
    before any fetch) and the snapshot to write."""
    articles = load_paths(paths, options.stdin_kind)
    for a in articles:
        a.whole_page = options.whole_page
    compare = None
    if options.compare:
        from linkcheck.archive.earlier import EarlierSnapshot

        compare = EarlierSnapshot(options.compare)
    snapshot = None
    if options.warc is not None:
        from linkcheck.archive.writer import WarcSnapshot, settings_info

        info = {"operator-software": "linkcheck audit", **options.warc_info,
                **settings_info(options.settings), "article": list(paths)}
        if options.replay:  # its captures are copies of these, not fetched from the web
            info["replayed-from"] = [Path(p).name for p in options.replay]
        info.update(cache_info(options.cache_path, bool(options.replay)))
        snapshot = WarcSnapshot(options.warc, info, options.dedup_against,
                                level=options.warc_level)
    return Loaded(articles, [p for p in paths if is_url(p)], snapshot, compare)


def _crawl_settings(options: AuditOptions) -> ResolveSettings:
    if options.replay:  # a stored answer never changes: retrying it only waits
        return dataclasses.replace(options.settings, retries=0)
    return options.settings


def _archive_articles(loaded: Loaded) -> None:
    """The audited articles themselves, as resource records (fetched ones are
    already in the snapshot as responses)."""
    if loaded.snapshot is None:
        return
    for a in loaded.articles:
        if a.raw is not None and not is_url(a.path):
            # the article as written, less any credentials in its URLs
            loaded.snapshot.write_resource(article_uri(a), redact_userinfo_bytes(a.raw),
                                           article_mime(a))


def extract_all(articles: list[Article], options: AuditOptions,
                compare: bool = False) -> Extracted:
    """Citations of every article, filtered; the distinct URLs; and the page text
    the analysis needs: the article bodies for content drift (--compare), all
    visible text when links listed apart from the text are to be matched to
    sentences by page content, else none."""
    from linkcheck.extract import extract

    per_article = [(a, extract(a)) for a in articles]
    for _, cites in per_article:
        _apply_filters(cites, options)
    urls = list(dict.fromkeys(c.url for _, cites in per_article for c in cites
                              if not c.skipped and not c.invalid))
    page_text = options.settings.page_text
    if compare:
        page_text = "main"
    elif not page_text:
        from linkcheck.analysis.sourcemap import needs_page_text

        if any(needs_page_text(a, cites) for a, cites in per_article):
            page_text = "plain"
    return Extracted(per_article, urls, page_text)


def _default_jobs(urls: list[str]) -> int:
    from linkcheck.resolve.shards import default_jobs

    return default_jobs(urls)


async def resolve_and_archive(resolver: Resolver, extracted: Extracted,
                              options: AuditOptions, jobs: int = 1,
                              snapshot: WarcSnapshot | None = None,
                              cache=None) -> Crawl:
    """Every distinct URL resolved once and archived as it happens; each page
    analysed as it lands. With jobs > 1 the URLs are split into host shards
    crawled by forked processes (resolve/shards.py), each writing a part that
    is appended to the snapshot. SIGINT/SIGTERM stop the crawl, and what
    finished is still reported and archived."""
    profiles: dict[str, Any] = {}
    stage = PageAnalysis(options.settings, extracted.page_text, profiles)
    plain = PageAnalysis(options.settings, extracted.page_text)  # https twins: no profile
    done = [0]
    total = len(extracted.urls)

    def on_done(_res) -> None:
        done[0] += 1
        if options.progress:
            options.progress(done[0], total)

    if jobs <= 1:
        with _Signals(resolver.stop) as signals:
            links = await resolver.resolve_all(extracted.urls, on_done, analyse=stage)
            probes = await _probe_https(resolver, links, plain)
        return Crawl(links, probes, {}, int(signals.received) if signals.received else None,
                     profiles)

    from linkcheck.resolve.shards import ShardPool, split_by_host

    answered: dict[str, Resolution] = {}
    todo = []
    for url in extracted.urls:  # the cache answers first, as resolve_all does
        res = cache.get(url) if cache else None
        if res is None:
            todo.append(url)
        else:
            answered[url] = res
            on_done(res)
    pool = ShardPool(split_by_host(todo, jobs), resolver.settings, snapshot=snapshot,
                     page_text=extracted.page_text, on_result=on_done, profiles=profiles)
    with _Signals(pool.stop) as signals:
        found, stopped = await pool.run() if todo else ({}, False)
        if cache:
            for url in todo:
                cache.put(found[url])
        answered.update(found)
        in_order = {u: answered[u] for u in extracted.urls}
        resolver.interrupted = resolver.interrupted or stopped
        probes = await _probe_https(resolver, in_order, plain)
    return Crawl(in_order, probes, {}, int(signals.received) if signals.received else None,
                 profiles)


async def _probe_https(resolver: Resolver, links: dict[str, Resolution],
                       stage: PageAnalysis) -> dict[str, Resolution]:
    """For live http:// links that stay on http, whether the https twin answers
    (evidence for insecure-link)."""
    if resolver.interrupted:
        return {}
    # A URL with an explicit port cannot have its https twin on that same port.
    twins = {url: "https://" + url[len("http://"):] for url, res in links.items()
             if url.startswith("http://") and urlsplit(url).port is None
             and res.outcome.alive
             and (res.final_url or "").startswith("http://")}
    found = await resolver.resolve_all(twins.values(), analyse=stage) if twins else {}
    return {url: found[twin] for url, twin in twins.items() if twin in found}


def package(options: AuditOptions, reports, snapshot: WarcSnapshot) -> None:
    """The closed WARC's CDXJ index and WACZ package, beside it."""
    from linkcheck.archive.index import write_index
    from linkcheck.archive.wacz import cited_pages, write_wacz

    if options.index:
        write_index(snapshot.path)
    if options.wacz:
        write_wacz(snapshot.path, cited_pages(reports, snapshot.captured),
                   title=", ".join(r.article.path for r in reports))


def analyse(article: Article, citations: list[Citation], links: dict[str, Resolution],
            options: AuditOptions, profiles: dict[str, Any] | None = None) -> Analysed:
    """One article's links, its story date and its source map (which sentence
    each link supports): the cross-link work that waits for the whole crawl."""
    from linkcheck.analysis.sourcemap import build as build_source_map
    from linkcheck.analysis.story_date import story_date

    mine = {c.url: links[c.url] for c in citations if c.url in links}
    story = story_date(options.published, article.published, article.published_evidence,
                       citations, mine, options.tolerance_days, article=article,
                       instant=options.published_at)
    return Analysed(article, citations, mine, story,
                    build_source_map(article, citations, mine, profiles))


def _analyse(article: Article, citations: list[Citation], links: dict[str, Resolution],
             options: AuditOptions, probes: dict[str, Resolution],
             earlier: dict | None = None) -> ArticleReport:
    """One article through the analyse and rules steps, for callers that hold its
    links already (the catalogue analyses stored articles this way)."""
    crawl = Crawl(links, probes, earlier or {})
    return apply_rules(analyse(article, citations, links, options), options, crawl)


def apply_rules(one: Analysed, options: AuditOptions, crawl: Crawl) -> ArticleReport:
    """The findings of one analysed article, inline suppressions applied."""
    from linkcheck.rules import RuleContext, run_rules
    from linkcheck.rules.suppress import apply_inline

    ctx = RuleContext(one.article, one.citations, one.links, one.story, options.severities,
                      options=options.rule_options, probes=crawl.probes,
                      source_map=one.sources, earlier=crawl.earlier)
    report = ArticleReport(one.article, one.citations, one.links, one.story,
                           run_rules(ctx, options.disabled), supports=one.sources.supports)
    apply_inline(report)
    return report
