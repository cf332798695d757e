"""What a page says about itself: title, publisher, dates, language, main text.

The document is parsed once with lxml.html; every field records where it was
found in `PageMeta.sources`, so a report can say "published 2021-12-17
(article:published_time)" rather than just a date. Dates are pages/dates.py's:
explicit metadata wins over heuristics, a modification date is never the
publication date, and a date found only in the page's URL is never used (the
caller parses URL dates itself and must not count them twice).
"""

from __future__ import annotations

import html as htmllib
import json
import logging
import re
from datetime import date
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from linkcheck.model import PageMeta

log = logging.getLogger(__name__)

TEXT_LIMIT = 200_000

_ARTICLE_TYPES = ("article", "blogposting", "report", "posting")
_TITLE_SEPARATORS = r"(?:[|\-\u2013\u2014\u00b7\u00bb]|::)"


def extract_meta(html: str, url: str, headers: dict[str, str] | None = None,
                 with_text: bool | str = True) -> PageMeta:
    """Everything `PageMeta` holds, from the page's HTML (never fetched here).

    headers: the response headers, names in lower case. Never raises on bad
    input: garbage or an empty page gives an empty PageMeta.
    """
    meta = PageMeta()
    root = _parse(html)
    if root is None:
        return meta
    tags = _meta_tags(root)
    ld = _json_ld(root)
    headers = {k.lower(): v for k, v in (headers or {}).items()}

    _pick(meta, "publisher", [
        ("og:site_name", tags.get("og:site_name")),
        ("json-ld", _name(ld.first("publisher"), ld)),
        ("meta[name=application-name]", tags.get("application-name")),
    ])
    meta.publisher_names = list(dict.fromkeys(n for n in (
        tags.get("og:site_name"), _name(ld.first("publisher"), ld), tags.get("application-name"),
        _name(ld.first("sourceOrganization"), ld)) if n))
    title_el = root.find("head/title")
    if title_el is None:  # not .//title first: an inline <svg> has <title>s too
        title_el = root.find(".//title")
    title = _clean(title_el.text_content()) if title_el is not None else None
    if title and meta.publisher:
        title = _strip_site_suffix(title, meta.publisher)
    _pick(meta, "title", [
        ("og:title", tags.get("og:title")),
        ("twitter:title", tags.get("twitter:title")),
        ("json-ld", _ld_text(ld.first("headline"))),
        ("<title>", title),
    ])
    _pick(meta, "canonical", [
        ("link[rel=canonical]", _resolve(url, _canonical_href(root))),
        ("og:url", _resolve(url, tags.get("og:url"))),
    ])
    _pick(meta, "language", [
        ("<html lang>", _clean(root.get("lang") or root.get("xml:lang"))),
        ("http:content-language", _clean(headers.get("content-language", "").split(",")[0])),
        ("og:locale", _clean(tags.get("og:locale", "").replace("_", "-"))),
    ])
    _pick(meta, "author", [
        ("meta[name=author]", tags.get("author")),
        # article:author is often a profile URL, which names nobody
        ("article:author", None if _is_url(tags.get("article:author")) else
         tags.get("article:author")),
        ("json-ld", _name(ld.first("author"), ld)),
    ])
    _english_publisher(meta, url)
    meta.headings = [h for h in (_clean(e.text_content()) for e in root.iter("h1")) if h][:3]
    meta.paragraphs = _paragraphs(root)
    # The main text costs ten times the rest (trafilatura); only callers that
    # compare or search page text ask for it.
    if with_text == "plain":
        meta.text = _plain_text(root)
    elif with_text:
        meta.text = _main_text(root, url)
    _dates(meta, root, tags, ld, headers, url)  # last: htmldate may edit the tree
    return meta


def _dates(meta: PageMeta, root, tags, ld, headers, url: str) -> None:
    """Publication and modification dates, told apart (pages/dates.py)."""
    from linkcheck.pages.dates import page_dates

    found = page_dates(root, tags, ld, headers, url, _to_date, meta.language)
    if found.published is not None:
        meta.published = found.published.date
        meta.published_at = found.published.instant
        meta.sources["published"] = found.published.source
    if found.modified is not None:
        meta.modified = found.modified.date
        meta.sources["modified"] = found.modified.source


def _english_publisher(meta: PageMeta, url: str) -> None:
    """The publisher as English-language stories name it ("РИА Новости" -> "RIA
    Novosti"), the page's own name kept in publisher_native (pages/publisher.py)."""
    from linkcheck.pages.publisher import english_publisher

    name, native, how = english_publisher(meta.publisher, url)
    if name and how and name != meta.publisher:
        found = meta.sources.get("publisher")
        meta.sources["publisher"] = f"{found}, {how}" if found else f"domain ({how})"
        meta.publisher, meta.publisher_native = name, native


def _pick(meta: PageMeta, field: str, candidates) -> None:
    """Set `field` to the first candidate value present, recording its source."""
    for source, value in candidates:
        if value:
            setattr(meta, field, value)
            meta.sources[field] = source
            return


