"""Citations in Markdown: inline links, reference-style links, autolinks, bare
URLs in prose and raw HTML links (inline and in HTML blocks, read by the HTML
extractor), found with a CommonMark parser (so code spans and code blocks are
left alone) and located back in the source for line and column. A URL is
reported as written (an IDN host stays readable); escapes and character
references in the source are Markdown's, not the URL's."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from markdown_it import MarkdownIt

from linkcheck.extract.html import extract_html, tag_attributes
from linkcheck.extract.text import extract_text, find_bare_urls, sentence_around
from linkcheck.model import Citation
from linkcheck.urls.parse import (
    LineIndex,
    line_continuation,
    scheme_typos_in_text,
    source_spelling,
    with_scheme,
)

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.DOTALL)


def split_front_matter(text: str) -> tuple[str, str]:
    """(front matter, body with the front matter blanked out so lines keep their numbers)."""
    m = FRONT_MATTER.match(text)
    if not m:
        return "", text
    return m.group(1), "\n" * m.group(0).count("\n") + text[m.end():]


class _Locator:
    """Finds successive strings in the source, never going backwards, so two
    identical links on one line get their own columns."""

    def __init__(self, source: str):
        self.source = source
        self.cursor = 0

    def find(self, decoded: str, start: int, end: int) -> tuple[int, int] | None:
        """(offset, length in the source) of `decoded` as written there: as is, or
        with backslash escapes and character references (&amp; \\_)."""
        if not decoded:
            return None
        pos = max(self.cursor, start)
        i = self.source.find(decoded, pos, end)
        if i != -1:
            self.cursor = i + len(decoded)
            return i, len(decoded)
        m = source_spelling(decoded).search(self.source, pos, end)
        if m is None:
            return None
        self.cursor = m.end()
        return m.start(), m.end() - m.start()


_SPACE_OR_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def _as_written(url: str) -> str:
    """Link destinations as the writer wrote them (escapes and entities decoded by
    the parser): not percent-encoded nor punycoded, which is for fetching, not
    for display; only white space and controls, which cannot stay, are encoded."""
    return _SPACE_OR_CONTROL.sub(lambda m: quote(m.group()), url)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
    setattr(md, "normalizeLink", _as_written)  # noqa: B010 - markdown-it's documented hook
    return md


# Blockquotes and lists nest this deep in real copy only by accident, but links
# in them are still the writer's. markdown-it stops parsing past maxNesting.
MAX_NESTING = 200


def extract_markdown(text: str) -> list[Citation]:
    _, body = split_front_matter(text)
    env: dict = {}
    try:
        tokens = _parser().parse(body, env)
    except RecursionError:  # nesting deeper than Python's stack: read it as plain text
        return extract_text(body)
    line_col = LineIndex(body)
    line_starts = line_col.starts
    refs = {v["href"]: v for v in env.get("references", {}).values()}
    used_refs: set[str] = set()
    locator = _Locator(body)
    out: list[Citation] = []

    for token in tokens:
        if token.type == "html_block" and token.map:
            out.extend(_html_block(token, body, line_starts))
            continue
        if token.type != "inline" or not token.map or not token.children:
            continue
        block_start = line_starts[token.map[0]]
        block_end = line_starts[token.map[1]] if token.map[1] < len(line_starts) else len(body)
        children = token.children
        depth = 0  # how many links the current child is inside
        html_open: list[Citation] = []  # raw <a> elements whose words are being collected
        for i, child in enumerate(children):
            if child.type == "link_close":
                depth -= 1
            if child.type == "link_open":
                depth += 1
                href = str(child.attrs.get("href", ""))
                anchor = _anchor_text(children, i)
                found = locator.find(href, block_start, block_end)
                if found is None and href in refs:
                    if href in used_refs:
                        continue  # one citation per reference definition
                    used_refs.add(href)
                    ref_start = line_starts[refs[href]["map"][0]]
                    found = _Locator(body).find(href, ref_start, len(body))
                pos = found[0] if found else block_start
                line, col = line_col(pos)
                if child.markup == "autolink":
                    anchor = _plain(sentence_around(body, pos, pos + len(href)))
                out.append(Citation(url=href, line=line, column=col, text=anchor))
            elif child.type == "html_inline":
                html_open = _html_inline(child.content, html_open, locator, block_start,
                                         block_end, line_col, out)
            elif child.type == "text" and html_open:
                html_open[-1].text += child.content
            elif child.type == "text" and depth == 0:
                following = (children[i + 2].content if i + 2 < len(children)
                             and children[i + 1].type == "softbreak"
                             and children[i + 2].type == "text" else None)
                out.extend(_bare_urls(child.content, following, body, locator, block_start,
                                      block_end, line_col))
    if any(t.level >= MAX_NESTING - 2 for t in tokens):
        out.extend(_beyond_nesting(tokens, body))
    for c in out:
        c.text = " ".join(c.text.split())
    return out


def _beyond_nesting(tokens, body: str) -> list[Citation]:
    """Past the parser's nesting limit a block is not parsed at all: its bare URLs
    are read as plain text, lines kept, so they are still listed."""
    lines = body.split("\n")
    covered: set[int] = set()
    for t in tokens:
        if t.map and t.type in ("inline", "fence", "code_block", "html_block"):
            covered.update(range(t.map[0], t.map[1]))
    rest = "\n".join("" if i in covered else line for i, line in enumerate(lines))
    return extract_text(rest)


def _bare_urls(content: str, following: str | None, body: str, locator: _Locator,
               block_start: int, block_end: int, line_col) -> list[Citation]:
    """Bare URLs (and mistyped ones) in one run of text, located in the source."""
    out = []
    taken = []
    for raw, start, end in find_bare_urls(content):
        found = locator.find(raw, block_start, block_end)
        if found is None:
            continue
        pos, length = found
        url, invalid = raw, None
        if end == len(content) and following is not None:
            verdict, joined = line_continuation(raw, following)
            if verdict == "join" and joined:
                url = joined
            elif verdict == "broken":
                invalid = (f"malformed URL: cut at the end of its line ({raw!r}, then "
                           f"{following.strip()[:60]!r}); join the two lines")
        line, col = line_col(pos)
        out.append(Citation(url=with_scheme(url), line=line, column=col, invalid=invalid,
                            text=_plain(sentence_around(body, pos, pos + length))))
        taken.append((start, end))
    for raw, start, _ in scheme_typos_in_text(content):
        if any(s <= start < e for s, e in taken):
            continue
        found = locator.find(raw, block_start, block_end)
        if found is not None:
            line, col = line_col(found[0])
            out.append(Citation(url=raw, line=line, column=col, text=_plain(
                sentence_around(body, found[0], found[0] + found[1]))))
    return out


def _html_inline(tag: str, html_open: list[Citation], locator: _Locator, block_start: int,
                 block_end: int, line_col, out: list[Citation]) -> list[Citation]:
    """A raw HTML tag inside a paragraph: <a href>, <q cite> start a citation."""
    if re.match(r"</a\s*>", tag, re.IGNORECASE):
        return html_open[:-1]
    m = re.match(r"<\s*([a-zA-Z][\w-]*)", tag)
    name = m.group(1).lower() if m else ""
    wanted = {"a": "href", "area": "href", "q": "cite", "blockquote": "cite"}.get(name)
    found = locator.find(tag, block_start, block_end)
    if wanted is None or found is None:
        return html_open
    for attr, value, offset in tag_attributes(tag):
        if attr == wanted and value.strip():
            line, col = line_col(found[0] + offset)
            robust = {a: html.unescape(v) for a, v, _ in tag_attributes(tag)
                      if a in ("data-versionurl", "data-versiondate")}
            c = Citation(url=html.unescape(value).strip(), line=line, column=col,
                         version_url=robust.get("data-versionurl") or None,
                         version_date=robust.get("data-versiondate") or None)
            out.append(c)
            if name == "a" and not tag.rstrip().endswith("/>"):
                return [*html_open, c]
    return html_open


def _html_block(token, body: str, line_starts: list[int]) -> list[Citation]:
    """A block of raw HTML: read by the HTML extractor, located in the Markdown file."""
    content = token.content
    lines = content.split("\n")
    out = []
    for c in extract_html(content):
        src_line = token.map[0] + c.line - 1
        if src_line >= len(line_starts):
            continue
        start = line_starts[src_line]
        stop = body.find("\n", start)
        source_line = body[start:stop if stop != -1 else len(body)]
        written = lines[c.line - 1] if c.line - 1 < len(lines) else ""
        shift = max(source_line.find(written), 0) if written else 0
        c.line, c.column = src_line + 1, c.column + shift
        out.append(c)
    return out


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|<[a-z][a-z0-9+.-]*:[^>\s]*>", re.IGNORECASE)


def _plain(sentence: str) -> str:
    """A sentence from Markdown source with link syntax reduced to its words."""
    return " ".join(_MD_LINK.sub(lambda m: m.group(1) or "", sentence).split())


def _anchor_text(children, open_index: int) -> str:
    parts = []
    for c in children[open_index + 1:]:
        if c.type == "link_close":
            break
        if c.type in ("text", "code_inline") or c.type == "image":
            parts.append(c.content)
    return " ".join("".join(parts).split())
