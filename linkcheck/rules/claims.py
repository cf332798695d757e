"""Rules about what the story claims its sources are: stale-source,
unlinked-citation, unsourced-attribution. All read the article's source map
(linkcheck/sourcemap.py)."""

from __future__ import annotations

import re
from datetime import date

from linkcheck.analysis.content_match import KEEP, host_names
from linkcheck.analysis.sourcemap import for_context
from linkcheck.analysis.textmatch import fold, same_word, words, wordset
from linkcheck.model import Severity
from linkcheck.pages.publisher import OUTLETS, Outlet, outlet_for
from linkcheck.rules.base import Rule, RuleContext
from linkcheck.urls.dates import url_date
from linkcheck.urls.parse import host_of

STALE_YEARS = 5

# --- stale-source ----------------------------------------------------------------

_DAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTHS = (r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|March|Mar\.|April|Apr\.|May|June|July|"
           r"Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)")
_VERBS = (r"(?:said|says|told|announced|stated|warned|confirmed|added|wrote|reported|declared"
          r"|tweeted|posted|denied|insisted|urged)")
_AS_NEWS = re.compile(
    rf"\b(?:this (?:week|morning|afternoon|evening|weekend|month)|last (?:night|weekend)"
    rf"|yesterday|today|tonight|earlier today|on {_DAYS}|{_VERBS} (?:late |early )?{_DAYS}"
    rf"|{_VERBS} on (?:{_DAYS}|{_MONTHS}|\d{{1,2}}\b)|{_DAYS} (?:morning|afternoon|evening|night)"
    rf"|announced|is expected to|breaking)\b")


def _page_date(ctx: RuleContext, url: str) -> tuple[date, str] | None:
    res = ctx.links.get(url)
    if res is not None and res.outcome.alive \
            and res.meta.published:
        return res.meta.published, res.meta.sources.get("published", "page metadata")
    ud = url_date(url)
    if ud is not None:
        return ud.date, f"the URL ({ud.describe()})"
    return None


def _stale(rule: Rule, ctx: RuleContext):
    story = ctx.story.date
    if story is None:
        return
    years = float(ctx.options.get("stale_years", STALE_YEARS))  # type: ignore[arg-type]
    smap = for_context(ctx)
    seen: set[str] = set()
    for c in ctx.citations:
        if not c.checkable or c.url in seen:
            continue
        seen.add(c.url)
        dated = _page_date(ctx, c.url)
        if dated is None:
            continue
        when, how = dated
        age = (story - when).days / 365.25
        if age <= years:
            continue
        for sup in smap.supports.get(c.url, []):
            if sup.confidence < KEEP:
                continue
            m = _AS_NEWS.search(sup.sentence)
            if not m:
                continue
            yield rule.finding(
                ctx, c, f"the page is dated {when} ({how}), {age:.1f} years before the story "
                f"({story}), yet the sentence on line {sup.line} presents it as news "
                f"(\u201c{m.group(0)}\u201d): is this the source meant, or old news recycled?",
                page_date=when.isoformat(), page_date_source=how, story_date=story.isoformat(),
                age_years=round(age, 1), stale_years=years, sentence=sup.sentence,
                sentence_line=sup.line, phrase=m.group(0), support_confidence=sup.confidence)
            break


# --- unlinked-citation -------------------------------------------------------------


def _unlinked(rule: Rule, ctx: RuleContext):
    smap = for_context(ctx)
    for h in smap.headlines:
        if h.url is not None:
            continue
        s = h.sentence
        msg = (f"\u201c{s.label}: {h.sentence.headline}\u201d cites a story but gives no link, "
               "and none of the cited URLs matches it by title or slug")
        evidence: dict[str, object] = {"headline": s.headline, "label": s.label,
                                       "sentence": s.text}
        if h.nearest is not None:
            url, what, sim = h.nearest
            msg += f" (nearest: {url}, {_what(what)} similarity {sim:.2f})"
            evidence.update(nearest_url=url, nearest_match=what, nearest_similarity=sim)
        yield rule.finding_at(ctx, s.line, s.column, msg,
                              {**evidence, "key": fold(s.headline or "")})


