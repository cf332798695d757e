"""A page's publication and modification dates, told apart.

Candidates come from every place a page states a date; each is classed as a
publication or a modification date by what marks it (the meta name, the
JSON-LD key, the element's class or itemprop, the words in front of it:
"Updated", "Aktualisiert", "Mis à jour"). In order of trust:

1. explicit publication metadata: article:published_time, JSON-LD
   datePublished of the article, publication meta names, itemprop and RDFa;
2. an element marked as the publication date (class "published", a
   <time> after "Published"), and visible datelines with a publication cue
   in several languages ("Veröffentlicht am 3. März 2021", "Publié le …");
3. the first unmarked <time> of the article's own content;
4. htmldate, on a copy of the page without its rails, asides, navigation,
   footers and modification dates.

Dates in related-story rails, sidebars, navigation and footers are never
candidates, a modification date is never the publication date, and a heuristic
date (3, 4) must pass two votes: it may not be later than the page's own
modification date or its HTTP Last-Modified, and it may not be more than a week
from the date in the page's URL when the URL has one. The URL date itself is
never returned here: the timeline rules read it separately and must not count
it twice.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta

log = logging.getLogger(__name__)

# <meta name|property> that state a publication date, in the order trusted.
PUBLISHED_META = ["article:published_time", "og:published_time", "og:article:published_time",
                  "pubdate", "publishdate", "publish-date", "publish_date", "date",
                  "dc.date", "dc.date.issued", "dcterms.date", "dcterms.issued",
                  "dcterms.created", "dc.date.created", "sailthru.date", "parsely-pub-date",
                  "article.published", "article:published", "datepublished",
                  "citation_publication_date", "citation_date", "originalpublicationdate",
                  "cxenseparse:recs:publishtime", "displaydate", "release_date"]
MODIFIED_META = ["article:modified_time", "og:updated_time", "og:modified_time",
                 "article:updated_time", "dcterms.modified", "dc.date.modified", "lastmod",
                 "last-modified", "datemodified", "revised", "modified_time"]

URL_VOTE = timedelta(days=7)  # htmldate's corpus: true URL/page gaps are 1-6 days

_NOT_CONTENT_TAGS = {"aside", "nav", "footer"}
_RAIL = re.compile(r"related|recommend|sidebar|widget|\brail\b|-rail|rail-|trending|popular"
                   r"|most-read|mostread|more-stories|read-next|teaser|promo|comments?\b"
                   r"|breadcrumb|newsletter|latest|also-read|outbrain|taboola|topic-list|footer"
                   r"|copyright",
                   re.IGNORECASE)
_MARK_MODIFIED = re.compile(r"updated|modified|dateModified|revised|last-?mod|edited",
                            re.IGNORECASE)
_MARK_PUBLISHED = re.compile(r"published|pubdate|datePublished|entry-date|post-date"
                             r"|date-?created|dc:created|posted|created", re.IGNORECASE)

# Words in front of a date that say which date it is, in the languages of the beat.
_CUE_MODIFIED = (r"(?:last\s+)?updated|modified|last\s+reviewed|revised|edited|aktualisiert"
                 r"|zuletzt\s+aktualisiert|ge[äa]ndert|mis\s+[àa]\s+jour|actualizado"
                 r"|actualizaci[óo]n|aggiornato|atualizado|atualiza[çc][ãa]o|bijgewerkt"
                 r"|gewijzigd|обновлено|обновлен[оа]?|изменено|оновлено|zaktualizowano")
_CUE_PUBLISHED = (r"(?:first\s+)?published|posted|submitted|date\s+published"
                  r"|ver[öo]ffentlicht|erschienen|publiziert|publi[ée]e?|mis\s+en\s+ligne"
                  r"|publicado|publicada|pubblicato|gepubliceerd|geplaatst|опубликовано"
                  r"|опубликован[оа]?|дата\s+публикации|опубліковано|opublikowano")
_MODIFIED_BEFORE = re.compile(rf"(?:{_CUE_MODIFIED})\s*(?:on|am|le|el|il|em|op|:)?\W{{0,3}}$",
                              re.IGNORECASE)
_PUBLISHED_BEFORE = re.compile(rf"(?:{_CUE_PUBLISHED})\s*(?:on|am|le|el|il|em|op|:)?"
                               r"(?:\s+by\s+[\w .'-]{1,40}\s+on)?\W{0,3}$", re.IGNORECASE)

_MONTH_NAMES = {
    1: "january jan januar janvier enero gennaio janeiro januari января січня jänner stycznia",
    2: "february feb februar février fevrier febrero febbraio fevereiro februari февраля лютого"
       " lutego",
    3: "march mar märz maerz mars marzo março marco maart марта березня marca",
    4: "april apr avril abril aprile апреля квітня kwietnia",
    5: "may mai mayo maggio maio mei мая травня maja",
    6: "june jun juni juin junio giugno junho июня червня czerwca",
    7: "july jul juli juillet julio luglio julho июля липня lipca",
    8: "august aug août aout agosto augustus августа серпня sierpnia",
    9: "september sep sept septembre septiembre settembre setembro сентября вересня września",
    10: "october oct oktober octobre octubre ottobre outubro октября жовтня października",
    11: "november nov novembre noviembre novembro ноября листопада listopada",
    12: "december dec dezember décembre decembre diciembre dicembre dezembro декабря грудня"
        " grudnia",
}
_MONTH = {name: n for n, names in _MONTH_NAMES.items() for name in names.split()}
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in _MONTH), key=len, reverse=True))
_WRITTEN = [
    # March 3, 2021 / Mar. 3 2021
    re.compile(rf"^(?P<mon>{_MONTH_ALT})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})",
               re.IGNORECASE),
    # 3 March 2021 / 3. März 2021 / 5 de junio de 2019 / 12 марта 2021
    re.compile(rf"^(?P<d>\d{{1,2}})(?:\.|st|nd|rd|th|er)?\s+(?:de\s+)?(?P<mon>{_MONTH_ALT})\.?,?"
               rf"\s+(?:de\s+)?(?P<y>\d{{4}})", re.IGNORECASE),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)"),
    re.compile(r"^(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})(?!\d)"),
]
_WEEKDAY = re.compile(r"^(?:[A-Za-zА-Яа-яÀ-ÿ]{2,12}\.?,?\s+)?")


@dataclass
class Dated:
    date: date
    source: str
    instant: str | None = None  # the timestamp as written, when it has a time and offset


@dataclass
class PageDates:
    published: Dated | None = None
    modified: Dated | None = None


def page_dates(root, tags: dict[str, str], ld, headers: dict[str, str], url: str,
               to_date, lang: str | None = None) -> PageDates:
    """The page's publication and modification dates (see the module's text).

    Edits `root` when it falls back to htmldate: the caller is done with it.
    """
    out = PageDates()
    out.modified = _first([
        *((f"meta[{k}]" if k != "article:modified_time" and k != "og:updated_time" else k,
           tags.get(k)) for k in MODIFIED_META),
        ("json-ld", ld.first("dateModified")),
        ("itemprop=dateModified", _itemprop(root, "dateModified")),
    ], to_date)
    last_modified = to_date(headers.get("last-modified"))
    explicit = _first([
        ("article:published_time", tags.get("article:published_time")),
        ("json-ld", ld.first("datePublished") or ld.first("dateCreated")),
        *((f"meta[name={k}]", tags.get(k)) for k in PUBLISHED_META[1:]),
        ("itemprop=datePublished", _itemprop(root, "datePublished")),
        ("rdfa:dc:created", _rdfa_created(root)),
    ], to_date)
    if explicit is not None:
        out.published = explicit
        return _with_fallback_modified(out, last_modified)
    marked, unmarked, modified_seen = _elements(root, to_date)
    if out.modified is None and modified_seen:
        out.modified = modified_seen
    us_order = (lang or "en").lower() in ("en", "en-us")
    visible, visible_modified = _datelines(root, us_order)
    if out.modified is None and visible_modified:
        out.modified = visible_modified
    ceiling = min((d.date for d in (out.modified, _dated(last_modified, "http:last-modified"))
                   if d is not None), default=None)
    url_day = _url_day(url)
    for cand in (marked, visible, unmarked):
        if cand is not None and _passes(cand.date, ceiling, url_day):
            out.published = cand
            return _with_fallback_modified(out, last_modified)
    guessed = _htmldate(root, to_date, ceiling)
    if guessed is not None and _passes(guessed, ceiling, url_day) and not (
            out.modified is not None and guessed == out.modified.date
            and out.modified.source != "http:last-modified"):
        out.published = Dated(guessed, "htmldate")
    return _with_fallback_modified(out, last_modified)


def _with_fallback_modified(out: PageDates, last_modified: date | None) -> PageDates:
    if out.modified is None and last_modified is not None:
        out.modified = Dated(last_modified, "http:last-modified")
    return out


def _dated(d: date | None, source: str) -> Dated | None:
    return Dated(d, source) if d is not None else None


def _passes(found: date, ceiling: date | None, url_day: date | None) -> bool:
    """The two votes a heuristic date must pass: not after the page's own
    modification date (or Last-Modified), not far from the URL's date."""
    if ceiling is not None and found > ceiling + timedelta(days=1):
        return False
    return url_day is None or abs(found - url_day) <= URL_VOTE


