"""Where a catalogue's articles come from: sitemaps (indexes, Google News
sitemaps with their publication dates), RSS and Atom feeds, folders of drafts,
and text or CSV lists of article URLs (with an optional date column).

Sitemaps are read with lxml's iterparse and each element dropped once read,
and an index's child sitemaps are read one at a time, so a million-URL index
is never in memory at once: entries are yielded as they are parsed. A remote
sitemap or feed is fetched by `fetch`, which the caller builds on the guarded
resolver.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import IO

from linkcheck.catalogue.store import Entry
from linkcheck.errors import InputError
from linkcheck.inputs.dates import parse_date
from linkcheck.inputs.files import KINDS, is_url

Fetch = Callable[[str], bytes]
MAX_DEPTH = 3  # sitemap index -> index -> sitemap
MAX_UNZIPPED = 200 * 1024 * 1024  # a gzipped sitemap is 50 MB at most, uncompressed
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
_DATE_COLUMNS = ("published", "date", "publication_date", "pubdate", "published_at")
_URL_COLUMNS = ("url", "loc", "link", "article", "article_url")


def entries(source: str, fetch: Fetch) -> Iterator[Entry]:
    """The articles a source names, streamed."""
    if is_url(source):
        yield from _remote(source, fetch)
        return
    path = Path(source)
    if path.is_dir():
        root = path
        for f in sorted(p for p in root.rglob("*") if p.is_file()
                        and p.suffix.lower() in KINDS
                        and not any(part.startswith(".") for part in p.relative_to(root).parts)):
            yield Entry(url=str(f), source=source)
        return
    if not path.is_file():
        raise InputError(f"{source}: no such file or directory")
    with _open_local(path) as stream:
        head = stream.peek(4096)[:4096] if hasattr(stream, "peek") else b""
        kind = sniff(head, path.name)
        if kind == "sitemap":
            yield from _sitemap(stream, source, fetch, depth=0, seen={source})
        elif kind == "feed":
            yield from _feed(stream.read(), source)
        elif kind == "list":
            yield from _url_list(io.TextIOWrapper(stream, encoding="utf-8-sig",
                                                  errors="replace"), source)
        elif path.suffix.lower() in KINDS:
            yield Entry(url=str(path), source=source)
        else:
            raise InputError(f"{source}: not a sitemap, feed, URL list or article")


def _open_local(path: Path) -> IO[bytes]:
    try:
        raw = open(path, "rb")  # noqa: SIM115 - returned to a with block
        if raw.peek(2)[:2] == b"\x1f\x8b":
            return io.BufferedReader(gzip.GzipFile(fileobj=raw))  # type: ignore[arg-type]
        return raw
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None


def sniff(head: bytes, name: str = "") -> str | None:
    """sitemap | feed | list | None (an article, or nothing we know)."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<"):
        if re.search(rb"<(?:\w+:)?(urlset|sitemapindex)\b", text):
            return "sitemap"
        if re.search(rb"<(?:\w+:)?(rss|feed|rdf:rdf)\b", text):
            return "feed"
        return None
    lines = [line.strip() for line in text.decode("utf-8", "replace").splitlines()[:20]]
    lines = [line for line in lines if line and not line.startswith("#")]
    if lines and name.lower().endswith((".csv", ".tsv")):
        return "list"
    if lines and all(re.match(r"^\"?(https?://\S+|url\b|loc\b|link\b)", line)
                     for line in lines[:-1] or lines):
        return "list"  # a partial last line in the sample is fine
    return None


def _remote(url: str, fetch: Fetch) -> Iterator[Entry]:
    body = _gunzip(fetch(url))
    kind = sniff(body[:4096], url)
    if kind == "sitemap":
        yield from _sitemap(io.BytesIO(body), url, fetch, depth=0, seen={url})
    elif kind == "feed":
        yield from _feed(body, url)
    elif kind == "list":
        yield from _url_list(io.StringIO(body.decode("utf-8-sig", "replace")), url)
    else:  # a page: the article itself
        yield Entry(url=url, source=url)


def _gunzip(body: bytes) -> bytes:
    if body[:2] != b"\x1f\x8b":
        return body
    with gzip.GzipFile(fileobj=io.BytesIO(body)) as z:
        data = z.read(MAX_UNZIPPED + 1)
    if len(data) > MAX_UNZIPPED:
        raise InputError(f"a gzipped sitemap unpacks to more than {MAX_UNZIPPED} bytes")
    return data