def _what(how: str) -> str:
    return {"slug": "URL slug", "heading": "main heading"}.get(how, how)


# --- unsourced-attribution -----------------------------------------------------------

_NEWS_NOUNS = (r"(?:news agency|agency|newspaper|daily|weekly|broadcaster|TV channel|channel|"
               r"television|radio|magazine|news website|website|news outlet|outlet|wire service)")
_ADJ = r"(?:(?:state-run|state-owned|state|independent|pro-Kremlin|opposition|online|business|" \
       r"Russian|Ukrainian|U\.S\.|British|German|French|Kremlin-funded|leading|local)\s+)*"
_CAPS = (r"(?:[A-Z][\w.\-]*(?:['\u2019]s)?(?:\s+(?:of\s+(?:the\s+)?|de\s+)?[A-Z][\w.\-]*"
         r"(?:['\u2019]s)?){0,4})")
_CUE_TO = (r"(?:\btold|\baccording to|\bin (?:comments|remarks|an interview|a statement)"
           r" (?:to|with)|\bspeaking to|\bcited by|\bquoted by|\breported by|\bin an interview"
           r" with)")
# "… told Reuters", "… in comments to the state-run RIA Novosti news agency",
# "according to the Interfax news agency"
_GENERIC_OUTLET = re.compile(
    rf"{_CUE_TO}\s+(?:the\s+)?{_ADJ}(?P<name>{_CAPS})\s+{_NEWS_NOUNS}\b"
    rf"|\b[Tt]he\s+{_ADJ}(?P<name2>{_CAPS})\s+{_NEWS_NOUNS}\s+(?:reported|quoted|cited|wrote)\b")
# Names that say "a news outlet" by their last word ("The Globe and Mail", "The Baltic Times").
_OUTLET_WORDS = wordset("""
times post news journal herald gazette tribune telegraph guardian observer chronicle independent
insider today express standard star sun mirror monitor review magazine radio tv wire daily
weekly bulletin courier record register inquirer examiner dispatch globe mail press agency
newspaper broadcaster television channel pravda izvestia novosti vedomosti
""")
_CAPS_AND = (r"(?:[A-Z][\w.\-]*(?:\s+(?:of\s+(?:the\s+)?|de\s+|and\s+)?[A-Z][\w.\-]*){0,4})")
# "… told The Globe and Mail", "The Baltic Times reported": outlets outside the table,
# known by the last word of their name.
_OUTLET_LIKE = re.compile(
    rf"{_CUE_TO}\s+(?:the\s+)?{_ADJ}(?P<name>{_CAPS_AND})(?![\w])"
    rf"|(?<![\w])(?P<name2>(?:[Tt]he\s+)?{_CAPS_AND})\s+(?:reported|reports|wrote|quoted|cited)\b")
