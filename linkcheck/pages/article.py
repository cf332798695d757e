"""The article body of a published page: the story's own text and links,
without navigation, footers, related-story rails or ads.

trafilatura (already our main-text extractor, and the best-scoring open-source
one in its own and independent benchmarks) finds the body; its Markdown output
keeps the body's links as [words](url), resolved against the page URL, so the
audit reads the body exactly like a Markdown draft: citations, their anchor
text, and line/column in that extracted Markdown.
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

_MD_LINK = re.compile(r"\]\((?:https?://|/)")
_LINK_WORDS = re.compile(r"!?\[[^\]]*\]\([^)]*\)")
MIN_WORDS = 12  # words outside links for a text to count as an article body


def extract_body(html: str, url: str) -> dict | None:
    """{"text": Markdown body, "extractor": ..., "links_in_page": n, "links_in_body": m},
    or None when no article body can be told apart from the page."""
    try:
        import lxml.html
        import trafilatura
    except ImportError:  # pragma: no cover - both are dependencies
        return None
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8", "replace"),
                                             parser=lxml.html.HTMLParser(encoding="utf-8"))
        links_in_page = len(root.xpath("//a[@href]"))
        body = trafilatura.extract(
            root, url=url, output_format="markdown", include_links=True,
            include_comments=False, include_tables=True, include_images=False,
            include_formatting=True, deduplicate=False)
    except Exception as exc:  # its heuristics on arbitrary pages are not ours to trust
        log.debug("trafilatura failed on %s: %s", url, exc)
        return None
    if not body or len(_LINK_WORDS.sub(" ", body).split()) < MIN_WORDS:
        return None  # nothing, or only links (a menu): no story to tell apart
    # Source indentation survives inside paragraphs; four spaces would make a
    # Markdown code block of the line, so lines start at their first word.
    text = re.sub(r"\n[ \t]+", "\n", body.strip()) + "\n"
    return {"text": text, "extractor": f"trafilatura {trafilatura.__version__}",
            "links_in_page": links_in_page, "links_in_body": len(_MD_LINK.findall(text))}
