"""Matching a cited page against the article's sentences by content: what is
known about each page (its profile: publisher names, titles, text, numbers), the
features of each sentence, and the scorer that weighs the evidence. The source
map (sourcemap.py) uses it for links listed apart from the text."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from linkcheck.analysis.sentences import Sentence
from linkcheck.analysis.textmatch import (
    content_words,
    fold,
    slug_text,
    transliterate,
    word_key,
    words,
    wordset,
)
from linkcheck.model import Resolution
from linkcheck.pages.metadata import looks_not_found
from linkcheck.pages.publisher import outlet_for, outlet_names
from linkcheck.urls.parse import host_of

if TYPE_CHECKING:
    from linkcheck.analysis.sourcemap import HeadlineLink


INLINE = 0.95
INLINE_HEADLINE = 0.9
CONTENT_CAP = 0.9
KEEP = 0.5  # lowest confidence reported for a content match
MAX_SUPPORTS = 3
HEADLINE_MATCH = 0.6  # similarity that ties a headline to a cited page
PAGE_TEXT_LIMIT = 60_000

_TITLE_WORDS = wordset("""
president secretary general minister deputy foreign prime chancellor spokesman spokeswoman
spokesperson ambassador mr mrs ms dr gen adm sen rep gov king queen prince princess pope
commander chief director leader head envoy assistant state defense defence senator governor
mayor colonel lieutenant sergeant captain major admiral marshal premier vice first lady
justice judge speaker chairman chairwoman chair ceo founder patriarch sheikh emir
""")
_NAME_STOP = wordset("the a an of and for in on at to with by de la le van von")
# Last words that make a capitalised run a place or an institution, not a person.
_NOT_PEOPLE = wordset("""
states union house sea ocean kingdom republic nations ministry department council office
party forces army navy bank street square university city region oblast river county
federation alliance headquarters agency service committee commission court government
embassy times news post press daily journal gazeta novosti radio channel network
assembly parliament congress senate duma rada cabinet
""")
_GENERIC_NAMES = wordset("news home blog online media homepage site website the")
_CAPITALISED = re.compile(r"[A-Z][A-Za-z'\u2019\-]*[a-z][A-Za-z'\u2019\-]*")
_QUOTED = re.compile(r"[\u201c\u00ab\u201e\"]([^\u201c\u201d\u00ab\u00bb\u201e\"]{2,400})"
                     r"[\u201d\u00bb\"]")
_ATTR_BEFORE = re.compile(
    r"(?:\btold|according to|\bcomments? to|\bremarks to|\binterview (?:with|to)|speaking to"
    r"|\bcited by|\bquoted by|\breported by|\bpublished by|\bstatement (?:by|from|on)"
    r"|\bwebsite of|\bwrote (?:in|on)|\bsaid (?:in|on|to))"
    r"\s+(?:the\s+)?(?:[\w\-]+\s+){0,3}$", re.IGNORECASE)
_ATTR_AFTER = re.compile(
    r"^(?:['\u2019]s\s+)?\s*(?:news agency|agency|newspaper|daily|website|reported|reports"
    r"|said|says|wrote|quoted|cited|published|announced|broadcaster|channel|TV|radio"
    r"|statement)\b", re.IGNORECASE)





@dataclass
class LinkProfile:
    """What is known about one cited page, for matching against the text."""

    url: str
    usable: bool  # the page itself answered (not broken, blocked or a not-found page)
    names: list[str] = field(default_factory=list)  # publisher names
    titles: list[tuple[str, str]] = field(default_factory=list)  # (what, text)
    text: str = ""  # folded page text
    keys: set[str] = field(default_factory=set)  # word keys of the page
    numbers: set[str] = field(default_factory=set)  # distinctive numbers on the page




def profile(url: str, res: Resolution | None) -> LinkProfile:
    meta = res.meta if res is not None else None
    usable = bool(res is not None and res.outcome.alive
                  and meta is not None and not looks_not_found(meta))
    final = res.final_url if res is not None and res.final_url else url
    names = outlet_names(meta.publisher if meta else None,
                         meta.publisher_native if meta else None, final)
    for other in (meta.publisher_names if meta else []):  # og:site_name, JSON-LD publisher
        names += [n for n in outlet_names(other, None, None) if n not in names]
    if outlet_for(url) is not None and final != url:
        names = list(dict.fromkeys(names + outlet_names(None, None, url)))
    p = LinkProfile(url, usable, names=names)
    if usable and meta is not None:
        if meta.title:
            p.titles.append(("title", transliterate(meta.title)))
        if meta.headings and (not meta.title or fold(meta.headings[0]) != fold(meta.title)):
            p.titles.append(("heading", transliterate(meta.headings[0])))
        raw = ". ".join(x for x in (meta.title, *meta.headings[:1], meta.text) if x)
        raw = raw[:PAGE_TEXT_LIMIT]
        p.text = " ".join(fold(raw).split())
        # one pass over the folded text (words() would be twice the cost on long pages;
        # the stray "s" of a possessive is harmless here)
        p.keys = {word_key(w) for w in set(_PAGE_WORD.findall(p.text))}
        p.numbers = numbers(raw)
    for u in dict.fromkeys((url, final)):
        if slug := slug_text(u):
            p.titles.append(("slug", slug))
            break
    return p


_NAME_CHUNKS = re.compile(r"[.!?;:\u2014\u2013()\[\]\"\u201c\u201d\u00ab\u00bb]|\s-\s|,")
_POSSESSIVE_ENDS = ("'s", "\u2019s")


def people(text: str, title_case_ok: bool = True) -> dict[str, str]:
    """Person-like names in (Latin-script) text: surname key -> "First Surname".

    A run of two or more capitalised words (after dropping titles such as
    "Secretary General"), or a single capitalised word right after a title
    ("President Zelenskyy"). Text mostly in Title Case (a headline) gives nothing.
    """
    found: dict[str, str] = {}
    for chunk in _NAME_CHUNKS.split(text):
        toks = chunk.split()
        if not toks:
            continue
        caps = [bool(_CAPITALISED.fullmatch(t.strip("'\u2019"))) for t in toks]
        if not title_case_ok and len(toks) >= 4 and sum(caps) / len(toks) > 0.6:
            continue
        run: list[str] = []
        titled = False
        for tok, cap in [*zip(toks, caps, strict=True), ("", False)]:
            bare = tok[:-2] if tok.endswith(_POSSESSIVE_ENDS) else tok
            low = bare.lower()
            if cap and low in _TITLE_WORDS:
                titled = True
                run = []
                continue
            if cap and low not in _NAME_STOP and low not in _NOT_PEOPLE:
                run.append(bare)
                continue
            if (len(run) >= 2 or (len(run) == 1 and titled)) and \
                    run[-1].lower() not in _NOT_PEOPLE and len(run[-1]) >= 3:
                name = " ".join(run[-2:])
                found.setdefault(word_key(run[-1]), name)
            run = []
            titled = False
    return found


# --- scoring sentences against pages ---------------------------------------------

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_PAGE_WORD = re.compile(r"[a-z0-9]+")


def numbers(text: str) -> set[str]:
    """Distinctive numbers written in a text ("12,500" -> "12500"), years and numbers
    under 100 left out: they say little about which page a sentence came from."""
    out = set()
    for n in _NUMBER.findall(text):
        if len(n) < 3:
            continue
        n = n.rstrip(",").replace(",", "")
        if n.isdigit() and (len(n) < 3 or 1900 <= int(n) <= 2100):
            continue
        out.add(n)
    return out


@dataclass
class _Features:
    """What one sentence offers for matching, computed once."""

    keys: set[str]  # word keys of content words of 4+ letters
    all_keys: set[str]  # word keys of every content word
    quotes: list[tuple[str, list[str], str]]  # (folded quote, its words, as written)
    people: dict[str, str]  # surname key -> name as written
    numbers: set[str]


class _Scorer:
    """Scores sentences against a cited page. Every sentence is indexed once by its
    rare words, names, numbers and quotes; a page is compared only with the
    sentences that share one of those with it (near-linear in sentences + pages)."""

    def __init__(self, sents: list[Sentence], profiles: dict[str, LinkProfile] | None = None):
        self.sents = [s for s in sents if s.kind in ("prose", "headline")]
        n = max(1, len([s for s in self.sents if s.kind == "prose"]))
        self.n = n
        df: Counter[str] = Counter()
        num_df: Counter[str] = Counter()
        self.feats: list[_Features] = []
        for s in self.sents:
            prose = s.kind == "prose"
            cw = content_words(s.text) if prose else []
            f = _Features(keys={word_key(w) for w in cw if len(w) >= 4},
                          all_keys={word_key(w) for w in cw},
                          quotes=_quotes_of(s.text) if prose else [],
                          people=_people_keys(s.text) if prose else {},
                          numbers=numbers(s.text) if prose else set())
            self.feats.append(f)
            df.update(f.keys)
            num_df.update(f.numbers)
        self.rare = {k for k, c in df.items() if c <= max(2, int(0.2 * n))}
        self.unique_numbers = {k for k, c in num_df.items() if c == 1}
        self.by_word: dict[str, list[int]] = {}
        self.by_person: dict[str, list[int]] = {}
        self.by_quote: dict[str, list[int]] = {}
        self.by_number: dict[str, list[int]] = {}
        for i, f in enumerate(self.feats):
            for k in f.all_keys:
                self.by_word.setdefault(k, []).append(i)
            for k in f.people:
                self.by_person.setdefault(k, []).append(i)
            for _, ws, _ in f.quotes:  # by its rarest word: all must be on the page
                rarest = min(ws, key=lambda w: df.get(word_key(w), 0))
                self.by_quote.setdefault(word_key(rarest), []).append(i)
            for k in f.numbers & self.unique_numbers:
                self.by_number.setdefault(k, []).append(i)
        self._mention_cache: dict[str, int] = {}
        self.position = {id(s): i for i, s in enumerate(self.sents)}
        # a publisher shared by several cited pages tells none of them apart
        self.shared: Counter[str] = Counter()
        for prof in (profiles or {}).values():
            self.shared.update({fold(nm) for nm in prof.names})

    def candidates(self, p: LinkProfile) -> set[int]:
        # Rare words alone never reach KEEP (at most 0.45): they only add to a sentence
        # found by a name, a quote, a number, the publisher or the title's words.
        found: set[int] = set()
        for k in p.keys:
            if (hit := self.by_person.get(k)) is not None:
                found.update(hit)
            if (hit := self.by_quote.get(k)) is not None:
                found.update(hit)
        for k in p.numbers:
            if (hit := self.by_number.get(k)) is not None:
                found.update(hit)
        for _, title in p.titles:
            count: Counter[int] = Counter()
            for k in {word_key(w) for w in content_words(title) if not w.isdigit()}:
                count.update(self.by_word.get(k, ()))
            found.update(i for i, c in count.items() if c >= 3)
        for name in p.names:
            for k in {word_key(w) for w in words(name) if w not in _GENERIC_NAMES}:
                found.update(self.by_word.get(k, ()))
        return found

    def matches(self, p: LinkProfile, headlines: list[HeadlineLink]):
        tied = {id(h.sentence): h for h in headlines if h.url == p.url}
        out = []
        picked = self.candidates(p) | {self.position[k] for k in tied if k in self.position}
        page = _PageSide(p)
        for i in sorted(picked):
            s = self.sents[i]
            pieces: list[tuple[float, str]] = []
            if s.kind == "headline":
                h = tied.get(id(s))
                if h is not None and h.how != "position":
                    pieces.append((h.similarity or 0.0, f"the headline matches the page's "
                                   f"{_what(h.how)} (similarity {h.similarity:.2f})"))
            else:
                f = self.feats[i]
                pieces += self._publisher(s.text, f, page)
                pieces += self._quotes(f, p, page)
                pieces += self._people(f, p)
                pieces += self._title_words(f, page)
                pieces += self._rare_words(f, p)
                pieces += self._numbers(f, p)
            if not pieces:
                continue
            conf = 1.0
            for w, _ in pieces:
                conf *= 1 - w
            conf = min(CONTENT_CAP, 1 - conf)
            if conf >= KEEP:
                out.append((s, conf, "; ".join(why for _, why in pieces)))
        return out

    def _mentions(self, name: str) -> int:
        if name not in self._mention_cache:
            pat = _name_pattern(name)
            keys = {word_key(w) for w in words(name) if w not in _GENERIC_NAMES}
            near: set[int] | None = None
            for k in keys:
                near = set(self.by_word.get(k, ())) if near is None else \
                    near & set(self.by_word.get(k, ()))
            self._mention_cache[name] = sum(
                1 for i in (near or ()) if self.sents[i].kind == "prose"
                and pat.search(self.sents[i].text))
        return self._mention_cache[name]

    def _publisher(self, text: str, f: _Features, page: _PageSide):
        for name, keys, pattern in page.names:
            if not keys <= f.all_keys:
                continue
            m = pattern.search(text)
            if not m:
                continue
            before, after = text[max(0, m.start() - 60):m.start()], text[m.end():m.end() + 30]
            cue = _ATTR_BEFORE.search(before) or _ATTR_AFTER.search(after)
            phrase = _phrase(text, m.start(), m.end())
            shared = max(1, self.shared.get(fold(name), 1))
            also = (f"; {shared} cited pages share this publisher" if shared > 1 else "")
            if cue:
                return [(0.85 / shared, f"attributes to the page's publisher {name} "
                         f"(\u201c{phrase}\u201d){also}")]
            topic = self._mentions(name)
            if topic >= 3 and topic >= 0.2 * self.n:
                return []  # the story's subject (NATO in a NATO story), not an attribution
            return [(0.6 / shared, f"names the page's publisher {name} (\u201c{phrase}\u201d)"
                     f"{also}")]
        return []

    def _quotes(self, f: _Features, p: LinkProfile, page: _PageSide):
        if not p.text:
            return []
        out = []
        for quote, ws, written in f.quotes:
            present = sum(1 for w in ws if word_key(w) in p.keys)
            if present < 0.8 * len(ws):
                continue
            if present == len(ws) and quote in p.text:
                w = 0.7 if len(ws) >= 2 else 0.35
                out.append((w, f"quotes \u201c{written.strip(' ,.')}\u201d, which the page "
                            "contains"))
            elif len(ws) >= 6 and _shingles_found(ws, page.padded_words) >= 0.8:
                out.append((0.6, f"quotes \u201c{_short(written)}\u201d, nearly word for "
                            "word on the page"))
        return out

    def _people(self, f: _Features, p: LinkProfile):
        named = [name for key, name in f.people.items() if key in p.keys]
        if not named:
            return []
        w = 1 - 0.7 ** len(named)
        return [(w, f"names people the page names too: {', '.join(named)}")]

    def _title_words(self, f: _Features, page: _PageSide):
        for what, tw, keys in page.titles:
            found = [w for w, k in zip(tw, keys, strict=True) if k in f.all_keys]
            frac = len(found) / len(tw)
            if frac >= 0.4 and len(found) >= 3:
                return [(0.5 * frac, f"shares {len(found)} of {len(tw)} words of the page's "
                         f"{_what(what)}")]
        return []

    def _rare_words(self, f: _Features, p: LinkProfile):
        if not p.keys:
            return []
        found = [k for k in f.keys & self.rare if k in p.keys]
        if len(found) < 3:
            return []
        return [(min(0.45, 0.08 * len(found)), f"{len(found)} of its distinctive words are on "
                 "the page")]

    def _numbers(self, f: _Features, p: LinkProfile):
        found = sorted(f.numbers & self.unique_numbers & p.numbers)
        if not found:
            return []
        return [(0.55, f"gives the figure{'s' if len(found) > 1 else ''} "
                 f"{', '.join(found[:3])}, found on the page and in no other sentence")]


class _PageSide:
    """What a page offers for matching, computed once per page."""

    def __init__(self, p: LinkProfile):
        self.names = []
        for name in p.names:
            if not [w for w in words(name) if w not in _GENERIC_NAMES]:
                continue  # og:site_name "News" or "Home" names nobody
            keys = {word_key(w) for w in content_words(name)}
            self.names.append((name, keys, _name_pattern(name)))
        self.titles = []
        for what, title in p.titles:
            tw = [w for w in content_words(title) if not w.isdigit()]
            if len(tw) >= 3:
                self.titles.append((what, tw, [word_key(w) for w in tw]))
        self._text = p.text

    @cached_property
    def padded_words(self) -> str:
        """The page's words, space-joined and space-padded: tokenised once per page,
        not once per quote."""
        return " " + " ".join(words(self._text or "")) + " "


def _quotes_of(text: str) -> list[tuple[str, list[str], str]]:
    out = []
    for m in _QUOTED.finditer(text):
        quote = " ".join(fold(m.group(1)).split()).strip(" ,.;:")
        ws = words(quote)
        if not ws or (len(ws) == 1 and len(ws[0]) < 5):
            continue
        out.append((quote, ws, m.group(1)))
    return out


def _people_keys(text: str) -> dict[str, str]:
    """Person-like names in a sentence: surname key -> the name as written."""
    return {key: name for key, name in people(transliterate(text)).items()}


def _what(how: str) -> str:
    return {"slug": "URL slug", "heading": "main heading"}.get(how, how)


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern:
    """An outlet's name as written in a story: case-sensitive (a proper noun:
    "The Hill" is not "the hill"), but "The" may start a sentence or not."""
    rest = name[4:] if name.startswith(("The ", "the ")) else None
    body = r"[Tt]he\s+" + re.escape(rest) if rest else re.escape(name)
    return re.compile(r"(?<![\w])" + body.replace(r"\ ", r"\s+") + r"(?![\w])")


def _phrase(text: str, start: int, end: int) -> str:
    """A few words around text[start:end], for a `why`."""
    lo = text.rfind(" ", 0, max(0, start - 40))
    hi = text.find(" ", min(len(text), end + 15))
    snippet = text[lo + 1 if lo != -1 else 0:hi if hi != -1 else len(text)]
    return snippet.strip(" ,.;:")


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + "\u2026"


def _shingles_found(ws: list[str], page_words: str) -> float:
    """The share of the quote's word trigrams on the page (`_PageSide.padded_words`)."""
    grams = [" ".join(ws[i:i + 3]) for i in range(len(ws) - 2)]
    return sum(1 for g in grams if f" {g} " in page_words) / len(grams) if grams else 0.0


# --- headlines ----------------------------------------------------------------------


def host_names(url: str) -> list[str]:
    """The labels of a URL's host that could name an outlet ("kremlin" for kremlin.ru)."""
    return [label for label in host_of(url).split(".")[:-1] if len(label) >= 3
            and label not in ("www", "com", "org", "net", "gov", "news", "edu", "co")]