_DOC_NOUNS = r"(?:statement|readout|transcript|communiqu[eé]|press release|decree|report|memo)"
_STUDY_NOUNS = r"(?:report|study|survey|review|assessment|audit|index|analysis|white paper)"
_DATED = r"(?:(?:19|20)\d\d|annual|latest|new|recent|quarterly|yearly|own)"
# "Human Rights Watch's 2023 report", "the ministry's annual review": a document with an
# issuer, named precisely enough to be owed a link.
_DATED_DOCUMENT = [
    re.compile(rf"(?<![\w])(?P<name>{_CAPS_AND})['\u2019]s?\s+{_DATED}\s+(?:\w+\s+)?{_STUDY_NOUNS}\b"),
    re.compile(rf"\b[Tt]he\s+(?P<name>(?:[a-z]+\s+)?(?:ministry|department|agency|commission|"
               rf"council|government|regulator|central bank|committee|inspectorate|watchdog|"
               rf"office))['\u2019]s\s+{_DATED}\s+(?:\w+\s+)?{_STUDY_NOUNS}\b"),
    re.compile(rf"\baccording to (?P<name>{_CAPS_AND})['\u2019]s?\s+(?:\w+\s+)?{_STUDY_NOUNS}\b"),
]
# "according to the Kremlin's statement", "according to a Foreign Ministry statement",
# "the Kremlin said in a statement", "a statement by the State Department"
_DOCUMENT = [
    re.compile(rf"\baccording to (?:a|an|the)\s+(?P<name>{_CAPS})(?:['\u2019]s)?\s+{_DOC_NOUNS}"),
    re.compile(rf"(?<![\w])(?:[Tt]he\s+)?(?P<name>{_CAPS})\s+said in (?:a|an|its)\s+(?:\w+\s+)?"
               rf"{_DOC_NOUNS}"),
    re.compile(rf"\b(?:a|the)\s+{_DOC_NOUNS}\s+(?:from|by|issued by|published by|posted by)\s+"
               rf"(?:the\s+)?(?P<name>{_CAPS})"),
    re.compile(rf"(?:[Tt]he\s+)?(?P<name>{_CAPS})['\u2019]s\s+(?:\w+\s+)?{_DOC_NOUNS}\s+(?:said|says"
               rf"|read|reads|stated|states)\b"),
]
_NOT_ISSUERS = wordset("""
he she they it we i his her their its the a an this that monday tuesday wednesday thursday
friday saturday sunday january february march april may june july august september october
november december
""")


def _known_outlet_pattern() -> re.Pattern:
    names = sorted({n for o in OUTLETS if o.kind == "news" for n in (o.name, *o.aliases)},
                   key=len, reverse=True)
    alt = "|".join(re.escape(n) for n in names)
    return re.compile(
        rf"{_CUE_TO}\s+(?:the\s+)?{_ADJ}(?P<name>{alt})(?![\w])(?:\s+{_NEWS_NOUNS}\b)?"
        rf"|(?<![\w])(?P<name2>{alt})(?:\s+{_NEWS_NOUNS})?\s+(?:reported|reports|quoted|cited"
        rf"|wrote)\b")


_KNOWN = _known_outlet_pattern()


def attributions(text: str) -> list[tuple[str, str, int, str]]:
    """(name, phrase, offset, kind) for each attribution to a named outlet or document."""
    out = []
    for m in _KNOWN.finditer(text):
        name = m.group("name") or m.group("name2")
        out.append((name, m.group(0), m.start(), "outlet"))
    for m in _GENERIC_OUTLET.finditer(text):
        if not any(m.start() <= o < m.end() or o <= m.start() < o + len(p)
                   for _, p, o, _ in out):
            out.append((m.group("name") or m.group("name2"), m.group(0), m.start(), "outlet"))
    for pat in _DOCUMENT:
        for m in pat.finditer(text):
            name = _trim_issuer(m.group("name"))
            if name and not _overlaps(out, m.start("name")):
                out.append((name, m.group(0), m.start(), "document"))
    for pat in _DATED_DOCUMENT:
        for m in pat.finditer(text):
            name = _strip_article(m.group("name"))
            if name and not _overlaps(out, m.start("name")) and \
                    name.lower() not in _NOT_ISSUERS:
                out.append((name, m.group(0), m.start(), "document"))
    for m in _OUTLET_LIKE.finditer(text):
        raw = m.group("name") or m.group("name2")
        name = _strip_article(raw)
        last = words(name)[-1:] if name else []
        if name and last and last[0] in _OUTLET_WORDS and not _overlaps(
                out, m.start("name") if m.group("name") else m.start("name2")):
            out.append((name, m.group(0), m.start(), "outlet"))
    return sorted(out, key=lambda a: a[2])


def _overlaps(found, start: int) -> bool:
    return any(o <= start < o + len(p) for _, p, o, _ in found)


