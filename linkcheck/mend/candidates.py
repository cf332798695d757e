"""Where the writer's intended URL may be: the same headline slug on the same
site, found in an archive's capture index (the CDX API of the Wayback Machine
and of pywb: a prefix query on the site, bounded to weeks around the story);
the site's own sitemap is read by sitemap.py.

A dated URL (/2025/03/28/slug) is looked for under the story's own month
(/2021/12/), which is where a mistyped date usually came from; other URLs
under the site's whole host. Each capture found is ranked by how alike its slug
is, how close its capture is to the story date, and, when its captured page's
title can be read, whether it matches the citation's headline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode, urlsplit

from linkcheck.mend.archives import Archive
from linkcheck.mend.check import TITLE_MATCH, check_capture
from linkcheck.mend.memento import ArchiveClient, fetch_memento, from_timestamp
from linkcheck.mend.select import Wanted
from linkcheck.model import Candidate

WINDOW_DAYS = 31
CDX_LIMIT = 500
SLUG_MATCH = 0.7
MAX_TITLE_CHECKS = 3


def cdx_query(archive: Archive, url: str, target: date | None) -> str | None:
    """The CDX query URL for captures that may be `url` under another address."""
    if not archive.cdx:
        return None
    from linkcheck.urls.dates import url_date

    parts = urlsplit(url)
    host = parts.netloc
    prefix = host + "/"
    found = url_date(url)
    if found is not None and target is not None:
        before = parts.path[: parts.path.find(found.text)] if found.text in parts.path else "/"
        prefix = f"{host}{before}{target.year:04d}/{target.month:02d}/"
        if "/" not in found.text:  # a compact date (20211217): only the folder before it
            prefix = f"{host}{before}"
    # no `fl`: the Wayback and pywb name the fields differently (original/url,
    # statuscode/status); both accept `statuscode` in a filter
    params = {"url": prefix, "matchType": "prefix", "output": "json",
              "filter": "statuscode:200", "limit": str(CDX_LIMIT)}
    if target is not None:
        params["from"] = (target - timedelta(days=WINDOW_DAYS)).strftime("%Y%m%d")
        params["to"] = (target + timedelta(days=WINDOW_DAYS)).strftime("%Y%m%d")
    return archive.cdx + "?" + urlencode(params)


def parse_cdx(body: bytes) -> list[dict[str, str]]:
    """Both JSON shapes: the Wayback's array of arrays (header row first) and
    pywb's one JSON object a line."""
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return []
    rows: list[dict[str, str]] = []
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, list) and data and isinstance(data[0], list):
        head = data[0]
        rows = [dict(zip(head, (str(v) for v in row), strict=False)) for row in data[1:]]
    elif isinstance(data, dict):
        rows = [{k: str(v) for k, v in data.items()}]
    else:
        for line in text.splitlines():
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if isinstance(item, dict):
                rows.append({k: str(v) for k, v in item.items()})
    for row in rows:  # pywb's names to the Wayback's
        if "original" not in row and "url" in row:
            row["original"] = row["url"]
        if "statuscode" not in row and "status" in row:
            row["statuscode"] = row["status"]
    return rows


def _same_page(a: str, b: str) -> bool:
    from linkcheck.urls.normalise import normalize

    return normalize(a) == normalize(b)


async def find_candidates(client: ArchiveClient, archive: Archive,
                          wanted: Wanted) -> list[Candidate]:
    from linkcheck.analysis.textmatch import similarity, slug_text

    slug = slug_text(wanted.url)
    query = cdx_query(archive, wanted.url, wanted.target)
    if slug is None or query is None:
        return []
    gate = client.gate(archive.host, archive.name)
    answer = await client.get(gate, query)
    if answer.status != 200:
        return []
    found: dict[str, _Seen] = {}
    for row in parse_cdx(answer.body):
        original = row.get("original", "")
        if not original or _same_page(original, wanted.url) or row.get("statuscode", "200") \
                not in ("200", "-"):
            continue
        theirs = slug_text(original)
        alike = similarity(slug, theirs) if theirs else 0.0
        when = from_timestamp(row.get("timestamp", ""))
        if alike < SLUG_MATCH or when is None:
            continue
        closeness = 1.0
        if wanted.target is not None:
            closeness = 1 / (1 + abs((when.date() - wanted.target).days) / 7)
        key = original.split("#")[0]
        # per URL, the capture closest to the story date
        if key not in found or closeness > found[key].closeness:
            found[key] = _Seen(alike + closeness, closeness, alike, row["timestamp"], when)
    ranked = sorted(found.items(), key=lambda kv: -kv[1].score)
    out: list[Candidate] = []
    for i, (url, seen) in enumerate(ranked[:10]):
        score = seen.score
        memento = _memento_url(archive, seen.timestamp, url)
        slug_words = ("same slug" if seen.alike >= 0.99
                      else f"a similar slug ({seen.alike:.2f} alike)")
        why = [f"{slug_words} in the {archive.name} capture index",
               f"captured {seen.when.date().isoformat()}"]
        title_match = False
        if i < MAX_TITLE_CHECKS and wanted.headline and memento:
            chain = await fetch_memento(client, gate, memento)
            verdict = check_capture(chain, url, wanted.headline, wanted.headline_source)
            if verdict.title_match:
                title_match = True
                score += 1.0
                why.append(f"title matches the {wanted.headline_source or 'citation'}")
            elif verdict.title and verdict.title_match is False:
                score -= 0.5
                why.append(f"but its title {verdict.title!r} does not match the "
                           f"{wanted.headline_source or 'citation'}")
        out.append(Candidate(url=url, datetime=seen.when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                             why=", ".join(why), score=round(score, 3), memento=memento,
                             title_match=title_match))
    out.sort(key=lambda c: -c.score)
    return out


@dataclass(frozen=True)
class _Seen:
    score: float
    closeness: float
    alike: float
    timestamp: str
    when: datetime


def _memento_url(archive: Archive, timestamp: str, url: str) -> str | None:
    if archive.timegate and archive.timegate.endswith("/{url}") and (
            "timegate/" not in archive.timegate):
        return archive.timegate[: -len("{url}")] + f"{timestamp}/{url}"
    return None


__all__ = ["TITLE_MATCH", "cdx_query", "find_candidates", "parse_cdx"]
