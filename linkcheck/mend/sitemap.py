"""The intended URL from the site's own sitemap: robots.txt `Sitemap:` lines,
else /sitemap.xml; in a sitemap index, the child sitemaps that name the story's
month (a few at most); every `<loc>` whose slug matches the cited one.

Asked through the archive client (politely, recorded in the snapshot, answered
from the cassette in a replay). Parsed with entities and the network off."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urljoin, urlsplit

from linkcheck.mend.memento import ArchiveClient
from linkcheck.mend.select import Wanted
from linkcheck.model import Candidate

MAX_SITEMAPS = 4  # files read per site
SLUG_MATCH = 0.7
_NS = re.compile(r"^\{[^}]*\}")


def _parse(body: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             recover=True)
    try:
        return etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return None


def _children(node, name: str):
    return [c for c in node if isinstance(c.tag, str) and _NS.sub("", c.tag) == name]


def _text(node, name: str) -> str | None:
    for c in node.iter():
        if isinstance(c.tag, str) and _NS.sub("", c.tag) == name and c.text:
            return c.text.strip()
    return None


def _month_marks(target: date | None) -> tuple[str, ...]:
    if target is None:
        return ()
    y, m = target.year, target.month
    return (f"{y}-{m:02d}", f"{y}/{m:02d}", f"{y}{m:02d}", f"{y}_{m:02d}")


async def sitemap_candidates(client: ArchiveClient, wanted: Wanted) -> list[Candidate]:
    from linkcheck.analysis.textmatch import similarity, slug_text
    from linkcheck.urls.normalise import normalize

    slug = slug_text(wanted.url)
    parts = urlsplit(wanted.url)
    if slug is None or not parts.hostname:
        return []
    base = f"{parts.scheme}://{parts.netloc}"
    gate = client.gate(parts.netloc.lower(), parts.hostname)
    queue: list[str] = []
    robots = await client.get(gate, base + "/robots.txt")
    if robots.status == 200:
        for line in robots.body.decode("utf-8", "replace").splitlines():
            if line.lower().startswith("sitemap:"):
                queue.append(urljoin(base, line.split(":", 1)[1].strip()))
    queue = queue[:MAX_SITEMAPS] or [base + "/sitemap.xml"]
    marks = _month_marks(wanted.target)
    read = 0
    found: dict[str, Candidate] = {}
    while queue and read < MAX_SITEMAPS:
        url = queue.pop(0)
        read += 1
        answer = await client.get(gate, url)
        root = _parse(answer.body) if answer.status == 200 else None
        if root is None:
            continue
        if _NS.sub("", root.tag) == "sitemapindex":
            named = [_text(s, "loc") for s in _children(root, "sitemap")]
            locs = [urljoin(url, loc) for loc in named if loc]
            dated = [loc for loc in locs if any(m in loc for m in marks)]
            queue += (dated or locs[-1:])[: MAX_SITEMAPS - read]
            continue
        for entry in _children(root, "url"):
            loc = _text(entry, "loc")
            loc = urljoin(url, loc) if loc else None
            if not loc or normalize(loc) == normalize(wanted.url):
                continue
            theirs = slug_text(loc)
            alike = similarity(slug, theirs) if theirs else 0.0
            if alike < SLUG_MATCH:
                continue
            when = _text(entry, "publication_date") or _text(entry, "lastmod")
            day = _day(when)
            closeness = 1.0
            if wanted.target is not None and day is not None:
                closeness = 1 / (1 + abs((day - wanted.target).days) / 7)
            words = "same slug" if alike >= 0.99 else f"a similar slug ({alike:.2f} alike)"
            why = f"{words} in the site's sitemap" + (f", dated {day.isoformat()}" if day
                                                      else "")
            found.setdefault(loc, Candidate(url=loc, datetime=when, why=why,
                                            score=round(alike + closeness, 3)))
    return sorted(found.values(), key=lambda c: -c.score)


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
