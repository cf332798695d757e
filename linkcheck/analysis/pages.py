"""Page analysis: what a fetched page says about itself, and from that the
link's outcome. The resolver fetches and archives; this stage turns each
final answer into a Resolution as soon as it lands, while the rest of the
crawl is still in flight.

`analyse_page` is a plain function of a `FetchedPage`; `PageAnalysis` binds
the settings an audit chose once, before its crawl (the page-text mode comes
from the articles, not from the crawl settings, so those are never changed
mid-run).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from linkcheck.model import FetchedPage, Outcome, PageMeta, Resolution
from linkcheck.resolve.classify import classify
from linkcheck.resolve.decode import DecodeError, decode_content
from linkcheck.resolve.settings import ResolveSettings

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class PageAnalysis:
    """The analysis stage as the resolver calls it: page -> Resolution.

    page_text: False, "plain" (all visible text: source matching) or "main"
    (the article body by trafilatura: content drift).
    """

    settings: ResolveSettings
    page_text: bool | str = False
    # when given, each page's source-map profile is made as it lands, here (it
    # is most of the source map's work); URL -> LinkProfile
    profiles: dict[str, Any] | None = None

    def __call__(self, page: FetchedPage, keep_body: bool = False) -> Resolution:
        res = analyse_page(page, self.settings, self.page_text, keep_body)
        if self.profiles is not None:
            from linkcheck.analysis.content_match import profile

            self.profiles[res.url] = profile(res.url, res)
        return res


def analyse_page(page: FetchedPage, settings: ResolveSettings, page_text: bool | str = False,
                 keep_body: bool = False) -> Resolution:
    hops, ex, headers = page.hops, page.exchange, page.headers
    final_url = hops[-1].url
    content_type = headers.get("content-type", "")
    meta = PageMeta()
    try:
        body, _ = decode_content(ex.body, headers.get("content-encoding"), settings.max_decoded)
    except DecodeError:
        body = b""
    if looks_html(content_type, body):
        meta = page_meta(body, content_type, final_url, headers, page_text)
    elif "pdf" in content_type.lower() or body[:5] == b"%PDF-":
        from linkcheck.pages.pdf import extract_pdf_meta

        meta = extract_pdf_meta(body)
    outcome, blocked = classify(hops, headers, meta, body)
    if settings.accept_by_domain and ex.status in settings.accepted_for(final_url):
        outcome, blocked = Outcome.OK, None  # the newsroom said this answer is fine
    return Resolution(url=page.url, outcome=outcome, final_url=final_url, status=ex.status,
                      hops=list(hops), content_type=content_type or None, meta=meta,
                      blocked_reason=blocked, body=body if keep_body else None)


def looks_html(content_type: str, body: bytes) -> bool:
    if content_type:
        low = content_type.lower()
        return any(t in low for t in HTML_TYPES)
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def page_meta(body: bytes, content_type: str, url: str, headers: dict[str, str],
              with_text: bool | str) -> PageMeta:
    from linkcheck.pages import decode_body, extract_meta
    from linkcheck.pages.bounds import analysable_bytes

    text, _ = decode_body(analysable_bytes(body), content_type)  # bounded, whatever the page
    return extract_meta(text, url, headers, with_text=with_text)
