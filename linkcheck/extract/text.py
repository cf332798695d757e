"""Citations in plain text: bare URLs, also inside (), <> and quotes."""

from __future__ import annotations

import re

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
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])\s+|\n\s*\n")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence containing text[start:end], without the URL itself.

    A URL alone on its line (a link list, as many wire copies end) has no
    sentence of its own: that gives "".
    """
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    if not (text[line_start:start] + text[end:line_end]).strip():
        return ""
    # A sentence is looked for near the URL only: a long link list with no blank
    # line is one "paragraph", and scanning it whole for each URL was quadratic.
    lo, hi = max(0, start - SENTENCE_REACH), min(len(text), end + SENTENCE_REACH)
    para_start = text.rfind("\n\n", lo, start)
    para_start = lo if para_start == -1 else para_start + 2
    para_end = text.find("\n\n", end, hi)
    para_end = hi if para_end == -1 else para_end
    para = text[para_start:para_end]
    rel_start, rel_end = start - para_start, end - para_start
    begin = 0
    for m in _SENTENCE_END.finditer(para):
        if m.end() <= rel_start:
            begin = m.end()
        elif m.start() >= rel_end:
            para = para[:m.start()]
            break
    sentence = para[begin:rel_start] + para[rel_end:]
    sentence = re.sub(r"[(<\[]\s*[)>\]]", "", sentence)  # brackets that held the URL
    return " ".join(sentence.split())


def find_bare_urls(text: str) -> list[tuple[str, int, int]]:
    """(url, start, end) for every bare URL in text."""
    found = []
    for m in BARE_URL.finditer(text):
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
