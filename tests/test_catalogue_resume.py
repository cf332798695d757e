"""A catalogue audit killed with SIGKILL (no chance to clean up) and run
again: nothing lost, nothing counted twice, the killed run's open WARC
salvaged, and the same findings as an audit never interrupted."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from linkcheck.catalogue.fetch import Fetcher
from linkcheck.catalogue.sources import entries
from linkcheck.catalogue.store import Store
from linkcheck.resolve.settings import ResolveSettings
from tests.support.newsroom import Newsroom
from tests.support.server import FaultServer

ROOT = Path(__file__).resolve().parent.parent


def audit_cmd(db: Path) -> list[str]:
    return [sys.executable, "-m", "linkcheck", "catalogue", "audit", "--store", str(db),
            "--allow-private", "--retries", "0", "--per-host", "2", "--timeout", "5"]


def add(db: Path, room: Newsroom) -> None:
    with Store(db) as store, Fetcher(ResolveSettings(allow_private=True)) as fetch:
        store.add_articles(entries(room.server.url("/sitemap.xml", 1), fetch))


def findings(db: Path) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return sorted(con.execute("SELECT a.url, f.rule, f.url, f.line, f.col FROM findings f "
                                  "JOIN articles a ON a.id = f.article_id"))
    finally:
        con.close()


def wait_for(db: Path, sql: str, at_least: int, proc: subprocess.Popen) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        try:
            con = sqlite3.connect(db, timeout=5)
            try:
                n = con.execute(sql).fetchone()[0]
            finally:
                con.close()
            if n >= at_least:
                return n
        except sqlite3.OperationalError:
            pass  # not created yet
        time.sleep(0.05)
    raise AssertionError("the audit made no progress")


@pytest.mark.parametrize("stage", ["articles", "links"])
def test_sigkill_then_resume_loses_nothing_and_counts_nothing_twice(tmp_path, stage):
    with FaultServer(hosts=5) as srv:
        room = Newsroom(srv, articles=40, cites=8, delay=0.04,
                        article_delay=0.15 if stage == "articles" else 0.0)
        reference = tmp_path / "reference" / "c.db"
        reference.parent.mkdir()
        add(reference, room)
        done = subprocess.run(audit_cmd(reference), cwd=reference.parent, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        srv.clear()

        work = tmp_path / "work"
        work.mkdir()
        db = work / "c.db"
        add(db, room)
        proc = subprocess.Popen(audit_cmd(db), cwd=work, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            if stage == "articles":
                wait_for(db, "SELECT COUNT(*) FROM articles WHERE extracted_at IS NOT NULL",
                         5, proc)
            else:
                wait_for(db, "SELECT COUNT(*) FROM checks", 60, proc)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(30)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.stdout.close()
            proc.stderr.close()
        with Store(db) as store:
            before = store.count("SELECT COUNT(*) FROM checks")
            read = store.count("SELECT COUNT(*) FROM articles WHERE extracted_at IS NOT NULL")
        assert before < len(room.all_links()) or read < 40  # really stopped part-way
        assert list((work / "linkcheck-snapshots").glob("*.open"))  # killed mid-write

        again = subprocess.run(audit_cmd(db), cwd=work, capture_output=True, text=True,
                               timeout=300)
        assert again.returncode == 0, again.stderr

    with Store(db) as store:
        links = len(room.all_links())
        assert store.count("SELECT COUNT(*) FROM links") == links
        assert store.count("SELECT COUNT(*) FROM checks") == links  # one check per link
        assert store.count("SELECT COUNT(DISTINCT link_id) FROM checks") == links
        assert store.count("SELECT COUNT(*) FROM articles WHERE audited_at IS NULL") == 0
        citations = store.count("SELECT COUNT(*) FROM citations")
        assert citations == 40 * (8 + 1)  # every article's citations, once
    assert findings(db) == findings(reference)
    folder = work / "linkcheck-snapshots"
    assert not list(folder.glob("*.open"))
    for warc in folder.glob("*.warc.gz"):
        assert (folder / (warc.name[: -len(".warc.gz")] + ".cdxj")).exists()
    # what the killed run committed was not fetched again
    refetched = [p for p in {h.path for h in srv.hits} if len(srv.hits_for(p)) > 1]
    assert len(refetched) <= links - before