# --- parsing -----------------------------------------------------------------


def _parse(html: str) -> lxml.html.HtmlElement | None:
    if not html or not html.strip():
        return None
    try:
        # bytes + explicit encoding: lxml refuses str input that carries an
        # XML encoding declaration, and lone surrogates cannot reach libxml2.
        root = lxml.html.document_fromstring(
            html.encode("utf-8", "replace"),
            # a parser per call: lxml parsers must not be shared between threads
            parser=lxml.html.HTMLParser(encoding="utf-8", remove_comments=True))
    except (etree.ParserError, ValueError, TypeError):
        return None
    return root if isinstance(root, lxml.html.HtmlElement) else None


def _meta_tags(root) -> dict[str, str]:
    """First non-empty content per <meta property|name>, lower-cased keys.

    One namespace for both: sites write og:* as name= and twitter:* as
    property= about as often as the other way round.
    """
    tags: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or "").strip().lower()
        value = _clean(el.get("content"))
        if key and value and key not in tags:
            tags[key] = value
    return tags


def _canonical_href(root) -> str | None:
    for el in root.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split() and el.get("href"):
            return el.get("href")
    return None


# --- JSON-LD -----------------------------------------------------------------


class _LinkedData:
    """The JSON-LD objects of a page: @graph and lists flattened, articles first."""

    def __init__(self, nodes: list[dict]) -> None:
        is_article = [_is_article(n) for n in nodes]
        self.nodes = [n for n, a in zip(nodes, is_article, strict=True) if a] + \
                     [n for n, a in zip(nodes, is_article, strict=True) if not a]
        self.by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}

    def first(self, key: str):
        for node in self.nodes:
            if node.get(key):
                return node[key]
        return None


_LD_WRAPPER = re.compile(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$")


def _json_ld(root) -> _LinkedData:
    nodes: list[dict] = []
    for el in root.iter("script"):
        if (el.get("type") or "").strip().lower() != "application/ld+json" or not el.text:
            continue
        text = _LD_WRAPPER.sub("", el.text)
        try:
            # strict=False: raw newlines inside strings are common and harmless
            _flatten(json.loads(text, strict=False), nodes)
        except (ValueError, RecursionError):
            continue  # broken JSON-LD is everywhere; the page still has other metadata
    return _LinkedData(nodes)


def _flatten(value, out: list[dict], depth: int = 0) -> None:
    if depth > 5:
        return
    if isinstance(value, list):
        for item in value:
            _flatten(item, out, depth + 1)
    elif isinstance(value, dict):
        out.append(value)
        for key in ("@graph", "mainEntity"):
            if key in value:
                _flatten(value[key], out, depth + 1)


def _is_article(node: dict) -> bool:
    types = node.get("@type")
    types = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and t.lower().endswith(_ARTICLE_TYPES) for t in types)


