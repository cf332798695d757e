"""title-mismatch: the citation's own words name a different story than the page.

The citation's own words are, in order of trust: a "Related article: …" /
"Read more: …" / "See also: …" headline tied to the link (on the link's line,
just above it, or a link on that line); the words of a link that stands alone
as a list item; a headline quoted in the sentence ("in an article titled
“…”"); a quoted anchor of three words or more. Descriptive or Title Case
anchors in running prose ("rejected the offer", "Foreign Policy Chief Josep
Borrell") are not claims about the page's title and are left alone, as are
generic ones ("here", "this report", a bare URL).
"""

from __future__ import annotations

import re

from linkcheck.analysis.content_match import LinkProfile
from linkcheck.analysis.sourcemap import Placement, for_context
from linkcheck.analysis.textmatch import content_words, has_cyrillic, similarity, words, wordset
from linkcheck.model import Severity
from linkcheck.rules.base import Rule, RuleContext

MATCH = 0.4  # at or above: the citation's words and the title name the same story
_GENERIC = wordset("""
here this that link source sources report this-report the-report story this-story article
this-article the-article read-more click-here more full-story full-report video photo pdf
document statement website site page this-page homepage study the-study survey data
""")
_QUOTED_TITLE = re.compile(
    r"\b(?:titled|entitled|headlined|headline|article|story|report|piece|op-ed|column|"
    r"editorial|essay|analysis|investigation|interview)\s*,?\s*[\u201c\"\u00ab]"
    r"([^\u201d\"\u00bb]{8,300})[\u201d\"\u00bb]", re.IGNORECASE)


def claims(ctx: RuleContext):
    """(citation, words, where they come from) for each citation that names its page."""
    smap = for_context(ctx)
    by_position = {id(h.sentence): h for h in smap.headlines if h.how == "position"}
    seen: set[int] = set()
    for p in smap.placements:
        c = p.citation
        claim = _claim(ctx, smap, p, by_position)
        if claim is None or id(c) in seen:
            continue
        seen.add(id(c))
        yield c, claim[0], claim[1]


def _claim(ctx: RuleContext, smap, p: Placement, by_position):
    c = p.citation
    s = p.sentence
    if s is not None and s.kind == "headline" and s.headline:
        return s.headline, f"\u201c{s.label}\u201d headline"
    if s is None:
        for h in by_position.values():
            if h.url == c.url and h.sentence.line <= c.line <= h.sentence.end_line + 1:
                return h.sentence.headline, f"\u201c{h.sentence.label}\u201d headline"
        if p.claim and _names_a_story(p.claim):
            return p.claim, "link text"
        return None
    m = _QUOTED_TITLE.search(s.text)
    if m and _names_a_story(m.group(1)):
        return m.group(1).strip(" ,."), "quoted headline"
    # In running prose an anchor names its page only when it is quoted as a headline:
    # Title Case alone is as often a name ("Foreign Policy Chief Josep Borrell").
    anchor = c.text if ctx.article.kind != "txt" and c.text and c.text not in (c.url,) else ""
    if anchor and c.url not in s.text and _names_a_story(anchor) and any(
            f"{q}{anchor}" in s.text for q in ("\u201c", '"', "\u00ab")):
        return anchor, "quoted anchor text"
    return None


def _names_a_story(text: str) -> bool:
    """Words that could be a headline: not generic, not a URL, at least three content words."""
    t = " ".join(text.split()).strip(" .:,;\u201c\u201d\"'").lower()
    if not t or t.startswith(("http://", "https://", "www.")) or t.replace(" ", "-") in _GENERIC:
        return False
    return len([w for w in content_words(t) if len(w) > 1]) >= 3


def _comparable(claim: str, what: str, title: str, original: str | None,
                language: str | None) -> bool:
    """A title in another script or language than the citation cannot be compared word
    for word: "Grushko: NATO left…" vs "Грушко: НАТО оставило…" is a translation."""
    if what == "slug":
        return True
    if has_cyrillic(original or "") != has_cyrillic(claim):
        return False
    lang = (language or "").lower().split("-")[0]
    return not (lang and lang != "en" and claim.isascii())


def _title_mismatch(rule: Rule, ctx: RuleContext):
    smap = for_context(ctx)
    reported: set[tuple[str, str]] = set()
    for c, claim, source in claims(ctx):
        prof: LinkProfile | None = smap.profiles.get(c.url)
        res = ctx.links.get(c.url)
        if prof is None or (c.url, claim) in reported:
            continue
        meta = res.meta if res is not None else None
        originals = {"title": meta.title if meta else None,
                     "heading": meta.headings[0] if meta and meta.headings else None}
        targets = [(what, text) for what, text in prof.titles
                   if _comparable(claim, what, text, originals.get(what),
                                  meta.language if meta else None)]
        if not targets:
            continue
        slug_only = all(what == "slug" for what, _ in targets)
        if slug_only and not _claims_a_headline(source):
            continue  # descriptive words weighed against a slug alone prove nothing
        scored = [(what, text, similarity(claim, text)) for what, text in targets]
        if max(sim for _, _, sim in scored) >= MATCH:
            continue
        reported.add((c.url, claim))
        shown = {what: (originals.get(what) or text, sim) for what, text, sim in scored}
        parts = []
        for what, label in (("title", "the page title is"), ("heading", "its main heading is"),
                            ("slug", "the URL slug reads")):
            if what in shown:
                text, sim = shown[what]
                parts.append(f"{label} \u201c{text}\u201d (similarity {sim:.2f})")
        msg = (f"the citation's {source} \u201c{claim}\u201d does not match the page: "
               + "; ".join(parts))
        evidence = {"claim": claim, "claim_source": source,
                    "threshold": MATCH, "words": len(words(claim))}
        for what, (text, sim) in shown.items():
            evidence[what] = text
            evidence[f"{what}_similarity"] = sim
        finding = rule.finding(ctx, c, msg, **evidence)
        if slug_only and finding.severity.rank > Severity.WARNING.rank:
            finding.severity = Severity.WARNING  # a slug is weak evidence: never an error
        if slug_only:
            finding.evidence["slug_only"] = True
        yield finding


def _claims_a_headline(source: str) -> bool:
    """A "Related article:" style label or a quoted headline: words that claim to be
    the page's title (a list item's or an anchor's words may only describe it)."""
    return source.endswith("headline") or source == "quoted anchor text"


RULES = [
    Rule("title-mismatch", Severity.WARNING,
         "the citation's own words (anchor, \u201cRelated article:\u201d headline, quoted "
         "headline) match neither the page title nor the URL slug", _title_mismatch,
         "When the headline a story gives for a link names another story than the page it "
         "leads to, the link was probably swapped or recycled. Compared fuzzily: case, "
         "punctuation, stopwords and transliteration (Zelenskiy/Zelenskyy) do not count; "
         f"similarity below {MATCH} against the title, the main heading and the URL slug "
         "alike is a mismatch. A page that was not read (broken, blocked) leaves only its "
         "URL slug, weak evidence: then only a citation that claims to be a headline "
         "(quoted, or after \u201cRelated article:\u201d, \u201cRead more:\u201d, \u201cSee "
         "also:\u201d) is judged, and at warning level at most. Generic anchors "
         "(\u201chere\u201d, \u201cthis report\u201d, a bare URL) and descriptive anchors in "
         "running prose are not compared, nor are titles in another language or script "
         "than the citation."),
]
