"""Citations in Markdown: inline links, reference-style links, autolinks and
bare URLs in prose, found with a CommonMark parser (so code spans and code
blocks are left alone) and located back in the source for line and column."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

from markdown_it import MarkdownIt

from linkcheck.extract.text import find_bare_urls, sentence_around
from linkcheck.model import Citation
from linkcheck.urls.parse import LineIndex, with_scheme

# raw inline HTML links (as `linkcheck fix` writes Robust Links into Markdown)
_A_OPEN = re.compile(r"<a\s[^>]*?\bhref\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))",
                     re.IGNORECASE)
_A_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)
_A_ATTR = re.compile(r"\b(data-versionurl|data-versiondate)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')",
                     re.IGNORECASE)
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

    def find(self, candidates: list[str], start: int, end: int) -> int | None:
        pos = max(self.cursor, start)
        for needle in candidates:
            if needle and (i := self.source.find(needle, pos, end)) != -1:
                self.cursor = i + len(needle)
                return i
        return None


def _spellings(href: str) -> list[str]:
    """How a parsed href may have been written in the source."""
    out = [href, html.escape(href, quote=False), unquote(href)]
    return list(dict.fromkeys(out))


def extract_markdown(text: str) -> list[Citation]:
    _, body = split_front_matter(text)
    env: dict = {}
    tokens = MarkdownIt("commonmark").parse(body, env)
    line_col = LineIndex(body)
    line_starts = line_col.starts
    refs = {v["href"]: v for v in env.get("references", {}).values()}
    used_refs: set[str] = set()
    locator = _Locator(body)
    out: list[Citation] = []

    for token in tokens:
        if token.type != "inline" or not token.map or not token.children:
            continue
        block_start = line_starts[token.map[0]]
        block_end = line_starts[token.map[1]] if token.map[1] < len(line_starts) else len(body)
        children = token.children
        depth = 0  # how many links the current child is inside
        for i, child in enumerate(children):
            if child.type == "link_close":
                depth -= 1
            if child.type == "link_open":
                depth += 1
                href = str(child.attrs.get("href", ""))
                anchor = _anchor_text(children, i)
                pos = locator.find(_spellings(href), block_start, block_end)
                if pos is None and href in refs:
                    if href in used_refs:
                        continue  # one citation per reference definition
                    used_refs.add(href)
                    ref_line = refs[href]["map"][0]
                    ref_text = body[line_starts[ref_line]:]
                    col = next((ref_text.find(s) for s in _spellings(href) if s in ref_text), 0)
                    pos = line_starts[ref_line] + max(col, 0)
                if pos is None:
                    pos = block_start
                line, col = line_col(pos)
                if child.markup == "autolink":
                    anchor = _plain(sentence_around(body, pos, pos + len(href)))
                source_url = body[pos:pos + len(href)]
                url = source_url if source_url and unquote(source_url) == unquote(href) else href
                out.append(Citation(url=url, line=line, column=col, text=anchor))
            elif child.type == "html_inline" and _A_CLOSE.match(child.content):
                depth = max(0, depth - 1)
            elif child.type == "html_inline" and (m := _A_OPEN.match(child.content)):
                depth += 1
                written = next(g for g in m.groups() if g is not None)
                tag_pos = locator.find([child.content], block_start, block_end)
                pos = (tag_pos + m.start(1 if m.group(1) is not None else
                                         2 if m.group(2) is not None else 3)
                       if tag_pos is not None else block_start)
                attrs = {a.group(1).lower(): html.unescape(a.group(2) or a.group(3) or "")
                         for a in _A_ATTR.finditer(child.content)}
                line, col = line_col(pos)
                out.append(Citation(url=html.unescape(written.strip()), line=line, column=col,
                                    text=_inline_anchor(children, i),
                                    version_url=attrs.get("data-versionurl") or None,
                                    version_date=attrs.get("data-versiondate") or None))
            elif child.type == "text" and depth == 0:
                for raw, _, _ in find_bare_urls(child.content):
                    pos = locator.find([raw], block_start, block_end)
                    if pos is None:
                        continue
                    line, col = line_col(pos)
                    out.append(Citation(url=with_scheme(raw), line=line, column=col,
                                        text=_plain(sentence_around(body, pos, pos + len(raw)))))
    return out


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|<[a-z][a-z0-9+.-]*:[^>\s]*>", re.IGNORECASE)


def _plain(sentence: str) -> str:
    """A sentence from Markdown source with link syntax reduced to its words."""
    return " ".join(_MD_LINK.sub(lambda m: m.group(1) or "", sentence).split())


def _inline_anchor(children, open_index: int) -> str:
    parts = []
    for c in children[open_index + 1:]:
        if c.type == "html_inline" and _A_CLOSE.match(c.content):
            break
        if c.type in ("text", "code_inline"):
            parts.append(c.content)
    return " ".join("".join(parts).split())


def _anchor_text(children, open_index: int) -> str:
    parts = []
    for c in children[open_index + 1:]:
        if c.type == "link_close":
            break
        if c.type in ("text", "code_inline") or c.type == "image":
            parts.append(c.content)
    return " ".join("".join(parts).split())