def _strip_article(name: str) -> str | None:
    ws = name.split()
    while ws and ws[0].lower() in _NOT_ISSUERS:
        ws = ws[1:]
    return re.sub(r"['\u2019]s?$", "", " ".join(ws)) or None


# An official document has an institution behind it: "Peskov said in a statement" is
# a person's remark, often e-mailed to the press, with nothing to link to.
_INSTITUTIONS = wordset("""
kremlin ministry department office council commission committee agency service government
embassy army forces staff parliament duma rada court bank administration house pentagon
secretariat presidency cabinet senate congress command headquarters alliance organization
organisation union nations police prosecutor prosecutors guard navy ministries
""")


def _trim_issuer(name: str) -> str | None:
    ws = name.split()
    while ws and ws[0].lower() in _NOT_ISSUERS:
        ws = ws[1:]
    if not ws:
        return None
    name = re.sub(r"['\u2019]s$", "", " ".join(ws))
    outlet = _outlet_named(name)
    if (outlet is not None and outlet.kind == "official") or any(
            w in _INSTITUTIONS for w in words(name)):
        return name
    return None


def _outlet_named(name: str) -> Outlet | None:
    key = fold(name).removeprefix("the ")
    for o in OUTLETS:
        if key in {fold(n).removeprefix("the ") for n in (o.name, *o.aliases)}:
            return o
    return None


def _belongs(name: str, ctx: RuleContext, smap) -> str | None:
    """The cited URL the named outlet or issuer publishes, if any: by the table's
    domains, by any name the page gives itself (og:site_name, JSON-LD publisher,
    their transliterations), or by the host's brand (thebell.io is The Bell)."""
    outlet = _outlet_named(name)
    want = [w for w in words(name) if len(w) >= 3 and w not in ("the", "news", "agency")]
    brands = {"".join(want), "the" + "".join(want)} if want else set()
    for url, prof in smap.profiles.items():
        res = ctx.links.get(url)
        urls = [url] + ([res.final_url] if res is not None and res.final_url else [])
        if outlet is not None and any(outlet_for(u) is outlet for u in urls):
            return url
        names = {fold(n).removeprefix("the ") for n in prof.names}
        if fold(name).removeprefix("the ") in names:
            return url
        labels = {lbl for u in urls for lbl in host_names(u)}
        if want and (brands & labels or (len(want) == 1 and want[0] in labels)):
            return url
        # "Ukraine's Foreign Ministry" is the "Ukrainian Foreign Ministry" of mfa.gov.ua
        if want and any(all(any(same_word(w, x) for x in words(n)) for w in want)
                        for n in prof.names):
            return url
    return None


_FRONT_OUTLET = re.compile(r"^(?:outlet|publisher|site_name)\s*:\s*[\"']?([^\"'\n]+)",
                           re.IGNORECASE | re.MULTILINE)


def own_outlet_names(ctx: RuleContext) -> set[str]:
    """Every name of the article's own outlet, folded: the fetched page's publisher
    (audit URL), a draft's front matter `outlet:`, the `outlet` setting, and the
    table's aliases of each ("The Associated Press" is also "AP")."""
    names = [ctx.article.publisher, ctx.options.get("outlet")]
    if ctx.article.kind == "md":
        from linkcheck.extract.markdown import split_front_matter

        front, _ = split_front_matter(ctx.article.text)
        names += [m.group(1).strip() for m in _FRONT_OUTLET.finditer(front)]
    base = ctx.article.base_url if ctx.article.path.startswith(("http://", "https://")) else None
    outlets = [o for o in (*(_outlet_named(n) for n in names if isinstance(n, str)),
                           outlet_for(base) if base else None) if o is not None]
    names += [n for o in outlets for n in (o.name, *o.aliases)]
    return {fold(n).removeprefix("the ") for n in names if isinstance(n, str) and n.strip()}


def _own_publisher(name: str, own: set[str]) -> bool:
    return fold(name).removeprefix("the ") in own


