"""Fuzzy text comparison for citations: transliteration, word keys, title
similarity and URL slugs.

Journalism in this beat spells the same name several ways (Zelenskiy,
Zelenskyy, Zelensky, Зеленский) and cites Cyrillic pages from English text, so
every comparison here goes through `word_key`: Cyrillic transliterated, accents
folded, and the spelling variants that differ between transliteration
schemes collapsed. Nothing here does I/O or needs a model.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache
from urllib.parse import unquote, urlsplit

# Russian, Ukrainian and Belarusian letters, BGN/PCGN-like (the scheme wire
# services use): "РИА Новости" -> "RIA Novosti", "Грушко" -> "Grushko".
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
}
_VOWELS = set("аеёиоуыэюяіїєaeiouy")


_CYRILLIC_CHAR = re.compile("[\u0400-\u04ff]")


def has_cyrillic(text: str) -> bool:
    return _CYRILLIC_CHAR.search(text) is not None


def transliterate(text: str) -> str:
    """Cyrillic to Latin letters; everything else unchanged.

    Case follows the source: "РИА" -> "RIA", "Жуков" -> "Zhukov". A word-initial
    "е" (or one after a vowel) is "ye", as in Yeltsin.
    """
    if not has_cyrillic(text):
        return text
    out: list[str] = []
    for i, ch in enumerate(text):
        low = ch.lower()
        latin = _CYRILLIC.get(low)
        if latin is None:
            out.append(ch)
            continue
        prev = text[i - 1] if i else " "
        if low == "е" and (not prev.isalpha() or prev.lower() in _VOWELS or prev in "ъьЪЬ"):
            latin = "ye"
        if ch != low and latin:  # upper case: all caps inside an all-caps word
            nxt = text[i + 1] if i + 1 < len(text) else ""
            word_caps = (nxt.isalpha() and nxt.isupper()) or (prev.isalpha() and prev.isupper()
                                                              and not nxt.isalpha())
            latin = latin.upper() if word_caps else latin[0].upper() + latin[1:]
        out.append(latin)
    return "".join(out)


def fold(text: str) -> str:
    """Transliterated, accents removed, lower case, typographic quotes made plain."""
    if text.isascii():  # the common case needs none of the work below
        return text.lower()
    text = transliterate(text)
    text = unicodedata.normalize("NFKD", text)
    if not text.isascii():  # only the non-ASCII characters are looked at one by one
        text = _NON_ASCII.sub(_drop_mark, text)
    if _TYPOGRAPHIC.search(text):
        text = text.translate(_PLAIN)
    return text.lower()


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _drop_mark(m: re.Match) -> str:
    ch = m.group()
    return "" if unicodedata.combining(ch) else ch


_PLAIN = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                        "\u00ab": '"', "\u00bb": '"', "\u201e": '"', "\u2013": "-",
                        "\u2014": "-", "\u00a0": " "})
_TYPOGRAPHIC = re.compile("[" + "".join(chr(c) for c in _PLAIN) + "]")

# Dotted abbreviations that must survive tokenising as one word.
_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}", re.IGNORECASE)
_POSSESSIVE = re.compile(r"'s\b|(?<=s)'(?=\s|$)")
_WORD = re.compile(r"[a-z0-9]+")


def wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of `text`, for word lists written as prose."""
    return frozenset(text.split())


STOPWORDS = wordset("""
a an the and or but nor of to in on at by for from with without as into onto over under
about after before than then that this these those is are was were be been being am do
does did has have had will would shall should can could may might must not no yes it its
he she they them his her their we our you your i me my who whom whose which what when
where why how all any some more most other such only own same so too very just also up
down out off again further once here there s t said says say via vs amid against
""")


def words(text: str) -> list[str]:
    """Lower-case ASCII words: "U.S.-led" -> ["us", "led"], "Russia’s" -> ["russia"]."""
    t = fold(text)
    t = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), t)
    t = _POSSESSIVE.sub("", t)
    return _WORD.findall(t)


def content_words(text: str) -> list[str]:
    """`words` without stopwords (all of them when nothing else is left)."""
    ws = words(text)
    content = [w for w in ws if w not in STOPWORDS]
    return content or ws


@lru_cache(maxsize=65536)  # called for every word of every cited page
def word_key(word: str) -> str:
    """A spelling-tolerant key: Zelenskiy, Zelenskyy, Zelensky, Зеленский -> "zelensky";
    Aleksandr and Alexander come out close (see `same_word`)."""
    parts = words(word)
    w = "".join(parts) if parts else fold(word)
    for a, b in (("x", "ks"), ("kh", "h"), ("ph", "f"), ("w", "v"), ("j", "y"), ("ck", "k")):
        w = w.replace(a, b)
    w = re.sub(r"(?:iy|yy|ij|ii|yi)$", "y", w)
    w = re.sub(r"(.)\1+", r"\1", w)  # doubled letters
    return w


def same_word(a: str, b: str) -> bool:
    ka, kb = word_key(a), word_key(b)
    if ka == kb:
        return True
    if min(len(ka), len(kb)) < 5:
        return False
    return SequenceMatcher(None, ka, kb).ratio() >= 0.85


def similarity(a: str, b: str) -> float:
    """How alike two headlines are, 0..1: case, punctuation, stopwords and
    transliteration do not count. Dice over content words matched fuzzily, or,
    when one is a shortened form of the other (at least four words, nearly all
    found in the other), that containment a little discounted."""
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return 0.0
    matched = _matches(wa, wb)
    dice = 2 * matched / (len(wa) + len(wb))
    shorter = min(len(wa), len(wb))
    contained = 0.9 * matched / shorter if shorter >= 4 else 0.0
    return round(max(dice, contained), 2)


def _matches(wa: list[str], wb: list[str]) -> int:
    """Words of `wa` found in `wb`, each word of `wb` used once."""
    keys_b = [word_key(w) for w in wb]
    used = [False] * len(wb)
    n = 0
    for w in wa:
        kw = word_key(w)
        for i, kb in enumerate(keys_b):
            if not used[i] and (kw == kb or (min(len(kw), len(kb)) >= 5 and
                                             SequenceMatcher(None, kw, kb).ratio() >= 0.85)):
                used[i] = True
                n += 1
                break
    return n




_EXTENSION = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cms|shtml)$", re.IGNORECASE)
_ID_PART = re.compile(r"^(?:\d+|[0-9a-f]{8,}|[a-z]?\d{4,}[a-z0-9]*)$", re.IGNORECASE)


def slug_text(url: str) -> str | None:
    """The words of the URL's headline slug, or None when it has none.

    ".../2025/03/28/russia-sends-security-proposals" -> "russia sends security
    proposals"; ".../20211217/nato-1764165844.html" -> None (one word is not a
    headline). The path segment with the most words wins; numeric ids dropped.
    """
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return None
    best: list[str] = []
    for segment in path.split("/"):
        segment = _EXTENSION.sub("", segment)
        parts = [p for p in re.split(r"[-_+.]+", segment) if p and not _ID_PART.match(p)]
        parts = [p for p in parts if re.search(r"[^\W\d]", p)]
        if len(parts) > len(best):
            best = parts
    if len([p for p in best if len(p) > 1]) < 3:
        return None
    return " ".join(best)
