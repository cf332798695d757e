"""A synthetic newsroom for catalogue tests: article pages on host 1 with a
sitemap index (a gzipped child and a Google News child), an RSS feed, and the
pages they cite spread over the other hosts of a FaultServer.

Article i (0-based) is dated `YEARS[i % len(YEARS)]` and cites:
- http://127.0.0.2:PORT/shared (every article: fetched once per audit),
- `cites` links /page/<i>-<j> on host 2 + (i + j) % (hosts - 1),
- every `dead_every`-th of those is /gone/... (404).
"""

from __future__ import annotations

import asyncio
import gzip
import itertools
from dataclasses import dataclass, field

from tests.support.server import FaultServer

YEARS = (1998, 2008, 2018)
ORIGINAL = "the council voted on the harbour budget after a long debate"
CHANGED = "a different story entirely about football transfers and weather"


@dataclass
class Newsroom:
    server: FaultServer
    articles: int = 12
    cites: int = 4
    dead_every: int = 3
    delay: float = 0.0  # seconds before each cited page answers
    article_delay: float = 0.0  # seconds before each article page answers
    changed: set[str] = field(default_factory=set)  # paths whose text has been rewritten
    gone: set[str] = field(default_factory=set)  # paths that now answer 404
    moved: dict[str, str] = field(default_factory=dict)  # path -> redirect target URL

    def __post_init__(self) -> None:
        self.server.default(self.handle)

    @property
    def hosts(self) -> int:
        return self.server.hosts

    def article_url(self, i: int) -> str:
        return self.server.url(f"/articles/{i}.html", 1)

    def year(self, i: int) -> int:
        return YEARS[i % len(YEARS)]

    def links_of(self, i: int) -> list[str]:
        out = [self.server.url("/shared", 2)]
        for j in range(self.cites):
            host = 2 + (i + j) % (self.hosts - 1)
            kind = "gone" if (i * self.cites + j) % self.dead_every == 0 else "page"
            out.append(self.server.url(f"/{kind}/{i}-{j}", host))
        return out

    def all_links(self) -> set[str]:
        return {u for i in range(self.articles) for u in self.links_of(i)}

    def article_html(self, i: int) -> str:
        links = "".join(f'<p>As <a href="{u}">this source {k}</a> reported on the matter '
                        f'of item {i}.</p>' for k, u in enumerate(self.links_of(i)))
        return (f"<!doctype html><html><head><title>Story {i}</title>"
                f'<meta property="article:published_time" content="{self.year(i)}-06-01">'
                f"</head><body><article><h1>Story {i}</h1>{links}</article></body></html>")

    def sitemap_index(self) -> str:
        parts = "".join(f"<sitemap><loc>{self.server.url(p, 1)}</loc></sitemap>"
                        for p in ("/sitemap-a.xml.gz", "/news.xml"))
        return ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{parts}</sitemapindex>')

    def sitemap(self, indices) -> str:
        urls = "".join(f"<url><loc>{self.article_url(i)}</loc>"
                       f"<lastmod>{self.year(i)}-06-02T10:00:00+00:00</lastmod></url>"
                       for i in indices)
        return ('<?xml version="1.0" encoding="UTF-8"?><urlset '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')

    def news_sitemap(self, indices) -> str:
        urls = "".join(
            f"<url><loc>{self.article_url(i)}</loc><news:news><news:publication>"
            "<news:name>The Test Herald</news:name><news:language>en</news:language>"
            f"</news:publication><news:publication_date>{self.year(i)}-06-01T08:00:00Z"
            f"</news:publication_date><news:title>Story {i}</news:title></news:news></url>"
            for i in indices)
        return ('<?xml version="1.0" encoding="UTF-8"?><urlset '
                'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>')

    def halves(self):
        half = self.articles // 2
        return range(half), range(half, self.articles)

    async def handle(self, req, w) -> None:
        path = req.route_path
        first, second = self.halves()
        if path == "/sitemap.xml":
            return await w.send(200, self.sitemap_index(), content_type="application/xml")
        if path == "/sitemap-a.xml.gz":
            return await w.send(200, gzip.compress(self.sitemap(first).encode()),
                                content_type="application/x-gzip")
        if path == "/news.xml":
            return await w.send(200, self.news_sitemap(second), content_type="application/xml")
        if path.startswith("/articles/"):
            if self.article_delay:
                await asyncio.sleep(self.article_delay)
            i = int(path.rsplit("/", 1)[1].split(".")[0])
            return await w.send(200, self.article_html(i))
        if self.delay:
            await asyncio.sleep(self.delay)
        if path in self.moved:
            return await w.send(301, "", [("Location", self.moved[path])])
        if path.startswith("/gone/") or path in self.gone:
            return await w.send(404, "<html><body><h1>Not found</h1></body></html>")
        text = CHANGED if path in self.changed else ORIGINAL
        words = " ".join(itertools.islice(itertools.cycle(text.split(" ")), 120))
        return await w.send(200, f"<!doctype html><html><head><title>Page {path}</title>"
                                 f"</head><body><article><h1>Page {path}</h1><p>{words}.</p>"
                                 "</article></body></html>")
