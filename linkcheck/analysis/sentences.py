"""An article's sentences, each located in the source (line, column).

The article's text is first projected to plain prose (`TextView`): Markdown
link syntax reduced to its words, HTML tags dropped and block elements turned
into paragraph breaks, while every character keeps its offset in the source.
The prose is cut into blocks (paragraphs, list items, headings) and blocks into
sentences by a small rule-based splitter that knows what trips naive ones in
news copy: quotations running over several sentences ("… from NATO. All our
… unanswered," Grushko said), abbreviations ("U.S.", "Gen.", "Dec. 17"),
initials, and hard-wrapped lines ("state-\\nrun").

No NLP model: news sentences are regular enough, and the source map only needs
to know which sentence a link sits in and what each sentence says.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from linkcheck.analysis.textmatch import wordset
from linkcheck.model import Article
from linkcheck.urls.parse import BARE_URL, LineIndex


@dataclass
class Sentence:
    text: str  # whitespace collapsed, hard-wrap hyphens joined
    line: int  # 1-based, in the source
    column: int  # 1-based, in the source
    block: int  # index of its paragraph/list item/heading
    end_line: int = 0  # the source line its last character is on
    kind: str = "prose"  # prose | headline (a "Related article: …" line) | links (URLs only)
    label: str | None = None  # for headlines: "Related article"
    headline: str | None = None  # for headlines: the headline after the label
    src_start: int = 0  # source offsets this sentence owns (for placing links in it)
    src_end: int = 0


@dataclass
class TextView:
    """Plain prose projected from an article, with each character's source offset."""

    source: str
    offsets: list[int] = field(default_factory=list)  # len(text) + 1 entries
    _chunks: list[str] = field(default_factory=list)
    _lines: LineIndex | None = None

    @property
    def text(self) -> str:
        # Joined on demand: appending to one growing string is quadratic.
        if len(self._chunks) != 1:
            self._chunks = ["".join(self._chunks)]
        return self._chunks[0]

    def add(self, chunk: str, src: int, step: bool = True) -> None:
        """Append `chunk`, its characters at src, src+1, … (or all at src)."""
        self._chunks.append(chunk)
        self.offsets.extend(range(src, src + len(chunk)) if step else [src] * len(chunk))

    def finish(self) -> TextView:
        self.offsets.append(len(self.source))
        return self

    def _index(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.source)
        return self._lines

    def line_col(self, src: int) -> tuple[int, int]:
        return self._index()(src)

    def offset_of(self, line: int, column: int) -> int:
        """The source offset of a 1-based line and column."""
        starts = self._index().starts
        if line - 1 >= len(starts):
            return len(self.source)
        return min(starts[line - 1] + max(column - 1, 0), len(self.source))


# --- projections -------------------------------------------------------------


def view_of(article: Article) -> TextView:
    if article.kind == "html":
        return _html_view(article.text)
    if article.kind == "md":
        return _markdown_view(article.text)
    return _text_view(article.text)


_URL_ONLY_LINE = re.compile(r"^[ \t>*+\-•]*(?:<?(?:https?://|www\.)\S+>?[ \t]*)+$", re.IGNORECASE)


def _text_view(text: str) -> TextView:
    view = TextView(text)
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if _URL_ONLY_LINE.match(body):
            # a link list line is a block of its own
            view.add("\n\n", pos, step=False)
            view.add(body, pos)
            view.add(line[len(body):] + "\n", pos + len(body), step=False)
        else:
            view.add(line, pos)
        pos += len(line)
    return view.finish()


_MD_LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]"
                      r"(\([^)\s]*(?:\s+\"[^\"]*\")?\)|\[[^\]]*\])")