def _url_day(url: str) -> date | None:
    from linkcheck.urls.dates import url_date

    found = url_date(url) if url else None
    return found.date if found is not None and found.precision == "day" else None


def _first(candidates, to_date) -> Dated | None:
    for source, value in candidates:
        if isinstance(value, list) and value:
            value = value[0]
        if (d := to_date(value)) is not None:
            return Dated(d, source, _instant(value))
    return None


_INSTANT = re.compile(r"^\s*\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?"
                      r"(?:Z|[+-]\d\d:?\d\d)\s*$")


def _instant(value) -> str | None:
    """The timestamp itself when it names an instant (a time with its offset)."""
    return value.strip() if isinstance(value, str) and _INSTANT.match(value) else None


def _itemprop(root, prop: str) -> str | None:
    for el in root.xpath("//*[@itemprop=$p]", p=prop):
        if _in_rail(el):
            continue
        value = el.get("content") or el.get("datetime") or el.text_content()
        if value and value.strip():
            return value
    return None


def _rdfa_created(root) -> str | None:
    for el in root.xpath("//*[@property and @content]"):
        prop = (el.get("property") or "").lower().split()
        if ("dc:created" in prop or "dc:date" in prop or "dcterms:created" in prop) \
                and not _in_rail(el):
            return el.get("content")
    return None


