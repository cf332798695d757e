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

from linkcheck.model import ArticleBody

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
        collapse_embeds(root)
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
    return {"text": text, "mode": "article body",
            "extractor": f"trafilatura {trafilatura.__version__}",
            "links_in_page": links_in_page, "links_in_body": len(_MD_LINK.findall(text))}


def collapse_embeds(root) -> int:
    """Each embedded post (extract/embeds.py) becomes one paragraph: its words and
    one link to the post itself, so the body cites the post and not the t.co,
    hashtag and ref_src links of its markup. Returns how many were collapsed."""
    from lxml import etree

    from linkcheck.extract.embeds import embed_in_tag, iframe_post

    done = 0
    for el in root.xpath("//blockquote | //div[@data-href] | //iframe[@src]"):
        if el.getparent() is None:
            continue  # inside an embed already collapsed
        attrs = dict(el.attrib)
        if el.tag == "iframe":
            post = iframe_post(attrs.get("src", ""))
            found = (post[1], post[0]) if post else None
            words = ""
        else:
            embed = embed_in_tag(el.tag, attrs)
            if embed is None:
                continue
            embed.links = [{"href": a.get("href", ""), "line": 0, "column": 0}
                           for a in el.xpath(".//a[@href]")]
            canonical = embed.canonical()
            found = (canonical[0], embed.kind) if canonical else None
            # the post's words, without the URLs written in it (t.co links)
            words = " ".join(w for w in " ".join(el.itertext()).split()
                             if "://" not in w and not w.lower().startswith("www."))[:300]
        if found is None:
            continue
        paragraph = etree.Element("p", {"data-linkcheck-embed": found[1]})
        paragraph.text = (words + " ") if words else ""
        link = etree.SubElement(paragraph, "a", {"href": found[0]})
        link.text = f"(embedded {found[1]} post)"
        paragraph.tail = el.tail
        el.getparent().replace(el, paragraph)
        done += 1
    return done


# --- an HTML file that is a whole page --------------------------------------

FURNITURE_LINKS = 5  # links in navigation, header or footer that make a file a whole page
_STRUCTURE = (("//article", "<article>"), ("//main", "<main>"),
              ("//*[@itemprop='articleBody']", "[itemprop=articleBody]"),
              ("//*[@role='main']", "[role=main]"))
_NOT_BODY = "ancestor-or-self::*[self::nav or self::header or self::footer or self::aside]"


def is_whole_page(citations) -> bool:
    """A saved page or CMS preview, with the site's furniture around the story
    (a draft or CMS fragment has none)."""
    # in-page links ("#section") are a draft's own table of contents, not the site's
    return sum(1 for c in citations if c.region == "furniture"
               and not c.url.startswith("#")) >= FURNITURE_LINKS


def body_links(html: str, url: str | None,
               extractor: bool = True) -> tuple[list[str] | None, ArticleBody]:
    """The links of the page's article body (None: the whole page), and what the
    report says about how that body was found. extractor=False: trafilatura
    already found none, go straight to the page's structure."""
    from linkcheck.extract.markdown import extract_markdown

    found = extract_body(html, url or "") if extractor else None
    if found is not None:
        links = [c.url for c in extract_markdown(found["text"])]
        return links, {"mode": "article body", "extractor": found["extractor"],
                       "links_in_page": found["links_in_page"], "links_in_body": len(links)}
    structural = structural_body(html, url)
    if structural is not None:
        links, how, in_page = structural
        return links, {"mode": "structure", "extractor": how, "links_in_page": in_page,
                       "links_in_body": len(links)}
    return None, {"mode": "whole page", "extractor": None,
                  "note": "no article body found; every link outside the site's navigation, "
                          "header and footer is audited"}


def structural_body(html: str, url: str | None) -> tuple[list[str], str, int] | None:
    """(links, how found, links in the page) from the page's own structure:
    <article>, <main>, [itemprop=articleBody], else the densest block of text."""
    from urllib.parse import urljoin

    try:
        import lxml.html

        root = lxml.html.document_fromstring(html.encode("utf-8", "replace"),
                                             parser=lxml.html.HTMLParser(encoding="utf-8"))
    except Exception:  # not parseable as a page at all
        return None
    in_page = len(root.xpath("//a[@href]"))
    element, how = None, ""
    for xpath, name in _STRUCTURE:
        hits = [e for e in root.xpath(xpath) if _words(e) >= MIN_WORDS]
        if hits:
            element, how = max(hits, key=_words), name
            break
    if element is None:
        blocks = [e for e in root.xpath("//div | //section | //td") if not e.xpath(_NOT_BODY)
                  and not e.xpath(".//nav | .//header | .//footer")]
        scored = [(_words(e) - 3 * _link_words(e), e) for e in blocks]
        scored = [(s, e) for s, e in scored if s >= MIN_WORDS]
        if not scored:
            return None
        element, how = max(scored, key=lambda p: p[0])[1], "densest text block"
    base = url or ""
    links = []
    for a in element.xpath(".//a[@href]"):
        if a.xpath(_NOT_BODY):
            continue
        href = a.get("href", "").strip()
        try:
            links.append(urljoin(base, href) if base and href and not href.startswith("#")
                         else href)
        except ValueError:  # a malformed href is kept as written (malformed-url)
            links.append(href)
    return links, how, in_page


def _words(element) -> int:
    return len(" ".join(element.itertext()).split())


def _link_words(element) -> int:
    return sum(len(" ".join(a.itertext()).split()) for a in element.xpath(".//a"))
