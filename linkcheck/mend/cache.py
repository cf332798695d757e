"""Archive answers kept between runs: a capture's existence does not change,
so an accepted copy (and a candidate list) stays fresh for weeks; "no usable
capture" is asked again sooner, since an archive may capture the page later.
Stored in its own SQLite file beside the resolution cache."""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import asdict
from pathlib import Path

from linkcheck.model import Archived, Candidate

HIT_TTL = 30 * 86400.0
MISS_TTL = 86400.0


class ArchiveCache:
    def __init__(self, path: Path, hit_ttl: float = HIT_TTL, miss_ttl: float = MISS_TTL):
        self.path = Path(path)
        self.hit_ttl, self.miss_ttl = hit_ttl, miss_ttl
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path)
        self._db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, "
                         "value TEXT NOT NULL, stored REAL NOT NULL, hit INTEGER NOT NULL)")
        self._db.commit()

    def _get(self, key: str):
        row = self._db.execute("SELECT value, stored, hit FROM answers WHERE key = ?",
                               (key,)).fetchone()
        if row is None:
            return None
        value, stored, hit = row
        if time.time() - stored > (self.hit_ttl if hit else self.miss_ttl):
            return None
        return json.loads(value)

    def _put(self, key: str, value, hit: bool) -> None:
        self._db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)",
                         (key, json.dumps(value), time.time(), int(hit)))
        self._db.commit()

    def copy(self, key: str) -> tuple[Archived | None, str] | None:
        """(copy or None, note), or None when nothing fresh is stored."""
        got = self._get("copy " + key)
        if got is None:
            return None
        return (Archived(**got["archived"]) if got["archived"] else None), got["note"]

    def put_copy(self, key: str, archived: Archived | None, note: str) -> None:
        self._put("copy " + key, {"archived": asdict(archived) if archived else None,
                                  "note": note}, archived is not None)

    def candidates(self, key: str) -> list[Candidate] | None:
        got = self._get("candidates " + key)
        return None if got is None else [Candidate(**c) for c in got]

    def put_candidates(self, key: str, found: list[Candidate]) -> None:
        self._put("candidates " + key, [asdict(c) for c in found], bool(found))

    def close(self) -> None:
        self._db.close()


def default_archive_cache(resolution_cache: Path) -> Path:
    return Path(resolution_cache).with_name("archives.sqlite3")
