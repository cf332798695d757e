"""Plain data that travels between the pipeline stages.

extract -> Citation; resolve -> Resolution (with Hops and PageMeta);
timeline -> StoryDate; rules -> Finding; report <- ArticleReport / AuditReport.
Nothing here does I/O: every stage can be tested with hand-made values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import date as _date  # for fields named `date`
from enum import StrEnum
from typing import TypedDict


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class Outcome(StrEnum):
    OK = "ok"
    REDIRECTED = "redirected"
    BROKEN = "broken"
    BLOCKED = "blocked"
    ERROR = "error"
    SKIPPED = "skipped"

    @property
    def alive(self) -> bool:
        """The link answered with a page (directly or after redirects)."""
        return self in (Outcome.OK, Outcome.REDIRECTED)


class ArticleKind(StrEnum):
    """The syntax an article is written in (which extractor reads it)."""

    TXT = "txt"
    MD = "md"
    HTML = "html"


class ArticleBody(TypedDict, total=False):
    """How the article body of a page was found (reported as `body`)."""

    # "article body" (the extractor found it), "structure" (<article>, <main>, ...),
    # "whole page" (none found: all but the site furniture), "whole file" (a draft
    # or fragment, or --whole-page)
    mode: str
    extractor: str | None  # e.g. "trafilatura 2.0.0", "<article>"; None: no body found
    note: str  # why, in words, when the page is audited whole
    links_in_page: int
    links_in_body: int


@dataclass
class Article:
    """One article as read from disk, stdin or the web."""

    path: str  # as the user named it ("-" for stdin, or the URL)
    text: str  # the text citations are located in (line/column refer to it)
    kind: ArticleKind | str  # an ArticleKind value ("txt", "md", "html")
    base_url: str | None = None  # for relative links (HTML <base>, or the page URL)
    published: date | None = None  # from the article's own metadata, if any
    published_evidence: str | None = None  # where that date was found
    published_at: str | None = None  # its timestamp with offset, when the metadata gave one
    raw: bytes | None = None  # the bytes as read, kept for the snapshot
    publisher: str | None = None  # the article's own publisher, when known (a fetched page)
    body: ArticleBody | None = None  # for a page: how its article body was found
    body_links: list[str] | None = None  # an HTML page's article-body links (None: all)
    whole_page: bool = False  # audit every link of an HTML page (--whole-page)


@dataclass
class Citation:
    """One occurrence of a URL in an article."""

    url: str
    line: int  # 1-based
    column: int  # 1-based, of the URL in the source text
    text: str = ""  # anchor text, or the sentence around a bare URL
    skipped: str | None = None  # why it is never fetched (mailto:, fragment, ...)
    invalid: str | None = None  # why the URL cannot be parsed at all
    suggestion: str | None = None  # the URL the writer most likely meant, for an invalid one
    embed: str | None = None  # "x", "instagram", ...: one embedded post, cited by its URL
    region: str = ""  # in an HTML page: "furniture" (nav, header, footer), "body" or ""
    origin: str = ""  # in HTML: "href", "cite", "text" (written out) or "embed"
    version_url: str | None = None  # Robust Links: the archived copy the draft gives
    version_date: str | None = None  # Robust Links: its date (data-versiondate)

    @property
    def checkable(self) -> bool:
        """Neither skipped nor invalid: a URL the audit fetches."""
        return not (self.skipped or self.invalid)


@dataclass
class Hop:
    """One request/response exchange on the way to the final answer."""

    url: str
    status: int | None = None
    location: str | None = None
    ip: str | None = None


@dataclass
class PageMeta:
    """What a fetched page says about itself. Each value keeps its source."""

    title: str | None = None
    publisher: str | None = None  # in English, as stories name it ("RIA Novosti")
    publisher_native: str | None = None  # the page's own name when different ("РИА Новости")
    publisher_names: list[str] = field(default_factory=list)  # every name the page gives itself
    canonical: str | None = None
    language: str | None = None
    author: str | None = None
    published: date | None = None  # the calendar date the publisher wrote
    published_at: str | None = None  # its timestamp with offset, when the page gives one
    modified: date | None = None
    headings: list[str] = field(default_factory=list)
    paragraphs: int = 0  # paragraphs of running text (20 words or more): an article has several
    text: str | None = None  # main text, for drift and source matching
    sources: dict[str, str] = field(default_factory=dict)  # field -> where found


@dataclass
class Archived:
    """An archived copy (a memento) of a link, checked like a live page."""

    url: str  # the memento's URI-M, as readers open it
    datetime: str  # its Memento-Datetime, ISO 8601 (UTC)
    archive: str  # the archive's name ("Wayback Machine", or its host)
    status: int | None  # the memento's HTTP status as replayed
    checked: bool  # fetched and checked (not soft 404, bot wall, redirect home, other story)
    why: str  # in words: which capture, and what the checks found


@dataclass
class Candidate:
    """A URL the writer may have meant instead of a broken one."""

    url: str
    datetime: str | None  # when it was captured (ISO 8601), if found in an archive
    why: str  # e.g. "same slug, captured 2021-12-15, title matches the Related article line"
    score: float = 0.0  # for ranking: closeness to the story date and title match
    memento: str | None = None  # the capture it was seen in
    title_match: bool = False  # its captured title matches the citation's headline


@dataclass
class Resolution:
    """Everything learned about one distinct URL."""

    url: str
    outcome: Outcome
    final_url: str | None = None
    status: int | None = None
    hops: list[Hop] = field(default_factory=list)  # every exchange, final one last
    error: str | None = None
    error_kind: str | None = None  # dns | tls | refused | timeout | reset | protocol | ...
    content_type: str | None = None
    meta: PageMeta = field(default_factory=PageMeta)
    blocked_reason: str | None = None
    private_address: str | None = None  # the refused address, when the guard stopped it
    from_cache: bool = False
    cached: dict | None = None  # from the cache: {"checked": when, "warc": its snapshot or None}
    elapsed: float = 0.0
    attempts: int = 0
    body: bytes | None = field(default=None, repr=False)  # decoded payload, kept on request
    archived: Archived | None = None  # an archived copy, for a dead, blocked or drifted link
    archive_note: str | None = None  # why there is none ("no capture before 2021-12-17")
    candidates: list[Candidate] = field(default_factory=list)  # where the writer's URL may be

    @property
    def redirects(self) -> list[Hop]:
        """The hops that answered with a redirect (all but the last)."""
        return [h for h in self.hops[:-1]] if len(self.hops) > 1 else []


@dataclass
class DateEvidence:
    """A dated piece of evidence the story's date can be inferred from."""

    url: str
    date: _date
    source: str  # "url" | "page:<how>"


