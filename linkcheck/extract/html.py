"""Citations in HTML: every <a href> (and <area href>), `cite=` on <blockquote>
and <q>, and URLs written out in the body text, resolved against the document's
<base href>, entities decoded, with the line and column of the URL in the source.

An embedded post (X/Twitter, Instagram, TikTok, Facebook, YouTube) is one
citation of the post itself, not of the links inside its markup (embeds.py).
Each link remembers where on the page it sits (`Citation.region`): page
furniture (navigation, header, footer, asides) or a marked-up article body.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin

from linkcheck.extract.embeds import Embed, embed_in_tag, iframe_post
from linkcheck.extract.text import find_bare_urls, sentence_around
from linkcheck.model import Citation
from linkcheck.urls.parse import LineIndex, scheme_typo, source_spelling, unescape_bare

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "keygen"}
# Text here is not prose: no URL written in it is a citation.
NOT_PROSE = {"script", "style", "code", "pre", "textarea", "title", "head", "noscript",
             "template", "svg", "math", "kbd", "samp", "var", "select", "option", "button"}
IMPLIED_END = {"p", "li", "dt", "dd", "option", "tr", "td", "th"}
FURNITURE_TAGS = {"nav", "header", "footer", "aside"}
FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "menu", "menubar"}
CITE_TAGS = {"blockquote", "q"}
_ATTR = re.compile(r"""([^\s"'<>/=]+)\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'>]+))""")


def tag_attributes(tag: str) -> list[tuple[str, str, int]]:
    """(name, raw value, offset of the value in the tag) for each attribute of a start tag."""
    m = re.match(r"<\s*[^\s>/]+", tag)
    out = []
    for a in _ATTR.finditer(tag, m.end() if m else 0):
        group = 3 if a.group(3) is not None else 4 if a.group(4) is not None else 5
        out.append((a.group(1).lower(), a.group(group), a.start(group)))
    return out


# Class and id words of the site's furniture in pages built of <div>s.
FURNITURE_WORDS = {"nav", "navbar", "navigation", "menu", "footer", "masthead", "breadcrumb",
                   "breadcrumbs", "sidebar", "related", "header"}


def _furniture_class(attrs: dict[str, str]) -> bool:
    words = re.split(r"[\s_-]+", f"{attrs.get('class', '')} {attrs.get('id', '')}".lower())
    return bool(FURNITURE_WORDS.intersection(words))


class _Element:
    __slots__ = ("tag", "furniture", "body", "prose", "embed", "story")

    def __init__(self, tag: str, furniture: bool, body: bool, prose: bool,
                 embed: Embed | None, story: bool = False):
        self.tag, self.furniture, self.body, self.prose, self.embed = (
            tag, furniture, body, prose, embed)
        self.story = story  # [itemprop=articleBody]


class _LinkParser(HTMLParser):
    def __init__(self, text: str, base_url: str | None):
        super().__init__(convert_charrefs=True)
        self.source = text
        self.offsets = LineIndex(text)
        self.base_url = base_url
        self.links: list[dict] = []
        self.has_body = "<body" in text[:200_000].lower()
        self.in_body = not self.has_body
        self._open: list[dict] = []  # <a> elements whose text is being collected
        self._stack: list[_Element] = []

    # -- where things are ------------------------------------------------

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.offsets.starts[line - 1] + col

    def _attr_position(self, name: str) -> tuple[int, int]:
        """Line and column of the value of attribute `name` in the current start tag."""
        line, col = self.getpos()  # start of the tag; col is 0-based
        tag = self.get_starttag_text() or ""
        for attr, _, offset in tag_attributes(tag):
            if attr == name:
                before = tag[:offset]
                newlines = before.count("\n")
                if newlines:
                    return line + newlines, len(before) - before.rfind("\n")
                return line, col + offset + 1
        return line, col + 1

    def _region(self) -> str:
        if any(e.furniture for e in self._stack):
            return "furniture"
        if any(e.body for e in self._stack):
            return "body"
        return ""

    def _embed(self) -> Embed | None:
        return next((e.embed for e in self._stack if e.embed is not None), None)

    # -- the parser's callbacks ------------------------------------------

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "body":
            self.in_body = True
        if tag == "base" and attrs.get("href") and self.base_url is None:
            self.base_url = attrs["href"].strip()
        embed = self._embed()
        if tag in IMPLIED_END and self._stack and self._stack[-1].tag == tag:
            self.handle_endtag(tag)  # <p>one<p>two, <li>a<li>b: the first one ends here
        if tag not in VOID:
            new_embed = None if embed is not None else embed_in_tag(tag, attrs)
            if new_embed is not None:
                line, col = self.getpos()
                new_embed.position = (self._attr_position(new_embed.attr) if new_embed.attr
                                      else (line, col + 1))
            role = attrs.get("role", "").lower()
            story = attrs.get("itemprop", "").lower() == "articlebody"
            # an <article>'s own header, footer and asides (headline, byline, fact box)
            # belong to the story; the site's navigation never does
            in_story = any(e.tag == "article" or e.story for e in self._stack)
            furniture = tag == "nav" or role in FURNITURE_ROLES or (
                (tag in FURNITURE_TAGS or _furniture_class(attrs)) and not in_story)
            self._stack.append(_Element(
                tag, furniture, tag in ("article", "main") or story or role == "main",
                tag not in NOT_PROSE, new_embed, story))
        if tag == "iframe" and embed is None and (post := iframe_post(attrs.get("src", ""))):
            line, col = self._attr_position("src")
            self._add(post[1], line, col, "", embed=post[0], origin="embed")
            return
        if tag in ("a", "area") and attrs.get("href") is not None:
            line, col = self._attr_position("href")
            link = self._add(attrs["href"].strip(), line, col,
                             attrs.get("title") or "" if tag == "area" else "")
            # Robust Links: the archived copy the draft already gives
            link["version"] = (attrs.get("data-versionurl"), attrs.get("data-versiondate"))
            if embed is not None:
                self.links.pop()
                embed.links.append(link)
            if tag == "a":
                self._open.append(link)
        elif tag in CITE_TAGS and attrs.get("cite", "").strip() and self._embed() is None:
            line, col = self._attr_position("cite")
            self._add(attrs["cite"].strip(), line, col, "", origin="cite")
        elif tag == "img" and self._open and attrs.get("alt"):
            self._open[-1]["text"].append(attrs["alt"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            self._open.pop()
        if not any(e.tag == tag for e in self._stack):
            return  # a stray end tag
        while self._stack:
            element = self._stack.pop()
            if element.embed is not None:
                self._close_embed(element.embed)
            if element.tag == tag:
                break

    def handle_data(self, data):
        if self._open:
            self._open[-1]["text"].append(data)
        embed = self._embed()
        if embed is not None:
            embed.text.append(data)
            return
        if self._open or not self.in_body or not all(e.prose for e in self._stack):
            return
        if "://" not in data and "www." not in data.lower():
            return
        start = self._offset()
        for raw, _, _ in find_bare_urls(data):
            at = self.source.find(raw, start)
            if at != -1 and "&" not in self.source[start:at]:
                where = (at, at + len(raw))  # written as is (the usual case)
            elif m := source_spelling(raw).search(self.source, start):
                where = m.span()
            else:
                continue
            start = where[1]
            line, col = self.offsets(where[0])
            self._add(unescape_bare(raw), line, col,
                      sentence_around(data, data.find(raw), data.find(raw) + len(raw)),
                      bare=True, origin="text")

    def close(self):
        super().close()
        while self._stack:  # an embed left open at the end of a fragment
            element = self._stack.pop()
            if element.embed is not None:
                self._close_embed(element.embed)

    # -- links -------------------------------------------------------------

    def _add(self, href: str, line: int, col: int, text: str, *, embed: str | None = None,
             bare: bool = False, origin: str = "href") -> dict:
        link = {"href": href, "line": line, "column": col, "text": [text] if text else [],
                "region": self._region(), "embed": embed, "bare": bare, "origin": origin}
        self.links.append(link)
        return link

    def _close_embed(self, embed: Embed) -> None:
        found = embed.canonical()
        if found is None:  # not recognisably a post: its links are the writer's own
            self.links.extend(embed.links)
            return
        url, (line, col) = found
        words = " ".join("".join(embed.text).split())
        self.links.append({"href": url, "line": line, "column": col,
                           "text": [words[:300]], "region": self._region(),
                           "embed": embed.kind, "bare": False, "origin": "embed"})


def extract_html(text: str, base_url: str | None = None) -> list[Citation]:
    parser = _LinkParser(text, base_url)
    parser.feed(text)
    parser.close()
    out = []
    for link in parser.links:
        href = link["href"]
        url = href
        if not href:
            url = "#"  # href="" is the page itself, not a citation
        elif parser.base_url and not href.startswith("#") and not link["bare"] \
                and scheme_typo(href) is None:
            try:
                url = urljoin(parser.base_url, href)
            except ValueError:  # a malformed base or href: reported as malformed-url
                url = href
        anchor = " ".join("".join(link["text"]).split())
        version_url, version_date = link.get("version") or (None, None)
        out.append(Citation(url=url, line=link["line"], column=link["column"], text=anchor,
                            embed=link["embed"], region=link["region"],
                            origin=link["origin"], version_url=version_url or None,
                            version_date=version_date or None))
    return out


class _BaseParser(HTMLParser):
    """Only the first <base href>: what _LinkParser takes as the base, without
    its link, embed and bare-URL work (the article is extracted again later)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base_url: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "base" and self.base_url is None:
            href = dict(attrs).get("href")
            if href:
                self.base_url = href.strip()


def html_base(text: str) -> str | None:
    parser = _BaseParser()
    parser.feed(text)
    return parser.base_url