# --- elements ----------------------------------------------------------------

def _in_rail(el) -> bool:
    """Inside a related-stories rail, a sidebar, navigation or a footer."""
    node = el
    while node is not None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _NOT_CONTENT_TAGS:
            return True
        marks = f"{node.get('class') or ''} {node.get('id') or ''}"
        if marks.strip() and _RAIL.search(marks):
            return True
        node = node.getparent()
    return False


def _in_list(el) -> bool:
    """In a list item: an unmarked date there is usually another story's."""
    return any(a.tag == "li" for a in el.iterancestors())


def _site_header(el) -> bool:
    """In a <header> that is the site's, not the article's own."""
    node, header = el, False
    while node is not None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag == "header":
            header = True
        if tag in ("article", "main"):
            return False
        node = node.getparent()
    return header


def _marks(el) -> str:
    return " ".join(filter(None, (el.get("class"), el.get("itemprop"), el.get("id"),
                                  el.get("property"), el.get("name"))))


def _text_before(el, limit: int = 60) -> str:
    """The words just in front of an element, within its parent (at most the three
    siblings before it: a page with thousands of dates stays linear)."""
    parent = el.getparent()
    if parent is None:
        return ""
    parts: list[str] = []
    prev = el.getprevious()
    for _ in range(3):
        if prev is None:
            parts.append(parent.text or "")
            break
        parts.append(prev.tail or "")
        parts.append((prev.text_content() or "")[-limit:])
        prev = prev.getprevious()
    before = " ".join("".join(reversed(parts)).split())
    if not before.strip():
        grand = parent.getparent()
        if grand is not None and parent.getprevious() is None:
            before = " ".join((grand.text or "").split())
    return before[-limit:]


