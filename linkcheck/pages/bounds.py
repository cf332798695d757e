"""How much of a fetched page analysis reads, so one hostile page (50 MB of
one-line HTML behind a 150 KB gzip) costs a bounded amount of memory and
CPU, whatever the body cap lets through.

Page analysis (charset, lxml, htmldate, trafilatura) reads at most
ANALYSIS_BYTES of a body, and at most MAX_ELEMENTS tags of it: a parse tree
costs hundreds of bytes a node, so a page of tiny tags is cut by count, not by
size. Titles, dates and metadata live at the top of a page; a page cut here
keeps them.
"""

from __future__ import annotations

ANALYSIS_BYTES = 2 * 1024 * 1024
MAX_ELEMENTS = 25_000


def analysable_bytes(body: bytes) -> bytes:
    """The start of a body that page analysis may read."""
    return _cut_at_element(body[:ANALYSIS_BYTES], b"<")


def analysable_markup(html: str) -> str:
    """The start of an HTML text that the parser may read."""
    return _cut_at_element(html[:ANALYSIS_BYTES], "<")


def _cut_at_element(data, tag_open):
    """data up to its MAX_ELEMENTS-th tag (tags counted by their "<")."""
    if data.count(tag_open) <= MAX_ELEMENTS:
        return data
    pos = -1
    for _ in range(MAX_ELEMENTS):
        pos = data.find(tag_open, pos + 1)
    return data[:pos]
