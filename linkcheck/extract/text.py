"""Citations in plain text: bare URLs, also inside (), <> and quotes."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from linkcheck.model import Citation
from linkcheck.urls.parse import (
    BARE_URL,
    LineIndex,
    line_continuation,
    scheme_typos_in_text,
    trim_bare_url,
    unescape_bare,
    with_scheme,
)

_JOINED = re.compile(r"[,;|](?=(?:https?|ftp)://)", re.IGNORECASE)
SENTENCE_REACH = 600  # characters either side of a URL where its sentence may be
_SENTENCE_END_FAST = re.compile(r"[.!?\u2026]\s+|\n\s*\n")


# Context kept on each side of a URL: a "sentence" with no end (a megabyte on
# one line) must not be copied whole into every citation on it.
MAX_CONTEXT = SENTENCE_REACH
_NON_SPACE = re.compile(r"\S")


class _Sentences:
    """Line, paragraph and sentence boundaries of one text, found once, so each
    URL's sentence is a few bisections instead of a rescan of its paragraph."""

    def __init__(self, text: str):
        self.text = text
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        # every "\n\n" (overlapping: "\n\n\n" holds two)
        self.breaks = [m.start() for m in re.finditer("(?=\n\n)", text)]
        # the matches of (?<=[.!?\u2026])\s+|\n\s*\n, found from the punctuation itself (a pattern
        # that starts with a character set scans fast), then moved past it
        spans = [(m.start() + (text[m.start()] != "\n"), m.end())
                 for m in _SENTENCE_END_FAST.finditer(text)]
        self.ends_at = [e for _, e in spans]  # sorted: matches do not overlap
        self.starts_at = [s for s, _ in spans]

    def around(self, start: int, end: int) -> str:
        text = self.text
        i = bisect_left(self.newlines, start)
        line_start = self.newlines[i - 1] + 1 if i else 0
        j = bisect_left(self.newlines, end)
        line_end = self.newlines[j] if j < len(self.newlines) else len(text)
        if not (_NON_SPACE.search(text, line_start, start)
                or _NON_SPACE.search(text, end, line_end)):
            return ""
        k = bisect_right(self.breaks, start - 2)  # a break ending at or before start
        para_start = self.breaks[k - 1] + 2 if k else 0
        k = bisect_left(self.breaks, end)
        para_end = self.breaks[k] if k < len(self.breaks) else len(text)
        # the last sentence end inside the paragraph before the URL ...
        k = bisect_right(self.ends_at, start) - 1
        begin = para_start
        if k >= 0 and self.starts_at[k] >= para_start:
            begin = max(begin, self.ends_at[k])
        # ... and the first one after it
        k = bisect_left(self.starts_at, end)
        stop = para_end
        if k < len(self.starts_at) and self.starts_at[k] < para_end:
            stop = self.starts_at[k]
        begin = max(begin, start - MAX_CONTEXT)
        stop = min(stop, end + MAX_CONTEXT)
        sentence = text[begin:start] + text[end:stop]
        sentence = re.sub(r"[(<\[]\s*[)>\]]", "", sentence)  # brackets that held the URL
        return " ".join(sentence.split())


_last: list[_Sentences] = []


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence containing text[start:end], without the URL itself (at most
    MAX_CONTEXT characters on each side).

    A URL alone on its line (a link list, as many wire copies end) has no
    sentence of its own: that gives "".
    """
    if not _last or _last[0].text is not text:  # one text's links come in a row
        _last[:] = [_Sentences(text)]
    return _last[0].around(start, end)


_SEPARATOR = re.compile("://")
_WWW = re.compile(r"[wW][wW][wW]\.")
_SCHEMES = ("https", "http", "ftp")


def bare_url_matches(text: str) -> Iterator[re.Match[str]]:
    """What BARE_URL.finditer(text) gives, found faster: the regex is tried only
    where "://" or "www." occurs, not at every character of a long draft."""
    starts = []
    for sep in _SEPARATOR.finditer(text):
        i = sep.start()
        starts += [i - len(s) for s in _SCHEMES if text[i - len(s):i].lower() == s]
    starts += [www.start() for www in _WWW.finditer(text)]
    end = 0
    for pos in sorted(starts):
        if pos < end:
            continue  # inside the URL just found
        if (found := BARE_URL.match(text, pos)) is not None:
            end = found.end()
            yield found


def find_bare_urls(text: str) -> list[tuple[str, int, int]]:
    """(url, start, end) for every bare URL in text."""
    found = []
    for m in bare_url_matches(text):
        start = m.start()
        # "https://a.org/x,https://b.org/y": two URLs run together by a separator
        for piece in _JOINED.split(m.group(0)):
            raw = trim_bare_url(piece)
            if len(raw) >= len("http://a"):
                found.append((raw, start, start + len(raw)))
            start += len(piece) + 1
    return found


def next_line_after(text: str, end: int) -> str | None:
    """The line after the one a URL ending at `end` closes, or None when the URL
    does not reach the end of its line."""
    if end >= len(text) or text[end] != "\n":
        return None
    stop = text.find("\n", end + 1)
    return text[end + 1:stop if stop != -1 else len(text)]


def across_lines(raw: str, text: str, end: int) -> tuple[str, str | None, int]:
    """(URL, why it is invalid or None, end in text) for a bare URL that may go on
    at the start of the next line: joined when that is unambiguous, otherwise
    reported with both lines, never audited as the cut fragment."""
    following = next_line_after(text, end)
    if following is None:
        return raw, None, end
    verdict, joined = line_continuation(raw, following)
    if verdict == "join" and joined:
        return joined, None, end + 1 + len(joined) - len(raw)
    if verdict == "broken":
        return raw, (f"malformed URL: cut at the end of its line ({raw!r}, then "
                     f"{following.strip()[:60]!r}); join the two lines"), end
    return raw, None, end


def typo_citations(text: str, taken: list[tuple[int, int]], line_col) -> list[Citation]:
    """Mistyped http(s) URLs in prose (https;//, htps://, http//), for malformed-url."""
    out = []
    for raw, start, _ in scheme_typos_in_text(text):
        if any(s <= start < e for s, e in taken):
            continue
        line, col = line_col(start)
        out.append(Citation(url=raw, line=line, column=col,
                            text=sentence_around(text, start, start + len(raw))))
    return out


def extract_text(text: str) -> list[Citation]:
    out = []
    line_col = LineIndex(text)
    taken = []
    for raw, start, end in find_bare_urls(text):
        url, invalid, end = across_lines(raw, text, end)
        line, col = line_col(start)
        out.append(Citation(url=with_scheme(unescape_bare(url)), line=line, column=col,
                            text=sentence_around(text, start, end), invalid=invalid))
        taken.append((start, end))
    return out + typo_citations(text, taken, line_col)
