"""The source map: for each cited URL, the sentences of the article it supports.

Two ways to know:

- by position: a link inside a sentence supports that sentence (confidence
  0.95); a link on a "Related article: …" line supports that line (0.9);
- by content, for links listed apart from the text (a link block at the end of
  wire copy, a bare list of URLs): each sentence is scored against what is known
  about the page, and every piece of evidence is kept in words:
    * the page's publisher named in the sentence, more so with an attribution
      ("told Reuters", "in comments to the state-run RIA Novosti news agency");
    * a quoted phrase of the sentence found on the page ("meaningful dialogue");
    * people named in the sentence and on the page too (transliteration-tolerant:
      Grushko on a Cyrillic page, Zelenskiy/Zelenskyy);
    * a distinctive number (not a year) of the sentence, in no other sentence,
      found on the page;
    * the page title's or URL slug's words in the sentence; for a "Related
      article:" headline, its similarity to the title or slug;
    * distinctive words (rare in the article) found on the page.
  Pieces combine as independent evidence, 1 - prod(1 - w), capped at 0.9 so a
  content match never outranks a link's position. A publisher shared by several
  listed pages weighs that much less for each: the content tells them apart.
  Sentences are indexed once by their rare words, names, numbers and quotes, and
  a page is scored only against the sentences sharing one of them with it.

A broken page contributes only what its URL says (domain, slug): its error
page's title and text are not the source's.
"""

from __future__ import annotations

from dataclasses import dataclass

from linkcheck.analysis.content_match import (
    HEADLINE_MATCH,
    INLINE,
    INLINE_HEADLINE,
    MAX_SUPPORTS,
    LinkProfile,
    _Scorer,
    profile,
)
from linkcheck.analysis.sentences import Sentence, TextView, sentence_at, sentences, view_of
from linkcheck.analysis.textmatch import (
    similarity,
    words,
)
from linkcheck.model import Article, Citation, Resolution, Support


@dataclass
class Placement:
    """Where one citation sits: in a sentence (by position) or apart from the text."""

    citation: Citation
    sentence: Sentence | None  # None: listed apart (a link block, a bare list item)
    claim: str | None = None  # the citation's own words, when they name the page
    own: Sentence | None = None  # a list item that is nothing but this link


@dataclass
class HeadlineLink:
    """A "Related article: …" style line and the cited URL it stands for."""

    sentence: Sentence
    url: str | None  # None: no cited URL could be tied to it
    how: str = ""  # position | title | heading | slug
    similarity: float | None = None
    nearest: tuple[str, str, float] | None = None  # (url, what, similarity) when unresolved

@dataclass
class SourceMap:
    sentences: list[Sentence]
    placements: list[Placement]
    supports: dict[str, list[Support]]
    headlines: list[HeadlineLink]
    profiles: dict[str, LinkProfile]

    def placement(self, citation: Citation) -> Placement | None:
        return next((p for p in self.placements if p.citation is citation), None)


def for_context(ctx) -> SourceMap:
    """The article's source map for a rule (built once, by the RuleContext)."""
    return ctx.sources


def needs_page_text(article: Article, citations: list[Citation]) -> bool:
    """Whether some citation is listed apart from the text, so that matching it to
    sentences needs the cited page's text (inline links are placed by position)."""
    if not any(c.checkable for c in citations):
        return False
    view = view_of(article)
    sents = sentences(article, view)
    return any(_place(view, sents, c, article.kind).sentence is None
               for c in citations if c.checkable)