def _elements(root, to_date) -> tuple[Dated | None, Dated | None, Dated | None]:
    """(marked publication date, first unmarked date, first marked modification date)
    from <time datetime>, <abbr title> and similar elements outside rails."""
    marked = unmarked = modified = None
    for el in root.xpath("//time[@datetime] | //abbr[@title] | //*[@datetime and "
                         "not(self::time) and not(self::del) and not(self::ins)]"):
        value = el.get("datetime") if el.tag != "abbr" else el.get("title")
        d = to_date(value)
        if d is None or _in_rail(el) or _site_header(el):
            continue
        marks, before = _marks(el), _text_before(el)
        parent_marks = _marks(el.getparent()) if el.getparent() is not None else ""
        is_modified = bool(_MARK_MODIFIED.search(marks) and not _MARK_PUBLISHED.search(marks)) \
            or bool(_MODIFIED_BEFORE.search(before)) or (
                not marks and _MARK_MODIFIED.search(parent_marks) is not None
                and not _MARK_PUBLISHED.search(parent_marks))
        is_published = not is_modified and (bool(_MARK_PUBLISHED.search(marks))
                                            or bool(_PUBLISHED_BEFORE.search(before))
                                            or bool(_MARK_PUBLISHED.search(parent_marks)))
        tag = el.tag if el.tag in ("time", "abbr") else el.tag
        if is_modified:
            modified = modified or Dated(d, f"<{tag}> (updated)", _instant(value))
        elif is_published:
            marked = marked or Dated(d, f"<{tag}> (published)", _instant(value))
        elif el.tag == "time" and not _in_list(el):
            unmarked = unmarked or Dated(d, "<time>", _instant(value))
    return marked, unmarked, modified


# --- visible datelines -------------------------------------------------------

_CUED = re.compile(rf"(?<![\w])(?P<cue>{_CUE_PUBLISHED}|{_CUE_MODIFIED})"
                   r"\s*(?:on|am|le|el|il|em|op|:)?"
                   r"(?:\s+by\s+[\w .'-]{1,40}?\s+on)?[\s:,\-\u2013\u2014|]{0,4}", re.IGNORECASE)
_MODIFIED_CUE = re.compile(rf"^(?:{_CUE_MODIFIED})", re.IGNORECASE)
TEXT_SCAN = 20_000  # characters of visible text searched for a dateline


def _datelines(root, us_order: bool) -> tuple[Dated | None, Dated | None]:
    """(publication, modification) dates written after a cue in the visible text."""
    body = root.find("body")
    if body is None:
        return None, None
    parts: list[str] = []
    _visible_text(body, parts, [0])
    text = " ".join(" ".join(parts).split())
    published = modified = None
    for m in _CUED.finditer(text):
        d = _written_date(text[m.end():m.end() + 40], us_order)
        if d is None:
            continue
        cue = " ".join(m.group("cue").split())
        if _MODIFIED_CUE.match(cue):
            modified = modified or Dated(d, f"dateline (\u201c{cue}\u201d)")
        else:
            published = published or Dated(d, f"dateline (\u201c{cue}\u201d)")
        if published and modified:
            break
    return published, modified


_INVISIBLE = {"script", "style", "noscript", "template"}


