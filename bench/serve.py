"""A latency-injecting server for the benchmark, in its own process so its CPU
does not compete with the client's. Prints its port, then serves until stdin
closes or --lifetime seconds pass (it always stops by itself).

Commands on stdin, one a line: `stats` prints one JSON line (requests seen,
monotonic time of the first, most in flight at one host and in all), `clear`
forgets them."""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.server import FaultServer, respond  # noqa: E402

PAGE = ("<!doctype html><html><head><title>Benchmark page</title></head><body><article>"
        "<h1>Benchmark page</h1><p>" + "Some text. " * 40 + "</p></article></body></html>")


def realistic_page(size: int = 47_000) -> str:
    """A news page of about `size` bytes: Open Graph and JSON-LD metadata, a
    dated byline, navigation and a long article body, as real pages carry."""
    head = ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>Ministers meet over the border dispute | Example Daily</title>"
            '<meta property="og:title" content="Ministers meet over the border dispute">'
            '<meta property="og:site_name" content="Example Daily">'
            '<meta property="og:type" content="article">'
            '<meta property="article:published_time" content="2021-12-16T09:30:00Z">'
            '<meta name="author" content="A. Reporter">'
            '<link rel="canonical" href="https://daily.example-news.org/world/ministers">'
            '<script type="application/ld+json">{"@context": "https://schema.org", '
            '"@type": "NewsArticle", "headline": "Ministers meet over the border dispute", '
            '"datePublished": "2021-12-16T09:30:00Z", "author": {"@type": "Person", '
            '"name": "A. Reporter"}, "publisher": {"@type": "Organization", '
            '"name": "Example Daily"}}</script>'
            "<style>" + "body{font:16px/1.5 serif}.nav a{margin:0 4px}" * 40 + "</style>"
            "</head><body>")
    nav = '<nav class="nav">' + "".join(f'<a href="/section/{i}">Section {i}</a>'
                                        for i in range(60)) + "</nav>"
    para = ("<p>Foreign ministers met on Thursday to discuss the dispute, officials said, "
            "adding that talks would continue next week in the capital. The meeting "
            "followed weeks of tension along the border and warnings from both sides.</p>")
    body = ['<article><h1>Ministers meet over the border dispute</h1>'
            '<time datetime="2021-12-16">16 December 2021</time>']
    page = head + nav + "".join(body)
    while len(page) < size - 200:
        page += para
    return page + "</article><footer>© Example Daily</footer></body></html>"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.05)
    parser.add_argument("--lifetime", type=float, default=900)
    parser.add_argument("--page", choices=("small", "realistic"), default="small")
    args = parser.parse_args()
    page = PAGE if args.page == "small" else realistic_page()
    with FaultServer(hosts=args.hosts) as srv:
        # LinkChecker throttles each host unless the server names it in a header.
        srv.default(respond(200, page, delay=args.delay, headers={"LinkChecker": "benchmark"},
                            content_type="text/html; charset=utf-8"))
        print(srv.port, flush=True)
        done = threading.Event()

        def commands() -> None:
            for line in sys.stdin:
                if line.strip() == "stats":
                    hits = list(srv.hits)
                    print(json.dumps({"requests": len(hits),
                                      "first": min((h.time for h in hits), default=None),
                                      "max_per_host": max(srv.max_in_flight.values()),
                                      "max_total": srv.max_in_flight_total}), flush=True)
                elif line.strip() == "clear":
                    srv.clear()
            done.set()

        threading.Thread(target=commands, daemon=True).start()
        deadline = time.monotonic() + args.lifetime
        while not done.is_set() and time.monotonic() < deadline:
            done.wait(0.5)


if __name__ == "__main__":
    main()
