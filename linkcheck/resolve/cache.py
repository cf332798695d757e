"""Resolutions kept between runs, so a CI re-run on an edited draft fetches
only the new links.

Only successes are stored and served: a link that failed (broken, blocked,
error) is always checked again, since a cached failure replayed without a
retry is the most-reported cache bug of other link checkers. Keyed by the
exact URL and the settings that change its answer; entries older than the
TTL are ignored.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path

from linkcheck.model import Hop, Outcome, PageMeta, Resolution

CACHEABLE = (Outcome.OK, Outcome.REDIRECTED)
SCHEMA_VERSION = 1


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
        self._db = sqlite3.connect(self.path)
        self._db.execute("CREATE TABLE IF NOT EXISTS resolutions (key TEXT PRIMARY KEY, "
                         "version INTEGER, stored REAL, data TEXT)")
        self._db.commit()

    def get(self, url: str) -> Resolution | None:
        row = self._db.execute("SELECT version, stored, data FROM resolutions WHERE key = ?",
                               (self._key(url),)).fetchone()
        if row is None or row[0] != SCHEMA_VERSION or time.time() - row[1] > self.ttl:
            return None
        res = _from_dict(json.loads(row[2]))
        if res.outcome not in CACHEABLE:
            return None
        res.url, res.from_cache = url, True
        res.cached = {"checked": _iso(row[1]), "warc": json.loads(row[2]).get("captured_in")}
        return res

    def put(self, res: Resolution) -> None:
        if res.outcome not in CACHEABLE or res.from_cache:
            return
        data = json.dumps({**_to_dict(res), "captured_in": self.captured_in}, default=str)
        self._db.execute("INSERT OR REPLACE INTO resolutions VALUES (?, ?, ?, ?)",
                         (self._key(res.url), SCHEMA_VERSION, time.time(), data))

    def _key(self, url: str) -> str:
        # The exact URL: /a and /a/ can be different pages (one of them a 404).
        return f"{self.context}|{url}"

    def close(self) -> None:
        self._db.commit()
        self._db.close()


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