def _visible_text(root, parts: list[str], size: list[int]) -> None:
    """The text of `root` without rails, sidebars, navigation and footers, in order,
    up to TEXT_SCAN characters. Iterative: a hostile page may nest without end."""
    stack: list = [("el", root)]
    while stack and size[0] <= TEXT_SCAN:
        what, node = stack.pop()
        if what == "tail":
            if node:
                parts.append(node)
                size[0] += len(node)
            continue
        if node.text and node.text.strip():
            parts.append(node.text)
            size[0] += len(node.text)
        for child in reversed(node):
            if child.tail and child.tail.strip():
                stack.append(("tail", child.tail))
            tag = child.tag if isinstance(child.tag, str) else ""
            marks = f"{child.get('class') or ''} {child.get('id') or ''}" if tag else ""
            if tag and tag not in _INVISIBLE and tag not in _NOT_CONTENT_TAGS and not (
                    marks.strip() and _RAIL.search(marks)):
                stack.append(("el", child))


def dateline_in_text(text: str) -> Dated | None:
    """A publication dateline in plain text (the top of a draft)."""
    for m in _CUED.finditer(" ".join(text.split())):
        if _MODIFIED_CUE.match(m.group("cue")):
            continue
        if d := _written_date(m.string[m.end():m.end() + 40], us_order=True):
            return Dated(d, f"dateline (\u201c{' '.join(m.group('cue').split())}\u201d)")
    return None


def _written_date(text: str, us_order: bool) -> date | None:
    first = re.match(r"[^\W\d]+", text)
    if first and first.group(0).lower() not in _MONTH:  # "Tue, 05/12/2020", "Montag, 3. März"
        text = _WEEKDAY.sub("", text, count=1)
    for form in _WRITTEN:
        m = form.match(text)
        if m is None:
            continue
        groups = m.groupdict()
        try:
            if "mon" in groups:
                month = _MONTH.get(m["mon"].lower().rstrip("."))
                if month is None:
                    continue
                found = date(int(m["y"]), month, int(m["d"]))
            elif "a" in groups:
                a, b = int(m["a"]), int(m["b"])
                month, day = (a, b) if (us_order and a <= 12) or b > 12 else (b, a)
                found = date(int(m["y"]), month, day)
            else:
                found = date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            continue
        if 1990 <= found.year <= 2100:
            return found
    return None


# --- htmldate, last ------------------------------------------------------------

def _htmldate(root, to_date, ceiling: date | None) -> date | None:
    """htmldate's guess from the page itself, never from its URL, on the page
    without its rails, asides, navigation, footers and modification dates.

    url="" (not None: None makes htmldate read the date off <link rel=canonical>)
    means it never sees the URL. extensive_search=False: the free-text pass
    picks up any date in the body (an event, a court ruling). A tree is passed,
    not a string: htmldate copies it instead of re-parsing.
    """
    drop = [el for el in root.iter() if isinstance(el.tag, str) and (
        (el.tag == "meta" and ((el.get("name") or el.get("property") or "").strip().lower()
                               in ("og:url", *MODIFIED_META)))
        or el.tag in _NOT_CONTENT_TAGS
        or (el.tag in ("ul", "ol") and len(el.xpath(".//time")) >= 2)  # a list of stories
        or (el.tag in ("div", "section", "ul", "ol", "li", "span", "p", "time", "abbr")
            and _RAIL.search(f"{el.get('class') or ''} {el.get('id') or ''}"))
        or (el.tag in ("time", "abbr", "span", "div", "p")
            and _MARK_MODIFIED.search(_marks(el)) and not _MARK_PUBLISHED.search(_marks(el))))]
    for el in drop:
        if el.getparent() is not None:
            el.drop_tree()
    try:
        from htmldate import find_date

        found = find_date(root, url="", original_date=True, extensive_search=False,
                          deferred_url_extractor=True,
                          max_date=(ceiling + timedelta(days=1)).isoformat() if ceiling else None)
    except Exception as exc:  # heuristics on arbitrary pages; a failure means no date
        log.debug("htmldate failed: %s", exc)
        return None
    return to_date(found)