@dataclass
class StoryDate:
    date: _date | None
    source: str  # explicit | metadata | inferred | unknown
    evidence: list[DateEvidence] = field(default_factory=list)  # what inference used
    explanation: str = ""
    tolerance_days: int = 1
    instant: datetime | None = None  # the story's timestamp (with offset), when known

    @property
    def window_end(self) -> _date | None:
        from datetime import timedelta

        if self.date is None:
            return None
        try:
            return self.date + timedelta(days=self.tolerance_days)
        except OverflowError:  # a tolerance past year 9999 means "no date is too late"
            return date.max


@dataclass
class Finding:
    rule: str
    severity: Severity
    url: str
    line: int
    column: int
    message: str
    evidence: dict = field(default_factory=dict)


@dataclass
class Support:
    """An article sentence that a cited link backs (the source map, sourcemap.py)."""

    sentence: str
    line: int  # 1-based, where the sentence starts in the article text
    column: int
    confidence: float  # 0..1
    why: str  # the evidence, in words


@dataclass
class ArticleReport:
    article: Article
    citations: list[Citation]
    links: dict[str, Resolution]  # distinct URL -> its resolution, in first-cited order
    story: StoryDate
    findings: list[Finding]
    suppressed: list[Finding] = field(default_factory=list)  # inline markers, baseline
    supports: dict[str, list[Support]] = field(default_factory=dict)  # URL -> sentences it backs


@dataclass
class AuditReport:
    articles: list[ArticleReport]
    warc: str | None = None
    interrupted: bool = False
    signal: int | None = None  # the signal that stopped the audit, if one did
    # what the audit could only partly use (a replayed WARC that ends early, ...)
    notices: list[str] = field(default_factory=list)
    # links answered from the resolution cache, so with no capture in this snapshot:
    # {"url", "checked" (when the cache fetched it), "warc" (the snapshot it went to)}
    not_captured: list[dict] = field(default_factory=list)
    archive_notes: list[str] = field(default_factory=list)  # e.g. an archive that rate-limited us


@dataclass
class Exchange:
    """One HTTP request and its response, as they crossed the wire.

    `body` holds the response payload exactly as received: still
    content-encoded, with chunked framing removed. This is what the archive
    stores and what a replay serves back.
    """

    url: str
    method: str
    request_target: str  # path?query as sent on the request line
    request_headers: list[tuple[str, str]]
    http_version: str  # "HTTP/1.1"
    status: int
    reason: str
    response_headers: list[tuple[str, str]]  # original names, order and repeats
    body: bytes
    truncated: bool = False
    ip: str | None = None
    started: float = 0.0  # time.time() when the request was sent


@dataclass
class FetchedPage:
    """A link as the resolver leaves it: every hop, and the final exchange
    with its headers (names lower-cased). Page analysis makes it a Resolution."""

    url: str  # as cited
    hops: list[Hop]
    exchange: Exchange
    headers: dict[str, str]