def _name(value, ld: _LinkedData, depth: int = 0) -> str | None:
    """A person's or organisation's name: a string, an object, an @id
    reference into the graph, or a list of those (joined with commas)."""
    if depth > 4:  # @id references can form cycles
        return None
    if isinstance(value, list):
        names = [n for n in (_name(v, ld, depth + 1) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) or None
    if isinstance(value, dict):
        if not value.get("name") and isinstance(value.get("@id"), str):
            value = ld.by_id.get(value["@id"], {})
        return _name(value.get("name"), ld, depth + 1)
    return None if _is_url(value) else _ld_text(value)


def _ld_text(value) -> str | None:
    # CMSes often put HTML-escaped text into JSON-LD ("&#8217;")
    return _clean(htmllib.unescape(value)) if isinstance(value, str) else None


# --- dates -------------------------------------------------------------------

_DATE_FORMS = [re.compile(p) for p in (
    r"^\s*(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)",  # ISO, with or without time
    r"^\s*(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?!\d)",
    r"^\s*(?P<y>\d{4})(?P<m>\d\d)(?P<d>\d\d)(?!\d)",
    r"^\s*(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)",  # 17.12.2021: always day first
)]


def _to_date(value) -> date | None:
    """The calendar date as written: "2021-12-17T23:30:00-05:00" is the 17th,
    the day the page's own time zone saw, not the 18th in UTC."""
    if isinstance(value, list) and value:  # JSON-LD allows a list of dates
        value = value[0]
    if not isinstance(value, str) or not value.strip():
        return None
    m = next((m for form in _DATE_FORMS if (m := form.match(value))), None)
    try:
        if m:
            found = date(int(m["y"]), int(m["m"]), int(m["d"]))
        else:  # RFC 2822, as in Last-Modified and some older meta tags
            found = parsedate_to_datetime(value.strip()).date()
    except (ValueError, TypeError, OverflowError):
        return None
    # 0001-01-01 and 1970-01-01 are unset CMS fields, not publication dates
    if found.year < 1900 or found.year > 2100 or found == date(1970, 1, 1):
        return None
    return found


# --- text --------------------------------------------------------------------

_NOT_TEXT = "ancestor::script or ancestor::style or ancestor::noscript or ancestor::template"


def _main_text(root, url: str) -> str | None:
    text = None
    try:
        import trafilatura

        # fast: no readability/justext fallbacks; a tree, so no second parse
        text = trafilatura.extract(root, url=url or None, include_comments=False, fast=True)
    except Exception as exc:  # its heuristics on arbitrary pages are not ours to trust
        log.debug("trafilatura failed: %s", exc)
    if not text:
        text = _plain_text(root)
    return text[:TEXT_LIMIT] if text else None


def _plain_text(root) -> str | None:
    """All visible text of the body: ten times cheaper than main-text extraction,
    good enough to look for names and quoted words."""
    body = root.find("body")
    parts = (body if body is not None else root).xpath(f".//text()[not({_NOT_TEXT})]")
    text = _clean(" ".join(parts))
    return text[:TEXT_LIMIT] if text else None


# --- small helpers -----------------------------------------------------------


def _clean(value) -> str | None:
    """Whitespace collapsed and stripped; None for empty or non-strings."""
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _is_url(value) -> bool:
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://"))


def _resolve(base: str, href: str | None) -> str | None:
    if not href or not href.strip():
        return None
    try:
        return urljoin(base or "", href.strip())
    except ValueError:  # e.g. a malformed IPv6 host
        return None


def _strip_site_suffix(title: str, publisher: str) -> str:
    """"Story | Site" -> "Story", only when "Site" is the known publisher."""
    suffix = re.compile(rf"\s+{_TITLE_SEPARATORS}\s+{re.escape(publisher)}\s*$", re.IGNORECASE)
    stripped = suffix.sub("", title)
    return stripped or title


# --- not-found pages ---------------------------------------------------------

# Phrases that say "not found" wherever they stand in a title.
_NOT_FOUND_ANYWHERE = re.compile(
    r"page (?:was )?not found"
    r"|\b(?:page|article|story|content)\b(?: you(?:'re| are) looking for| you requested"
    r"| requested)? (?:(?:can ?not|can't|could not|couldn't) be found|(?:does not|doesn't)"
    r" exist|no longer exists|(?:is )?no longer available|was not found)"
    r"|\b404\b.{0,30}\b(?:not found|error|page)\b|\b(?:error|ошибка|fehler|erreur)\s*:?\s*404\b"
    r"|страница не найдена|seite (?:wurde )?nicht gefunden|page (?:introuvable|non trouvée)"
    r"|p[áa]gina no encontrada"
)
# Phrases that only say it when they are the whole title (or a whole part of
# it): "Not Found | Site" is an error page, "Plane not found after 10 days" news.
_NOT_FOUND_WHOLE = re.compile(
    r"(?:(?:oops|sorry|error|fehler|erreur|ошибка)\W+)*(?:404\W*)?"
    r"(?:(?:the |this )?(?:page|article|story|content|post|file|страница|seite|p[áa]gina) )?"
    r"(?:not found|nicht gefunden|introuvable|no encontrad[ao]|не найден[аоы]?"
    r"|no longer available|can't be found|cannot be found|doesn't exist|404)(?:\W*404)?"
)
_TITLE_PARTS = re.compile(rf"\s+{_TITLE_SEPARATORS}\s+|[|\u2013\u2014]")


ARTICLE_PARAGRAPHS = 3  # a page with this many paragraphs of text is a page, not an error


def looks_not_found(meta: PageMeta) -> bool:
    """Whether this is a not-found page, judged by its title and heading and its
    structure: a title or heading that is nothing but "Not found" (or "Page not
    found | Site") says so outright; a not-found phrase within a longer title ("This
    article is no longer available") counts only on a page without the body of an
    article (a few paragraphs of text, a publication date), since real headlines
    carry the same words."""
    candidates = [c for c in (meta.title, meta.headings[0] if meta.headings else None) if c]
    if any(_whole_not_found(c) for c in candidates):
        return True
    is_article = meta.paragraphs >= ARTICLE_PARAGRAPHS or (
        meta.published is not None and meta.paragraphs >= 1)
    return not is_article and any(_NOT_FOUND_ANYWHERE.search(_plain(c)) for c in candidates)


def _plain(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").split())


def _whole_not_found(text: str) -> bool:
    parts = (p.strip(" \t!.?()[]\"'") for p in _TITLE_PARTS.split(_plain(text)))
    return any(_NOT_FOUND_WHOLE.fullmatch(p) for p in parts if p)


def _paragraphs(root) -> int:
    """Paragraphs of running text (20 words or more) outside navigation and footers."""
    n = 0
    for p in root.iter("p"):
        if len((p.text_content() or "").split()) >= 20 and not any(
                a.tag in ("nav", "footer", "aside") for a in p.iterancestors()):
            n += 1
            if n >= ARTICLE_PARAGRAPHS:
                break
    return n
