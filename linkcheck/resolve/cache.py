"""Resolutions kept between runs, so a CI re-run on an edited draft fetches
only the new links.

Only successes are stored and served: a link that failed (broken, blocked,
error) is always checked again, since a cached failure replayed without a
retry is the most-reported cache bug of other link checkers. Keyed by the
exact URL and the settings that change its answer; entries older than the
TTL are ignored.

A cache never changes a verdict: several audits may share one file (each write
is its own short transaction, and a locked database is waited for), and when
the cache still cannot be read or written the link is fetched or its verdict
kept all the same, with one warning on stderr. Credentials in cited URLs are
kept out of keys and entries.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path

from linkcheck.model import Hop, Outcome, PageMeta, Resolution
from linkcheck.urls.normalise import redact_userinfo

CACHEABLE = (Outcome.OK, Outcome.REDIRECTED)
SCHEMA_VERSION = 1
BUSY_TIMEOUT = 15.0  # seconds to wait for another audit's write to finish


def default_cache_path() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("linkcheck")) / "resolutions.sqlite3"


class ResolutionCache:
    def __init__(self, path: Path, ttl: float, context: str = "",
                 captured_in: str | None = None):
        # context: the settings that change an answer (private targets allowed,
        # accepted statuses, page text mode); answers under other settings are not reused.
        # captured_in: the snapshot this run writes, remembered with each answer so a
        # later run served from the cache can say where the capture is.
        self.path, self.ttl, self.context = Path(path), ttl, context
        self.captured_in = captured_in
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.warned = False
        # written at close(); served from here until then
        self.pending: dict[str, tuple[str, int, float, str]] = {}
        self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
        try:  # readers never wait for a writer (not every file system allows it)
            self._db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.Error:
            pass
        self._db.execute("CREATE TABLE IF NOT EXISTS resolutions (key TEXT PRIMARY KEY, "
                         "version INTEGER, stored REAL, data TEXT)")

    def get(self, url: str) -> Resolution | None:
        key = self._key(url)
        try:
            row = self.pending[key][1:] if key in self.pending else self._db.execute(
                "SELECT version, stored, data FROM resolutions WHERE key = ?",
                (key,)).fetchone()
        except sqlite3.Error as exc:
            self._warn("read", exc)
            return None  # fetched instead
        if row is None or row[0] != SCHEMA_VERSION or time.time() - row[1] > self.ttl:
            return None
        try:
            data = json.loads(row[2])
            captured_in = data.get("captured_in")
            res = _from_dict(data)
        except (ValueError, TypeError, KeyError, AttributeError):
            return None  # an entry from another version: fetched again
        if res.outcome not in CACHEABLE:
            return None
        res.url, res.from_cache = url, True
        res.cached = {"checked": _iso(row[1]), "warc": captured_in}
        return res

    def put(self, res: Resolution) -> None:
        """Keep a success for the cache. Written at close(), in one short
        transaction: no write (nor a wait for another audit's lock) happens while
        links are being fetched."""
        if res.outcome not in CACHEABLE or res.from_cache:
            return
        data = redact_userinfo(json.dumps({**_to_dict(res), "captured_in": self.captured_in},
                                          default=str))
        key = self._key(res.url)
        self.pending[key] = (key, SCHEMA_VERSION, time.time(), data)

    def flush(self) -> None:
        """Write what put() kept; never raises (the verdicts stand whatever happens)."""
        if not self.pending:
            return
        try:
            with self._db:  # isolation_level=None: BEGIN/COMMIT by hand
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("INSERT OR REPLACE INTO resolutions VALUES (?, ?, ?, ?)",
                                     list(self.pending.values()))
                self._db.execute("COMMIT")
            self.pending = {}
        except sqlite3.Error as exc:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            self._warn("write", exc)

    def _warn(self, what: str, exc: Exception) -> None:
        if not self.warned:
            self.warned = True
            print(f"linkcheck: warning: could not {what} the cache {self.path} ({exc}); "
                  "verdicts are unaffected", file=sys.stderr)

    def _key(self, url: str) -> str:
        # The exact URL: /a and /a/ can be different pages (one of them a 404).
        return f"{self.context}|{redact_userinfo(url)}"

    def close(self) -> None:
        self.flush()
        try:
            self._db.close()
        except sqlite3.Error as exc:
            self._warn("close", exc)


def _iso(stored: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(stored, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _to_dict(res: Resolution) -> dict:
    d = asdict(res)
    d.pop("body", None)
    d.pop("cached", None)
    d["outcome"] = res.outcome.value
    return d


def _from_dict(d: dict) -> Resolution:
    d.pop("captured_in", None)
    d.pop("cached", None)
    meta = d.pop("meta")
    for k in ("published", "modified"):
        if meta.get(k):
            meta[k] = date.fromisoformat(meta[k])
    d["meta"] = PageMeta(**meta)
    d["hops"] = [Hop(**h) for h in d["hops"]]
    d["outcome"] = Outcome(d["outcome"])
    return Resolution(**d)
