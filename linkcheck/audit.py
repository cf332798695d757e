"""The audit pipeline: articles -> citations -> resolutions (archived as they
happen) -> story date -> findings. One crawl is shared by every article, so a
URL cited in ten drafts is fetched and archived once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx

from linkcheck.archive.writer import WarcSnapshot
from linkcheck.errors import InputError
from linkcheck.extract import extract
from linkcheck.inputs import is_url, load_paths
from linkcheck.model import Article, ArticleReport, AuditReport, Outcome, Resolution, Severity
from linkcheck.resolve.client import Resolver
from linkcheck.resolve.settings import ResolveSettings
from linkcheck.rules import RuleContext, run_rules
from linkcheck.timeline import story_date


@dataclass
class AuditOptions:
    settings: ResolveSettings = field(default_factory=ResolveSettings)
    published: date | None = None
    warc: Path | None = None  # None: no snapshot
    replay: list[str] = field(default_factory=list)
    tolerance_days: int = 1
    severities: dict[str, Severity] = field(default_factory=dict)
    disabled: set[str] = field(default_factory=set)
    stdin_kind: str | None = None
    warc_info: dict[str, object] = field(default_factory=dict)
    transport: httpx.AsyncBaseTransport | None = None  # tests inject one


def make_transport(options: AuditOptions) -> httpx.AsyncBaseTransport:
    if options.transport is not None:
        return options.transport
    if options.replay:
        from linkcheck.archive.replay import ReplayTransport

        return ReplayTransport(options.replay)
    from linkcheck.resolve.transport import GuardedTransport

    return GuardedTransport(allow_private=options.settings.allow_private,
                            max_connections=options.settings.concurrency)


async def run_audit(paths: list[str], options: AuditOptions) -> AuditReport:
    articles = load_paths(paths, options.stdin_kind)
    snapshot = None
    if options.warc is not None:
        info = {"operator-software": "linkcheck audit", **options.warc_info,
                "articles": ", ".join(paths)}
        snapshot = WarcSnapshot(options.warc, info)
    try:
        async with Resolver(options.settings, make_transport(options), snapshot) as resolver:
            for p in paths:
                if is_url(p):
                    articles.append(await _fetch_article(resolver, p))
            if not articles:
                raise InputError("no articles found in " + ", ".join(paths))
            if snapshot is not None:
                for a in articles:
                    if a.raw is not None and not is_url(a.path):
                        snapshot.write_resource(_article_uri(a), a.raw, _mime(a))
            per_article = [(a, extract(a)) for a in articles]
            urls = [c.url for _, cites in per_article for c in cites
                    if not c.skipped and not c.invalid]
            links = await resolver.resolve_all(urls)
        reports = [_analyse(a, cites, links, options) for a, cites in per_article]
    finally:
        if snapshot is not None:
            snapshot.close()
    return AuditReport(articles=reports, warc=str(options.warc) if options.warc else None)


def _analyse(article: Article, citations, links: dict[str, Resolution],
             options: AuditOptions) -> ArticleReport:
    mine = {c.url: links[c.url] for c in citations if c.url in links}
    story = story_date(options.published, article.published, article.published_evidence,
                       citations, mine, options.tolerance_days)
    ctx = RuleContext(article, citations, mine, story, options.severities)
    findings = run_rules(ctx, options.disabled)
    return ArticleReport(article, citations, mine, story, findings)


async def _fetch_article(resolver: Resolver, url: str) -> Article:
    """A published article by its URL: fetched (and archived) like any link."""
    res = await resolver.resolve(url, keep_body=True)
    if res.outcome not in (Outcome.OK, Outcome.REDIRECTED) or res.body is None:
        raise InputError(f"cannot fetch the article {url}: "
                         f"{res.error or f'HTTP {res.status}'}")
    from linkcheck.pages import decode_body

    text, _ = decode_body(res.body, res.content_type)
    article = Article(path=url, text=text, kind="html", base_url=res.final_url, raw=res.body)
    if res.meta.published:
        article.published = res.meta.published
        article.published_evidence = f"page metadata ({res.meta.sources.get('published')})"
    return article


def _article_uri(article: Article) -> str:
    if article.path == "-":
        return "urn:linkcheck:article:stdin"
    return Path(article.path).resolve().as_uri()


def _mime(article: Article) -> str:
    return {"txt": "text/plain; charset=utf-8", "md": "text/markdown; charset=utf-8",
            "html": "text/html"}[article.kind]
