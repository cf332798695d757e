"""`linkcheck catalogue report`: the state of the whole catalogue.

- the rot curve: the share of dead deep links (a URL with a path beyond the
  site's root) by year of the citing article's publication, counted over
  (article, link) pairs as in the New York Times study;
- dead links by site cited (registrable domain);
- the articles with the most dead links, each dead link with its snapshot;
- in JSON, every link with its latest check and the articles citing it,
  written as a stream (a catalogue's links are never all in memory).

A link is dead here when its latest check failed (broken or error); the
monitor's stricter verdict (three failures days apart) is counted apart.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TextIO
from urllib.parse import urlsplit

from linkcheck.catalogue.store import Store, now_iso

DEAD = "('broken', 'error')"
LATEST = "(SELECT link_id, MAX(id) AS id FROM checks GROUP BY link_id)"
LATEST_CHECKS = f"(SELECT c.* FROM checks c JOIN {LATEST} m ON m.id = c.id)"


def is_deep(url: str) -> int:
    try:
        parts = urlsplit(url)
    except ValueError:
        return 0
    return int(parts.path.strip("/") != "" or bool(parts.query))


@dataclass
class YearRot:
    year: str
    links: int  # deep (article, link) pairs
    dead: int

    @property
    def share(self) -> float:
        return self.dead / self.links if self.links else 0.0


@dataclass
class Summary:
    generated: str
    articles: int
    audited: int
    unreadable: int
    links: int
    checked: int
    dead: int
    confirmed_dead: int  # by the monitor's rule
    articles_with_dead: int  # of articles with deep links
    articles_with_deep: int
    findings: dict[str, int] = field(default_factory=dict)


@dataclass
class Catalogue:
    summary: Summary
    rot_curve: list[YearRot]
    sites: list[dict]
    articles: list[dict]


def gather(store: Store, top: int = 20) -> Catalogue:
    db = store.db
    db.create_function("is_deep", 1, is_deep, deterministic=True)
    count = store.count
    dead_links = f"(SELECT link_id FROM {LATEST_CHECKS} WHERE outcome IN {DEAD})"
    pairs = ("(SELECT DISTINCT ci.article_id, ci.link_id FROM citations ci "
             "JOIN links l ON l.id = ci.link_id WHERE is_deep(l.url))")
    summary = Summary(
        generated=now_iso(),
        articles=count("SELECT COUNT(*) FROM articles"),
        audited=count("SELECT COUNT(*) FROM articles WHERE audited_at IS NOT NULL"),
        unreadable=count("SELECT COUNT(*) FROM articles WHERE error IS NOT NULL"),
        links=count("SELECT COUNT(*) FROM links"),
        checked=count("SELECT COUNT(DISTINCT link_id) FROM checks"),
        dead=count(f"SELECT COUNT(*) FROM {dead_links}"),
        confirmed_dead=count("SELECT COUNT(*) FROM link_state WHERE state = 'dead'"),
        articles_with_deep=count(f"SELECT COUNT(DISTINCT article_id) FROM {pairs}"),
        articles_with_dead=count(f"SELECT COUNT(DISTINCT p.article_id) FROM {pairs} p "
                                 f"WHERE p.link_id IN {dead_links}"),
        findings=dict(db.execute("SELECT rule, COUNT(*) FROM findings GROUP BY rule "
                                 "ORDER BY COUNT(*) DESC, rule")))
    rot = [YearRot(year, n, dead or 0) for year, n, dead in db.execute(
        f"SELECT substr(a.published, 1, 4) AS year, COUNT(*), "
        f"SUM(p.link_id IN {dead_links}) FROM {pairs} p JOIN articles a ON a.id = p.article_id "
        "WHERE a.published IS NOT NULL GROUP BY year ORDER BY year")]
    sites = [{"site": site, "links": n, "dead": dead} for site, n, dead in db.execute(
        f"SELECT l.domain, COUNT(*), SUM(l.id IN {dead_links}) AS dead FROM links l "
        "GROUP BY l.domain HAVING dead > 0 ORDER BY dead DESC, l.domain LIMIT ?", (top,))]
    articles = []
    for article_id, url, published, n in db.execute(
            f"SELECT a.id, a.url, a.published, COUNT(DISTINCT ci.link_id) AS n FROM articles a "
            f"JOIN citations ci ON ci.article_id = a.id WHERE ci.link_id IN {dead_links} "
            "GROUP BY a.id ORDER BY n DESC, a.url LIMIT ?", (top,)).fetchall():
        dead = [{"url": u, "status": status, "outcome": outcome, "error": error,
                 "snapshot": _snapshot(db, link_id)}
                for link_id, u, outcome, status, error in db.execute(
                    "SELECT DISTINCT l.id, l.url, c.outcome, c.status, c.error FROM citations "
                    f"ci JOIN links l ON l.id = ci.link_id JOIN {LATEST_CHECKS} c "
                    "ON c.link_id = l.id "
                    f"WHERE ci.article_id = ? AND c.outcome IN {DEAD} ORDER BY l.url",
                    (article_id,))]
        articles.append({"url": url, "published": published, "dead": n, "links": dead})
    return Catalogue(summary, rot, sites, articles)


def _snapshot(db, link_id: int) -> dict | None:
    """The latest capture of the link while it answered: its archived copy."""
    row = db.execute("SELECT checked_at, warc, warc_offset, final_url FROM checks WHERE "
                     "link_id = ? AND outcome IN ('ok', 'redirected') AND warc IS NOT NULL "
                     "ORDER BY id DESC LIMIT 1", (link_id,)).fetchone()
    if row is None:
        return None
    return {"checked_at": row[0], "warc": row[1], "offset": row[2], "url": row[3]}


def links(store: Store) -> Iterator[dict]:
    """Every link with its latest check and citing articles, streamed."""
    db = store.db
    last = 0
    while True:
        rows = db.execute(
            "SELECT l.id, l.url, l.normalised, l.domain, l.first_seen, c.checked_at, "
            "c.outcome, c.status, c.final_url, c.page_date, c.title, c.error, c.warc, "
            "c.warc_offset, (SELECT COUNT(*) FROM checks WHERE link_id = l.id), s.state, "
            "(SELECT json_group_array(url) FROM (SELECT DISTINCT a.url FROM citations ci "
            "JOIN articles a ON a.id = ci.article_id WHERE ci.link_id = l.id ORDER BY a.url))"
            f" FROM links l LEFT JOIN {LATEST} m ON m.link_id = l.id LEFT JOIN checks c "
            "ON c.id = m.id LEFT JOIN link_state s ON s.link_id = l.id WHERE l.id > ? "
            "ORDER BY l.id LIMIT 500", (last,)).fetchall()
        if not rows:
            return
        for r in rows:
            latest = None if r[5] is None else {
                "checked_at": r[5], "outcome": r[6], "status": r[7], "final_url": r[8],
                "published": r[9], "title": r[10], "error": r[11],
                "snapshot": {"warc": r[12], "offset": r[13]} if r[12] else None}
            yield {"url": r[1], "normalised": r[2], "site": r[3], "first_seen": r[4],
                   "latest": latest, "checks": r[14], "monitor_state": r[15],
                   "articles": json.loads(r[16])}
        last = rows[-1][0]


def write(store: Store, fmt: str, out: TextIO, top: int = 20) -> None:
    cat = gather(store, top)
    if fmt == "json":
        _write_json(store, cat, out)
    elif fmt == "html":
        from linkcheck.catalogue.report_html import render

        out.write(render(cat))
    else:
        out.write(markdown(cat))


def _write_json(store: Store, cat: Catalogue, out: TextIO) -> None:
    head = {"version": 1, "summary": vars(cat.summary),
            "rot_curve": [{"year": y.year, "links": y.links, "dead": y.dead,
                           "share": round(y.share, 4)} for y in cat.rot_curve],
            "dead_by_site": cat.sites, "articles_most_dead": cat.articles}
    text = json.dumps(head, indent=1, ensure_ascii=False)
    out.write(text[:-2] + ',\n "links": [')  # the links follow, one at a time
    for i, link in enumerate(links(store)):
        out.write(("," if i else "") + "\n  " + json.dumps(link, ensure_ascii=False))
    out.write("\n ]\n}\n")


def markdown(cat: Catalogue) -> str:
    s = cat.summary
    lines = ["# Catalogue report", "",
             f"{s.articles} articles ({s.audited} audited, {s.unreadable} unreadable), "
             f"{s.links} distinct links ({s.checked} checked). **{s.dead} links dead** at "
             f"their latest check ({s.confirmed_dead} confirmed by the monitor). "
             f"{s.articles_with_dead} of {s.articles_with_deep} articles with deep links "
             f"cite at least one dead link.", "", "## Rot curve", "",
             "| year | deep links | dead | share |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| {y.year} | {y.links} | {y.dead} | {y.share:.0%} |" for y in cat.rot_curve]
    lines += ["", "## Dead links by site", "", "| site | links | dead |", "| --- | ---: | ---: |"]
    lines += [f"| {x['site']} | {x['links']} | {x['dead']} |" for x in cat.sites]
    lines += ["", "## Articles with the most dead links", ""]
    for a in cat.articles:
        lines.append(f"- {a['url']} ({a['published'] or 'undated'}): {a['dead']} dead")
        for link in a["links"]:
            snap = link["snapshot"]
            where = f"; snapshot {snap['warc']} ({snap['checked_at'][:10]})" if snap else ""
            lines.append(f"  - <{link['url']}> {link['status'] or link['outcome']}{where}")
    if s.findings:
        lines += ["", "## Findings by rule", "", "| rule | findings |", "| --- | ---: |"]
        lines += [f"| {rule} | {n} |" for rule, n in s.findings.items()]
    return "\n".join(lines) + "\n"