def build(article: Article, citations: list[Citation],
          links: dict[str, Resolution],
          known: dict[str, LinkProfile] | None = None) -> SourceMap:
    """known: page profiles already made as the pages landed (URL -> profile of
    that very Resolution); the others are made here."""
    view = view_of(article)
    sents = sentences(article, view)
    placements = [_place(view, sents, c, article.kind) for c in citations if c.checkable]
    urls = list(dict.fromkeys(p.citation.url for p in placements))
    known = known or {}
    profiles = {u: known[u] if u in known else profile(u, links.get(u)) for u in urls}
    headlines = _headlines(sents, placements, profiles)
    # a link-only list item is the citation itself, not a sentence it could support
    owned = {id(p.own) for p in placements if p.own is not None}
    by_url: dict[str, list[Placement]] = {}
    for p in placements:
        by_url.setdefault(p.citation.url, []).append(p)
    scorer = _Scorer([s for s in sents if id(s) not in owned],
                     {u: profiles[u] for u in urls if any(p.sentence is None for p in by_url[u])})
    supports: dict[str, list[Support]] = {}
    for url in urls:
        found: dict[int, Support] = {}
        mine = by_url[url]
        for p in mine:
            if p.sentence is not None:
                conf, why = ((INLINE_HEADLINE, f"the link is on this \u201c{p.sentence.label}\u201d"
                              " line") if p.sentence.kind == "headline"
                             else (INLINE, "the link is in this sentence"))
                _keep(found, p.sentence, conf, why)
        if any(p.sentence is None for p in mine):
            for sent, conf, why in scorer.matches(profiles[url], headlines):
                _keep(found, sent, conf, why)
        ranked = sorted(found.values(), key=lambda s: (-s.confidence, s.line, s.column))
        supports[url] = ranked[:MAX_SUPPORTS]
    return SourceMap(sents, placements, supports, headlines, profiles)


def _keep(found: dict[int, Support], sent: Sentence, conf: float, why: str) -> None:
    key = sent.src_start
    if key not in found or found[key].confidence < conf:
        found[key] = Support(sent.text, sent.line, sent.column, round(conf, 2), why)


# --- placing citations -----------------------------------------------------------


def _offset(view: TextView, c: Citation) -> int:
    return view.offset_of(c.line, c.column)


def _place(view: TextView, sents: list[Sentence], c: Citation, article_kind: str) -> Placement:
    sent = sentence_at(sents, _offset(view, c))
    if sent is None or sent.kind == "links":
        return Placement(c, None)
    if sent.kind == "headline":
        return Placement(c, sent, sent.headline)
    # A URL written out in the sentence is a bare link: its citation text is the
    # sentence around it. Otherwise (Markdown, HTML) the text is the anchor.
    bare = article_kind == "txt" or c.url in sent.text or c.url.split("://", 1)[-1] in sent.text
    anchor = "" if bare else c.text
    rest = sent.text
    for piece in (c.url, anchor):
        if piece:
            rest = rest.replace(piece, " ")
    if len([w for w in words(rest) if len(w) > 1]) < 3:
        # a list item that is only the link: its words are the citation's own
        claim = anchor or None
        return Placement(c, None, claim, own=sent)
    return Placement(c, sent)


# --- what a page is ---------------------------------------------------------------


def _headlines(sents: list[Sentence], placements: list[Placement],
               profiles: dict[str, LinkProfile]) -> list[HeadlineLink]:
    out = []
    for s in sents:
        if s.kind != "headline" or not s.headline:
            continue
        on_line = next((p for p in placements if p.sentence is s), None)
        if on_line is not None:
            out.append(HeadlineLink(s, on_line.citation.url, "position"))
            continue
        best: tuple[str, str, float] | None = None
        for url, prof in profiles.items():
            for what, title in prof.titles:
                sim = similarity(s.headline, title)
                if best is None or sim > best[2]:
                    best = (url, what, sim)
        below = next((p for p in placements if p.sentence is None
                      and s.line <= p.citation.line <= s.end_line + 1), None)
        if below is not None and not (best is not None and best[2] >= HEADLINE_MATCH
                                      and best[0] != below.citation.url):
            # the link just under the line, unless the line names another cited page
            out.append(HeadlineLink(s, below.citation.url, "position"))
            continue
        if best is not None and best[2] >= HEADLINE_MATCH:
            out.append(HeadlineLink(s, best[0], best[1], best[2]))
        else:
            out.append(HeadlineLink(s, None, nearest=best))
    return out