_MD_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^>\s]+)>", re.IGNORECASE)
_MD_BLOCK_START = re.compile(r"^(?:[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d{1,3}[.)][ \t]+))+")
_MD_REFDEF = re.compile(r"^[ \t]{0,3}\[[^\]]+\]:\s*\S+")
_MD_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")
_MD_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)|`")


def _markdown_view(text: str) -> TextView:
    from linkcheck.extract.markdown import split_front_matter

    _, body = split_front_matter(text)
    view = TextView(body)
    pos = 0
    fenced = False
    for line in body.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        if _MD_FENCE.match(content):
            fenced = not fenced
            view.add("\n\n", pos, step=False)
        elif fenced:
            view.add("\n\n", pos, step=False)
        elif _MD_REFDEF.match(content) or _URL_ONLY_LINE.match(content):
            # reference definitions and link-list lines: a block of links of their own
            url = BARE_URL.search(content)
            view.add("\n\n", pos, step=False)
            if url:
                view.add(url.group(0), pos + url.start())
            view.add("\n\n", pos + len(content), step=False)
        else:
            m = _MD_BLOCK_START.match(content)
            start = 0
            if m:  # a heading, list item or quote starts a block of its own
                view.add("\n\n", pos, step=False)
                start = m.end()
            _markdown_inline(view, content, pos, start)
            view.add(line[len(content):] or "", pos + len(content))
        pos += len(line)
    return view.finish()


def _markdown_inline(view: TextView, line: str, pos: int, start: int) -> None:
    i = start
    for m in _MD_LINK.finditer(line, start):
        _markdown_plain(view, line[i:m.start()], pos + i)
        words_at = m.start(2)
        _markdown_plain(view, m.group(2), pos + words_at)  # the link's words
        i = m.end()
    rest = line[i:]
    rest_pos = pos + i
    j = 0
    for m in _MD_AUTOLINK.finditer(rest):
        _markdown_plain(view, rest[j:m.start()], rest_pos + j)
        view.add(m.group(1), rest_pos + m.start(1))
        j = m.end()
    _markdown_plain(view, rest[j:], rest_pos + j)


def _markdown_plain(view: TextView, chunk: str, pos: int) -> None:
    j = 0
    for m in _MD_EMPHASIS.finditer(chunk):
        view.add(chunk[j:m.start()], pos + j)
        j = m.end()
    view.add(chunk[j:], pos + j)


_BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr",
    "td", "th", "table", "section", "article", "header", "footer", "nav", "aside", "main",
    "figure", "figcaption", "pre", "dd", "dt", "dl", "hr", "form", "address", "details",
    "summary", "body", "title",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}


class _HtmlProjector(HTMLParser):
    def __init__(self, view: TextView):
        super().__init__(convert_charrefs=True)
        self.view = view
        self.starts = [0] + [i + 1 for i, ch in enumerate(view.source) if ch == "\n"]
        self.skip = 0

    def _here(self) -> int:
        line, col = self.getpos()
        return self.starts[line - 1] + col if line - 1 < len(self.starts) else len(self.starts)

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.view.add("\n\n", self._here(), step=False)
        elif tag == "br":
            self.view.add("\n", self._here(), step=False)
        elif tag == "img" and not self.skip:
            alt = dict(attrs).get("alt")
            if alt:
                self.view.add(" " + alt + " ", self._here(), step=False)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in _SKIP_TAGS:
            self.skip -= 1

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.view.add("\n\n", self._here(), step=False)

    def handle_data(self, data):
        if not self.skip:
            self.view.add(data, self._here())


def _html_view(text: str) -> TextView:
    view = TextView(text)
    parser = _HtmlProjector(view)
    parser.feed(text)
    parser.close()
    return view.finish()


# --- splitting -----------------------------------------------------------------

_BLOCK_SEP = re.compile(r"\n[ \t\r]*\n\s*")
_LABEL = re.compile(
    r"^\s*(?P<label>related(?: articles?| stor(?:y|ies)| reading| coverage| content| news)?"
    r"|read (?:more|also|next)|also read|see also|more on (?:this|that)(?: story)?"
    r"|further reading)\s*[:\u2013\u2014|>]\s*(?P<head>\S.*)$",
    re.IGNORECASE | re.DOTALL)
_ABBREVIATIONS = wordset("""
mr mrs ms dr prof gen lt col sgt capt cpt maj adm gov sen rep rev st jr sr inc ltd co corp
vs etc no nos jan feb mar apr jun jul aug sep sept oct nov dec mt ft pres amb dept est approx
fig vol pp ed eds univ assn bros cmdr cdr brig supt insp det ave blvd rd sq
""")
# After "U.S." or "a.m." a capital word is usually not a new sentence (U.S. President
# Joe Biden) unless it is one of these sentence openers.
_OPENERS = wordset("""
the a an he she it they we i you his her their its our this that these those there
but and so yet or in on at for after before when while if as since although though however
meanwhile earlier later still then some many most no one two three officials
""")
_OPEN_QUOTES = "\u201c\u00ab\u201e"
_CLOSE_QUOTES = "\u201d\u00bb"
_ENDERS = ".!?\u2026"
_TRAILERS = "\"'\u201d\u2019\u00bb)]"


def sentences(article: Article, view: TextView | None = None) -> list[Sentence]:
    """Every sentence of the article, in order, with its source position."""
    view = view or view_of(article)
    text = view.text
    out: list[Sentence] = []
    blocks = []
    pos = 0
    for m in _BLOCK_SEP.finditer(text):
        blocks.append((pos, m.start(), m.start()))
        pos = m.end()
    blocks.append((pos, len(text), len(text)))
    block_src = [0] + [view.offsets[sep] for _, _, sep in blocks[:-1]]
    for b, (start, end, _sep) in enumerate(blocks):
        raw = text[start:end]
        if not raw.strip():
            continue
        src_lo = block_src[b]
        src_hi = block_src[b + 1] if b + 1 < len(block_src) else len(view.source)
        spans = _split_block(raw)
        kind_of_block = _block_kind(raw)
        if kind_of_block != "prose":
            spans = [(0, len(raw))]
        made = []
        for s, e in spans:
            lead = len(raw[s:e]) - len(raw[s:e].lstrip())
            s += lead
            chunk = raw[s:e].rstrip()
            if not chunk:
                continue
            src = view.offsets[start + s]
            line, col = view.line_col(src)
            sent = Sentence(_normalise(chunk), line, col, b, kind=kind_of_block, src_start=src)
            sent.end_line = view.line_col(view.offsets[start + s + len(chunk) - 1])[0]
            if kind_of_block == "headline":
                label = _LABEL.match(sent.text)
                assert label is not None  # kind_of_block says the label matched
                sent.label, sent.headline = label["label"], _strip_quotes(label["head"])
            made.append(sent)
        for i, sent in enumerate(made):
            sent.src_start = src_lo if i == 0 else sent.src_start
            sent.src_end = made[i + 1].src_start if i + 1 < len(made) else src_hi
        out.extend(made)
    return out


def sentence_at(sents: list[Sentence], src: int) -> Sentence | None:
    """The sentence owning source offset `src` (a link's position), if any."""
    i = bisect.bisect_right(sents, src, key=lambda s: s.src_start) - 1
    if i >= 0 and sents[i].src_start <= src < sents[i].src_end:
        return sents[i]
    return None


def _block_kind(raw: str) -> str:
    flat = " ".join(raw.split())
    if not BARE_URL.sub("", flat).strip(" \t-*+•>|,;"):
        return "links"
    if len(flat) <= 300 and _LABEL.match(flat):
        return "headline"
    return "prose"


def _split_block(raw: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in one block of prose."""
    for track_quotes in (True, False):
        spans, depth, begin, i = [], 0, 0, 0
        n = len(raw)
        while i < n:
            ch = raw[i]
            if track_quotes:
                if ch in _OPEN_QUOTES:
                    depth += 1
                elif ch in _CLOSE_QUOTES:
                    depth = max(0, depth - 1)
                elif ch == '"':
                    depth = 0 if depth else 1
            if ch in _ENDERS:
                j = i + 1
                while j < n and raw[j] in _ENDERS:
                    j += 1
                closing = 0
                while j < n and raw[j] in _TRAILERS:
                    if raw[j] in _CLOSE_QUOTES or (raw[j] == '"' and depth):
                        closing += 1
                    j += 1
                if j < n and raw[j].isspace() and (depth - closing <= 0 or not track_quotes) \
                        and _is_boundary(raw, i, j):
                    spans.append((begin, j))
                    begin = j
                    depth = 0
                    i = j
                    continue
                if track_quotes and closing:
                    depth = max(0, depth - closing)
                i = j
                continue
            i += 1
        if track_quotes and depth > 0 and len(spans) == 0 and len(raw) > 400:
            continue  # an unclosed quote swallowed a long paragraph: split without quotes
        spans.append((begin, n))
        return spans
    return [(0, len(raw))]


def _is_boundary(raw: str, end: int, after: int) -> bool:
    """Whether the period at raw[end] (followed by space at raw[after]) ends a sentence."""
    k = after
    while k < len(raw) and raw[k].isspace():
        k += 1
    if k >= len(raw):
        return True
    nxt = raw[k]
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPEN_QUOTES + "\"'(\u2018["):
        return False
    if raw[end] != ".":
        return True
    m = re.search(r"(\S+)$", raw[:end])
    word = m.group(1) if m else ""
    bare = word.lstrip("(\"'\u201c\u2018\u00ab").lower()
    if bare in _ABBREVIATIONS:
        return nxt.isupper() and _next_word(raw, k) in _OPENERS and bare == "etc"
    if re.fullmatch(r"[a-z]", bare) and word[-1:].isupper():
        return False  # an initial: "Jens J. Smith"
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", bare):  # U.S, a.m, e.g
        return _next_word(raw, k) in _OPENERS
    return True


def _next_word(raw: str, k: int) -> str:
    m = re.match(r"[\w']+", raw[k:])
    return m.group(0).lower() if m else ""


_HARD_WRAP = re.compile(r"(?<=\w)-[ \t]*\r?\n[ \t]*(?=[a-z])")


def _normalise(chunk: str) -> str:
    """One line: "state-\\nrun" -> "state-run", other line breaks -> spaces."""
    return " ".join(_HARD_WRAP.sub("-", chunk).split())


def _strip_quotes(text: str) -> str:
    return text.strip().strip("\"'\u201c\u201d\u00ab\u00bb\u2018\u2019").strip()