def _sitemap(stream: IO[bytes], source: str, fetch: Fetch, depth: int,
             seen: set[str]) -> Iterator[Entry]:
    from lxml import etree

    children: list[str] = []
    parser = etree.iterparse(stream, events=("end",), tag=("{*}url", "{*}sitemap"),
                             resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        for _, elem in parser:
            fields = _fields(elem)
            if elem.tag.endswith("sitemap"):
                if fields.get("loc"):
                    children.append(fields["loc"])
            elif entry := _url_entry(fields, source):
                yield entry
            elem.clear()  # drop what was read: memory stays flat
            while elem.getprevious() is not None:
                del elem.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{source}: not a well-formed sitemap ({exc})") from None
    for child in children:
        if child in seen:
            continue
        if depth + 1 > MAX_DEPTH:
            raise InputError(f"{child}: sitemap indexes nested more than {MAX_DEPTH} deep")
        seen.add(child)
        if not is_url(child):
            raise InputError(f"{source}: child sitemap {child!r} is not an http(s) URL")
        yield from _sitemap(io.BytesIO(_gunzip(fetch(child))), child, fetch, depth + 1, seen)


_WANTED = {"loc": "loc", "lastmod": "lastmod", f"{{{NEWS_NS}}}publication_date": "news_date",
           f"{{{NEWS_NS}}}title": "news_title"}


def _fields(elem) -> dict[str, str]:
    """loc, lastmod and the Google News date and title of a <url> or <sitemap>."""
    out: dict[str, str] = {}
    for child in elem.iter():
        tag = child.tag
        if not isinstance(tag, str) or child.text is None:
            continue
        key = _WANTED.get(tag) or _WANTED.get(tag.rpartition("}")[2]
                                              if not tag.startswith("{" + NEWS_NS) else "")
        if key and key not in out:
            out[key] = child.text.strip()
    return out


def _url_entry(fields: dict[str, str], source: str) -> Entry | None:
    loc = fields.get("loc")
    if not loc or not loc[:8].lower().startswith(("http://", "https://")):
        return None
    title = fields.get("news_title")
    if (news_date := fields.get("news_date")) and (d := parse_date(news_date, strict=False)):
        return Entry(loc, d, "news:publication_date", title, source)
    if (lastmod := fields.get("lastmod")) and (d := parse_date(lastmod, strict=False)):
        return Entry(loc, d, "sitemap:lastmod", title, source)
    return Entry(loc, None, None, title, source)


def _feed(body: bytes, source: str) -> Iterator[Entry]:
    import feedparser

    feed = feedparser.parse(body, resolve_relative_uris=False, sanitize_html=False)
    if not feed.entries and feed.get("bozo"):
        raise InputError(f"{source}: not a readable feed ({feed.get('bozo_exception')})")
    for item in feed.entries:
        link = item.get("link")
        if not link or not is_url(link):
            continue
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        published = date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None
        yield Entry(link, published, "feed" if published else None, item.get("title"), source)


def _url_list(text: IO[str], source: str) -> Iterator[Entry]:
    """One URL a line, or CSV with a url column and an optional date column."""
    first = text.readline()
    if not first:
        return
    delimiter = "\t" if "\t" in first else ","
    cells = next(csv.reader([first], delimiter=delimiter))
    header = [c.strip().lower() for c in cells]
    if any(h in _URL_COLUMNS for h in header):
        url_col = next(i for i, h in enumerate(header) if h in _URL_COLUMNS)
        date_col = next((i for i, h in enumerate(header) if h in _DATE_COLUMNS), None)
        rows = csv.reader(text, delimiter=delimiter)
    else:
        url_col, date_col = 0, 1
        rows = csv.reader(_chain(first, text), delimiter=delimiter)
    for number, row in enumerate(rows, start=2):
        if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
            continue
        url = row[url_col].strip() if url_col < len(row) else ""
        if not is_url(url):
            raise InputError(f"{source}:{number}: not an http(s) URL: {url[:80]!r}")
        published = None
        if date_col is not None and date_col < len(row) and row[date_col].strip():
            published = parse_date(row[date_col].strip(), strict=False)
            if published is None:
                raise InputError(f"{source}:{number}: not a date: {row[date_col].strip()!r}")
        yield Entry(url, published, "list" if published else None, None, source)


def _chain(first: str, rest: IO[str]) -> Iterator[str]:
    yield first
    yield from rest
