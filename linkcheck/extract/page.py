"""Which links of an HTML page are the story's citations.

A whole web page given as a file (a saved page, a CMS preview) carries the
site's navigation, header, footer and related-story rails around the story:
only its article body is audited, found as `audit URL` finds it (trafilatura),
else from the page's structure (<article>, <main>, [itemprop=articleBody], the
densest block of text). A draft or CMS fragment, with no such furniture, is
audited whole; so is any page with --whole-page. Links in the site's furniture
are never citations, so navigation repeated in header and footer is never a
duplicate. `Article.body` says which was done.
"""

from __future__ import annotations

import html
from collections import Counter
from urllib.parse import urlsplit

from linkcheck.model import Article, Citation

FURNITURE = "site furniture (navigation, header or footer): not a citation"


def select_citations(article: Article, citations: list[Citation]) -> list[Citation]:
    from linkcheck.pages.article import body_links, is_whole_page

    if article.whole_page:
        article.body = {"mode": "whole file", "note": "--whole-page: every link is audited"}
        return citations
    if article.body is None:
        if not is_whole_page(citations):
            article.body = {"mode": "whole file",
                            "note": "a draft or fragment (no site navigation, header or "
                                    "footer): every link is audited"}
            return citations
        article.body_links, article.body = body_links(article.text, article.base_url)
    if article.body_links is not None:
        return _in_body(citations, article.body_links)
    if article.body is not None and article.body.get("mode") == "whole page":
        for c in citations:
            if c.region == "furniture" and not c.skipped:
                c.skipped = FURNITURE
    return citations


def _key(url: str) -> str:
    url = html.unescape(url).strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    path = parts.path.rstrip("/") or "/" if parts.netloc else parts.path
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}?{parts.query}"


def _in_body(citations: list[Citation], links: list[str]) -> list[Citation]:
    """The citations that are the body's links, each body link matched once, in
    the page's body rather than its furniture when the same URL is in both."""
    wanted = Counter(_key(u) for u in links)
    keep: set[int] = set()
    order = sorted(range(len(citations)), key=lambda i: citations[i].region == "furniture")
    for i in order:
        c = citations[i]
        if c.origin in ("embed", "cite", "text"):
            if c.region != "furniture":
                keep.add(i)
        elif wanted[_key(c.url)] > 0:
            wanted[_key(c.url)] -= 1
            keep.add(i)
    return [c for i, c in enumerate(citations) if i in keep]
