"""Where a citation is written in its draft, and how an edit looks in the
draft's own syntax: the URL replaced in place, and an archived copy added as
Robust Links attributes (HTML, and Markdown as inline HTML), as an
"([archived](URI-M))" link after a Markdown link, or in brackets after a URL
in plain text. Every function works on one span; nothing is searched for
elsewhere in the draft, so the same URL in a code block or a quotation stays."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

ROBUST_ATTRS = ("data-originalurl", "data-versionurl", "data-versiondate")
TEXT_MARK = " [archived: "
LINK_MARK = " ([archived]("


class NotEditable(Exception):
    """This citation cannot be edited safely where it is written; the reason says why."""


@dataclass(frozen=True)
class Span:
    start: int  # offsets in the article text
    end: int
    written: str  # the URL as written there


def url_span(text: str, offset: int, url: str, kind: str) -> Span:
    """The URL as written at `offset` (a citation's line and column)."""
    if kind == "html" and offset > 0 and text[offset - 1] in "\"'":
        quote = text[offset - 1]
        end = text.find(quote, offset)
        if end == -1:
            raise NotEditable("unterminated href attribute")
        return Span(offset, end, text[offset:end])
    if kind == "html":
        end = offset
        while end < len(text) and not text[end].isspace() and text[end] != ">":
            end += 1
        return Span(offset, end, text[offset:end])
    spellings = [url, html.escape(url, quote=False)]
    if url.startswith("https://www."):
        spellings.append(url[len("https://"):])
    for spelling in dict.fromkeys(spellings):
        if text.startswith(spelling, offset):
            return Span(offset, offset + len(spelling), spelling)
    raise NotEditable("the URL is not written as it was read (an escaped or reference form)")


def robust_attrs(href: str, memento: str, day: str) -> str:
    q = lambda v: html.escape(v, quote=True)  # noqa: E731
    return (f'data-originalurl="{q(href)}" data-versionurl="{q(memento)}" '
            f'data-versiondate="{q(day)}"')


def start_tag(text: str, span: Span) -> tuple[int, int]:
    """(start, end) of the HTML start tag holding the href at `span` (end: at its '>')."""
    start = text.rfind("<", 0, span.start)
    i, quote = span.end + 1, None
    while i < len(text):
        ch = text[i]
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == ">":
            return start, i
        i += 1
    raise NotEditable("unterminated tag")


def html_edit(text: str, span: Span, new_url: str | None,
              copy: tuple[str, str] | None, original: str | None = None
              ) -> list[tuple[int, int, str]]:
    """Replacements for an <a href> (HTML, or raw HTML in Markdown). `original`: the
    link's absolute URL (a relative href resolved against the page's base)."""
    out = []
    href = new_url or original or html.unescape(span.written)
    if new_url is not None:
        out.append((span.start, span.end, html.escape(new_url, quote=True)))
    if copy is not None:
        start, end = start_tag(text, span)
        tag = text[start:end]
        if "data-versionurl" in tag.lower():
            return out
        at = end - 1 if text[end - 1] == "/" else end
        pad = "" if text[at - 1].isspace() else " "
        out.append((at, at, pad + robust_attrs(href, *copy)))
    return out


def text_edit(text: str, span: Span, new_url: str | None,
              copy: tuple[str, str] | None) -> list[tuple[int, int, str]]:
    out = []
    if new_url is not None:
        out.append((span.start, span.end, new_url))
    if copy is not None and not text.startswith(TEXT_MARK, span.end):
        out.append((span.end, span.end, f"{TEXT_MARK}{copy[0]}]"))
    return out


def _inline_link(text: str, span: Span) -> tuple[int, int, str, str] | None:
    """For [anchor](URL "title"): (start, end, anchor, title) of the whole link."""
    open_paren = span.start - 1
    if open_paren >= 0 and text[open_paren] == "<":
        open_paren -= 1
    if open_paren < 1 or text[open_paren] != "(" or text[open_paren - 1] != "]":
        return None
    depth, i = 0, open_paren - 1
    while i >= 0:
        ch = text[i]
        if ch == "]" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif ch == "[" and (i == 0 or text[i - 1] != "\\"):
            depth -= 1
            if depth == 0:
                break
        elif ch == "\n" and text[i - 1:i] == "\n":
            return None  # a blank line: no link spans it
        i -= 1
    if i < 0 or (i > 0 and text[i - 1] == "!"):
        return None  # not found, or an image
    m = re.compile(r">?\s*(?:\"([^\"]*)\"|'([^']*)')?\s*\)").match(text, span.end)
    if not m:
        return None
    return i, m.end(), text[i + 1:open_paren - 1], m.group(1) or m.group(2) or ""


def markdown_edit(text: str, span: Span, new_url: str | None,
                  copy: tuple[str, str] | None, style: str) -> list[tuple[int, int, str]]:
    before = text[max(0, span.start - 7):span.start].lower()
    if re.search(r"href\s*=\s*[\"']?$", before):  # raw HTML already
        return html_edit(text, span, new_url, copy)
    url = new_url or span.written
    para_start = text.rfind("\n\n", 0, span.start)
    if text.count("`", para_start + 1, span.start) % 2:
        raise NotEditable("the position given is inside a code span")
    line_start = text.rfind("\n", 0, span.start) + 1
    if copy is not None and re.fullmatch(r"\s{0,3}\[[^\]]+\]:\s*<?", text[line_start:span.start]):
        raise NotEditable("a reference definition: add the archived copy where the link is "
                          "used, by hand")
    link = _inline_link(text, span)
    autolink = span.start > 0 and text[span.start - 1] == "<" and text.startswith(">", span.end)
    if copy is None or style == "link":
        out = [(span.start, span.end, url)] if new_url is not None else []
        if copy is not None:
            end = link[1] if link else (span.end + 1 if autolink else span.end)
            if not text.startswith(LINK_MARK, end):
                out.append((end, end, f"{LINK_MARK}{copy[0]}))"))
        return out
    attrs = robust_attrs(url, *copy)
    q = html.escape(url, quote=True)
    if link:
        start, end, anchor, title = link
        title_attr = f' title="{html.escape(title, quote=True)}"' if title else ""
        return [(start, end, f'<a href="{q}"{title_attr} {attrs}>{anchor}</a>')]
    if autolink:
        return [(span.start - 1, span.end + 1, f'<a href="{q}" {attrs}>{html.escape(url)}</a>')]
    return [(span.start, span.end, f'<a href="{q}" {attrs}>{html.escape(url)}</a>')]