def _unsourced(rule: Rule, ctx: RuleContext):
    smap = for_context(ctx)
    reported: set[str] = set()
    own = own_outlet_names(ctx)
    for s in smap.sentences:
        if s.kind != "prose":
            continue
        for name, phrase, _, kind in attributions(s.text):
            key = fold(name).removeprefix("the ")
            if key in reported or _own_publisher(name, own) or _belongs(name, ctx, smap):
                continue
            reported.add(key)
            outlet = _outlet_named(name)
            where = f" ({', '.join(outlet.domains)})" if outlet else ""
            named_with_the = re.search(r"\b[Tt]he\s+(?:\S+\s+){0,2}" + re.escape(name), phrase)
            the = "the " if kind == "document" and named_with_the and not \
                name.lower().startswith("the ") else ""
            what = ("cites a statement or document of" if kind == "document"
                    else "attributes a statement to")
            yield rule.finding_at(
                ctx, s.line, s.column,
                f"the text {what} {the}{name} (\u201c{phrase.strip()}\u201d), but no cited "
                f"link is from {the}{name}{where}",
                {"name": name, "kind": kind, "phrase": phrase.strip(), "sentence": s.text,
                 "expected_domains": list(outlet.domains) if outlet else [],
                 "cited_hosts": sorted({host_of(u) for u in smap.profiles}), "key": key})



RULES = [
    Rule("stale-source", Severity.INFO,
         "the cited page is years older than the story, yet the sentence it backs presents it "
         "as news", _stale,
         "A page older than the story by more than `stale_years` (default 5) backing a "
         "sentence that says \u201cthis week\u201d, \u201con Friday\u201d, \u201csaid on "
         "\u2026\u201d, \u201cyesterday\u201d, \u201ctoday\u201d or \u201cannounced\u201d is "
         "usually old news recycled or the wrong link. The page date is the page's own "
         "publication date, else its URL's; the sentence is one the source map ties to the "
         "link with confidence 0.5 or more."),
    Rule("unlinked-citation", Severity.WARNING,
         "a \u201cRelated article:\u201d style headline with no link, even after matching it "
         "to the cited URLs by title and slug", _unlinked,
         "\u201cRelated article: \u2026\u201d, \u201cRead more: \u2026\u201d or \u201cSee "
         "also: \u2026\u201d promises the reader a source. When no link sits on or under the "
         "line and no cited page's title or URL slug matches the headline (similarity 0.6 or "
         "more), the link was lost in editing."),
    Rule("unsourced-attribution", Severity.INFO,
         "the text attributes a statement to a named outlet or official document that no "
         "cited link belongs to", _unsourced,
         "\u201c\u2026 told Reuters\u201d, \u201cin comments to the state-run RIA Novosti news "
         "agency\u201d, \u201caccording to the Kremlin's statement\u201d: the reader is owed "
         "a link to that outlet or document. Tuned for precision over recall: it recognises "
         "outlets from linkcheck's table of well-known outlets (with \u201ctold\u201d, "
         "\u201caccording to\u201d, \u201cin comments to\u201d, \u201c\u2026 reported\u201d), "
         "capitalised names followed by \u201cnews agency\u201d, \u201cnewspaper\u201d and "
         "the like or ending in an outlet's word (\u201cThe Globe and Mail\u201d, \u201cThe "
         "Baltic Times reported\u201d), statements, readouts and transcripts of a capitalised "
         "issuer, and dated reports of any issuer (\u201cHuman Rights Watch's 2023 "
         "report\u201d, \u201cthe ministry's annual report\u201d). A cited page belongs to an "
         "outlet by any name it gives itself (og:site_name, JSON-LD publisher, their "
         "transliterations, the host's brand). The article's own outlet is never flagged: the "
         "fetched page's publisher, `outlet:` in front matter, or the `outlet` setting. It "
         "misses paraphrase, pronouns and undated lower-case issuers (\u201cthe ministry "
         "said\u201d), and a secondary source quoting the outlet does not count as its link."),
]
