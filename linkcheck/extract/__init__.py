"""Turn an article into Citations: one extractor per kind of input."""

from __future__ import annotations

from urllib.parse import urlsplit

from linkcheck.extract.html import extract_html
from linkcheck.extract.markdown import extract_markdown
from linkcheck.extract.page import select_citations
from linkcheck.extract.text import extract_text
from linkcheck.model import Article, Citation
from linkcheck.urls.parse import invalid_reason, scheme_typo, skip_reason

EXTRACTORS = {
    "txt": lambda a: extract_text(a.text),
    "md": lambda a: extract_markdown(a.text),
    "html": lambda a: extract_html(a.text, a.base_url),
}


def extract(article: Article) -> list[Citation]:
    """Every citation in the article, in source order, each marked skipped or
    invalid when it must not be fetched."""
    citations = sorted(EXTRACTORS[article.kind](article), key=lambda c: (c.line, c.column))
    if article.kind == "html":
        citations = select_citations(article, citations)
    for c in citations:
        if c.invalid or c.skipped:  # already known (a URL cut at a line break, furniture)
            continue
        if (intended := scheme_typo(c.url)) is not None:
            rest = intended.split("://", 1)[1]
            written = c.url.strip()[:len(c.url.strip()) - len(rest)]
            c.invalid = (f"malformed URL: mistyped scheme {written!r}; "
                         f"did you mean {intended}?")
            c.suggestion = intended
            continue
        c.skipped = skip_reason(c.url)
        try:
            scheme = urlsplit(c.url).scheme
        except ValueError as exc:  # "http://[::1" and the like
            c.skipped, c.invalid = None, f"malformed URL: {exc}"
            continue
        if c.skipped is None and not scheme:
            c.skipped = "relative link (no base URL to resolve it against)"
        if c.skipped is None:
            c.invalid = invalid_reason(c.url)
    return citations
