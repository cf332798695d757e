"""Citations in HTML: every <a href> (and <area href>), resolved against the
document's <base href>, entities decoded, with the line and column of the
href value in the source."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin

from linkcheck.model import Citation

_HREF_ATTR = re.compile(r"""\bhref\s*=\s*(["']?)""", re.IGNORECASE)


class _LinkParser(HTMLParser):
    def __init__(self, base_url: str | None):
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.links: list[dict] = []
        self._open: list[dict] = []  # <a> elements whose text is being collected

    def _href_position(self) -> tuple[int, int]:
        line, col = self.getpos()  # start of the tag; col is 0-based
        tag = self.get_starttag_text() or ""
        m = _HREF_ATTR.search(tag)
        if not m:
            return line, col + 1
        before = tag[: m.end()]
        newlines = before.count("\n")
        if newlines:
            return line + newlines, len(before) - before.rfind("\n")
        return line, col + len(before) + 1

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "base" and attrs.get("href") and self.base_url is None:
            self.base_url = attrs["href"].strip()
        elif tag in ("a", "area") and attrs.get("href") is not None:
            line, col = self._href_position()
            link = {"href": attrs["href"].strip(), "line": line, "column": col,
                    "text": [attrs.get("title") or ""] if tag == "area" else [],
                    "version": (attrs.get("data-versionurl"), attrs.get("data-versiondate"))}
            self.links.append(link)
            if tag == "a":
                self._open.append(link)
        elif tag == "img" and self._open and attrs.get("alt"):
            self._open[-1]["text"].append(attrs["alt"])

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            self._open.pop()

    def handle_data(self, data):
        if self._open:
            self._open[-1]["text"].append(data)


def extract_html(text: str, base_url: str | None = None) -> list[Citation]:
    parser = _LinkParser(base_url)
    parser.feed(text)
    parser.close()
    out = []
    for link in parser.links:
        href = link["href"]
        url = href
        if not href:
            url = "#"  # href="" is the page itself, not a citation
        elif parser.base_url and not href.startswith("#"):
            try:
                url = urljoin(parser.base_url, href)
            except ValueError:  # a malformed base or href: reported as malformed-url
                url = href
        anchor = " ".join("".join(link["text"]).split())
        version_url, version_date = link["version"]
        out.append(Citation(url=url, line=link["line"], column=link["column"], text=anchor,
                            version_url=version_url or None, version_date=version_date or None))
    return out


def html_base(text: str) -> str | None:
    parser = _LinkParser(None)
    parser.feed(text)
    return parser.base_url
