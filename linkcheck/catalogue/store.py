"""The catalogue store: one SQLite database in WAL mode (schema.py).

Only the coordinating process writes it. Every unit of progress is one
transaction (an article's citations, a batch of checks, an article's
findings), so a run killed at any point leaves the store at the last commit,
and the next run picks up exactly what is missing.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from linkcheck.catalogue.schema import MIGRATIONS, VERSION
from linkcheck.errors import InputError
from linkcheck.model import Article, Citation, Finding, Resolution

PAGE = 500  # rows read per query while streaming a table


def now_iso(moment: datetime | None = None) -> str:
    """UTC, fixed width, so the text sorts as the time does."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass(frozen=True)
class Entry:
    """An article to add: its URL or path, and its date if the source gives one."""

    url: str
    published: date | None = None
    published_source: str | None = None
    title: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class LinkRow:
    id: int
    url: str
    host: str
    domain: str
    shard_key: int


@dataclass
class CheckRow:
    """One check of a link, as the store keeps it."""

    link_id: int
    checked_at: str
    resolution: dict
    warc: str | None = None
    warc_offset: int | None = None
    content_digest: str | None = None


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        if self.path.is_dir():
            raise InputError(f"--store {path}: is a directory")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise InputError(f"--store {path}: not a catalogue store ({exc})") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema -------------------------------------------------------------

    def _migrate(self) -> None:
        self.db.execute("CREATE TABLE IF NOT EXISTS schema_version "
                        "(version INTEGER NOT NULL, applied_at TEXT NOT NULL)")
        current = self.version()
        if current > VERSION:
            raise InputError(f"--store {self.path}: schema version {current} is newer than "
                             f"this linkcheck ({VERSION}); upgrade linkcheck")
        for number in range(current + 1, VERSION + 1):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for statement in MIGRATIONS[number - 1].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute("INSERT INTO schema_version VALUES (?, ?)",
                                (number, now_iso()))
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    def version(self) -> int:
        row = self.db.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return row[0] or 0

    def transaction(self):
        return _Transaction(self.db)

    # -- articles -----------------------------------------------------------

    def add_articles(self, entries: Iterable[Entry], batch: int = 1000) -> tuple[int, int]:
        """Add entries not yet in the store (a date learnt later fills a missing
        one). Returns (added, already known). Streams: one transaction a batch."""
        added = known = 0
        pending: list[Entry] = []

        def flush() -> None:
            nonlocal added, known
            stamp = now_iso()
            with self.transaction():
                for e in pending:
                    cur = self.db.execute(
                        "INSERT OR IGNORE INTO articles (url, source, published, "
                        "published_source, title, added_at) VALUES (?, ?, ?, ?, ?, ?)",
                        (e.url, e.source, e.published and e.published.isoformat(),
                         e.published_source if e.published else None, e.title, stamp))
                    if cur.rowcount:
                        added += 1
                    else:
                        known += 1
                        if e.published:
                            self.db.execute(
                                "UPDATE articles SET published = ?, published_source = ? "
                                "WHERE url = ? AND published IS NULL",
                                (e.published.isoformat(), e.published_source, e.url))
            pending.clear()

        for entry in entries:
            pending.append(entry)
            if len(pending) >= batch:
                flush()
        if pending:
            flush()
        return added, known

    def pending_articles(self, cutoff: str = "") -> Iterator[tuple[int, str, str | None,
                                                                   str | None]]:
        """(id, url, published, published_source) of articles whose citations are
        not stored (or were stored before cutoff), in id order, page by page."""
        last = 0
        while True:
            rows = self.db.execute(
                "SELECT id, url, published, published_source FROM articles WHERE id > ? "
                "AND (extracted_at IS NULL OR extracted_at < ?) ORDER BY id LIMIT ?",
                (last, cutoff, PAGE)).fetchall()
            if not rows:
                return
            yield from rows
            last = rows[-1][0]

    def count(self, sql: str, *args) -> int:
        return self.db.execute(sql, args).fetchone()[0]

    def store_extraction(self, article_id: int, article: Article | None,
                         citations: list[Citation], links: list[tuple],
                         error: str | None = None) -> None:
        """An article's citations (replacing any earlier ones) and their links,
        in one transaction. `links`: (url, normalised, host, domain, shard_key)
        for each distinct fetchable URL. An article that could not be read is
        recorded with its error and no citations."""
        stamp = now_iso()
        with self.transaction():
            self.db.execute("DELETE FROM citations WHERE article_id = ?", (article_id,))
            self.db.executemany(
                "INSERT OR IGNORE INTO links (url, normalised, host, domain, shard_key, "
                "first_seen) VALUES (?, ?, ?, ?, ?, ?)", [(*link, stamp) for link in links])
            ids = dict(self.db.execute(
                "SELECT url, id FROM links WHERE url IN (SELECT value FROM json_each(?))",
                (json.dumps([link[0] for link in links]),)).fetchall()) if links else {}
            self.db.executemany(
                "INSERT INTO citations (article_id, ord, link_id, url, line, col, text, "
                "skipped, invalid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(article_id, i, ids.get(c.url) if c.checkable else None,
                  c.url, c.line, c.column, c.text, c.skipped, c.invalid)
                 for i, c in enumerate(citations)])
            if article is None:
                self.db.execute("UPDATE articles SET extracted_at = ?, audited_at = ?, "
                                "error = ? WHERE id = ?", (stamp, stamp, error, article_id))
                return
            self.db.execute(
                "UPDATE articles SET extracted_at = ?, error = NULL, kind = ?, base_url = ?, "
                "body = ? WHERE id = ?",
                (stamp, article.kind, article.base_url,
                 zlib.compress(article.text.encode("utf-8"), 6), article_id))
            if article.published:
                self.db.execute(
                    "UPDATE articles SET published = ?, published_source = ? "
                    "WHERE id = ? AND (published IS NULL OR published_source = 'sitemap:lastmod')",
                    (article.published.isoformat(),
                     article.published_evidence or "article metadata", article_id))

    # -- links and checks -----------------------------------------------------

    def pending_links(self, cutoff: str = "", shards: int = 1,
                      shard: int = 0, after: int = 0,
                      limit: int | None = None) -> Iterator[LinkRow]:
        """Links with no check since cutoff, in id order, page by page; with
        shards > 1 only those whose shard_key falls in `shard`."""
        last, given = after, 0
        while limit is None or given < limit:
            page = PAGE if limit is None else min(PAGE, limit - given)
            rows = self.db.execute(
                "SELECT id, url, host, domain, shard_key FROM links l WHERE id > ? "
                "AND shard_key % ? = ? AND NOT EXISTS (SELECT 1 FROM checks c "
                "WHERE c.link_id = l.id AND c.checked_at >= ?) ORDER BY id LIMIT ?",
                (last, shards, shard, cutoff, page)).fetchall()
            if not rows:
                return
            for row in rows:
                yield LinkRow(*row)
            given += len(rows)
            last = rows[-1][0]

    def record_checks(self, checks: list[CheckRow], run_id: int | None) -> None:
        with self.transaction():
            self.insert_checks(checks, run_id)

    def insert_checks(self, checks: list[CheckRow], run_id: int | None) -> None:
        rows = []
        for c in checks:
            r = c.resolution
            meta = r.get("meta") or {}
            rows.append((c.link_id, run_id, c.checked_at, r["outcome"], r.get("status"),
                         r.get("final_url"), meta.get("published"), meta.get("title"),
                         r.get("error"), c.content_digest, c.warc, c.warc_offset,
                         json.dumps(r, ensure_ascii=False, default=str)))
        self.db.executemany(
            "INSERT INTO checks (link_id, run_id, checked_at, outcome, status, final_url, "
            "page_date, title, error, content_digest, warc, warc_offset, resolution) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    # -- analysis -------------------------------------------------------------

    def ready_articles(self, cutoff: str = "") -> Iterator[int]:
        """Articles with citations stored, no findings since cutoff, and every
        cited link checked since cutoff."""
        last = 0
        while True:
            rows = self.db.execute(
                "SELECT id FROM articles a WHERE id > ? AND extracted_at IS NOT NULL "
                "AND (audited_at IS NULL OR audited_at < ?) AND NOT EXISTS ("
                "  SELECT 1 FROM citations ci WHERE ci.article_id = a.id "
                "  AND ci.link_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM checks c "
                "  WHERE c.link_id = ci.link_id AND c.checked_at >= ?)) "
                "ORDER BY id LIMIT ?", (last, cutoff, cutoff, PAGE)).fetchall()
            if not rows:
                return
            for (article_id,) in rows:
                yield article_id
            last = rows[-1][0]

    def load_article(self, article_id: int) -> tuple[Article, list[Citation],
                                                     dict[str, Resolution]]:
        from linkcheck.catalogue.codec import from_dict

        url, kind, base_url, body, published, source = self.db.execute(
            "SELECT url, kind, base_url, body, published, published_source FROM articles "
            "WHERE id = ?", (article_id,)).fetchone()
        article = Article(path=url, text=zlib.decompress(body).decode("utf-8") if body else "",
                          kind=kind or "txt", base_url=base_url,
                          published=date.fromisoformat(published) if published else None,
                          published_evidence=_evidence(source) if published else None)
        citations = [Citation(url=u, line=line, column=col, text=text, skipped=skipped,
                              invalid=invalid)
                     for u, line, col, text, skipped, invalid in self.db.execute(
                         "SELECT url, line, col, text, skipped, invalid FROM citations "
                         "WHERE article_id = ? ORDER BY ord", (article_id,))]
        links = {u: from_dict(json.loads(res)) for u, res in self.db.execute(
            "SELECT l.url, (SELECT resolution FROM checks c WHERE c.link_id = l.id "
            "ORDER BY id DESC LIMIT 1) FROM links l WHERE l.id IN "
            "(SELECT link_id FROM citations WHERE article_id = ?)", (article_id,))
            if res is not None}
        return article, citations, links

    def store_findings(self, article_id: int, findings: list[Finding]) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM findings WHERE article_id = ?", (article_id,))
            self.db.executemany(
                "INSERT INTO findings (article_id, rule, severity, url, line, col, message, "
                "evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(article_id, f.rule, f.severity.value, f.url, f.line, f.column, f.message,
                  json.dumps(f.evidence, ensure_ascii=False, default=str)) for f in findings])
            self.db.execute("UPDATE articles SET audited_at = ? WHERE id = ?",
                            (now_iso(), article_id))

    # -- runs -------------------------------------------------------------------

    def start_run(self, kind: str, started: str | None = None) -> int:
        with self.transaction():
            cur = self.db.execute("INSERT INTO runs (kind, started_at) VALUES (?, ?)",
                                  (kind, started or now_iso()))
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, finished: str | None = None) -> None:
        with self.transaction():
            self.db.execute("UPDATE runs SET finished_at = ? WHERE id = ?",
                            (finished or now_iso(), run_id))


def _evidence(source: str | None) -> str:
    return f"catalogue ({source})" if source else "catalogue"


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, *rest) -> None:
        self.db.execute("COMMIT" if exc_type is None else "ROLLBACK")
