"""`linkcheck monitor`: the re-check policy (dead only after three failures at
least three days apart), a replayed schedule with an injected clock against
a local newsroom, and the changes reported in text, JSON and Markdown."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from linkcheck.catalogue.fetch import Fetcher
from linkcheck.catalogue.monitor import LinkState, Policy, monitor, render, step
from linkcheck.catalogue.runner import CatalogueOptions, audit_catalogue
from linkcheck.catalogue.sources import entries
from linkcheck.catalogue.store import Store, parse_iso
from linkcheck.pipeline import AuditOptions
from linkcheck.resolve.settings import ResolveSettings
from tests.support.newsroom import Newsroom
from tests.support.server import FaultServer

SETTINGS = ResolveSettings(allow_private=True, retries=0, timeout=5)
POLICY = Policy()
T0 = datetime(2030, 1, 1, 9, tzinfo=UTC)
URL = "https://news.test/a"


def run(state, outcome, days, final=None):
    return step(state, URL, outcome, final, T0 + timedelta(days=days), POLICY)


def test_a_link_is_dead_only_after_three_failures_three_days_apart():
    s, changes = run(None, "broken", 0)
    assert (s.state, s.failures, changes) == ("failing", 1, [])
    s, changes = run(s, "broken", 1)  # a day later: checked, not counted
    assert (s.failures, changes) == (1, [])
    s, changes = run(s, "error", 3)
    assert (s.state, s.failures, changes) == ("failing", 2, [])
    s, changes = run(s, "broken", 5.9)  # under three days since the last counted failure
    assert (s.state, s.failures) == ("failing", 2)
    s, changes = run(s, "broken", 6)
    assert s.state == "dead" and changes == [("dead", s.first_failure_at, None)]
    assert parse_iso(s.since) == T0
    assert parse_iso(s.next_due) == T0 + timedelta(days=9)  # failing: again in 3 days
    s, changes = run(s, "broken", 9)
    assert changes == []  # dead once, reported once


def test_a_failure_between_successes_is_forgotten():
    s, _ = run(None, "broken", 0)
    s, _ = run(s, "ok", 3)
    assert (s.state, s.failures) == ("live", 0)
    assert parse_iso(s.next_due) == T0 + timedelta(days=33)
    s, _ = run(s, "broken", 33)
    s, _ = run(s, "broken", 36)
    assert s.state == "failing" and s.failures == 2


def test_recovered_redirected_and_blocked():
    dead = LinkState(state="dead", failures=3, since="x", next_due="x")
    s, changes = run(dead, "ok", 0)
    assert [c[0] for c in changes] == ["recovered"] and s.state == "live"
    s, changes = run(s, "redirected", 30, final="https://news.test/b")
    assert changes == [("redirected", changes[0][1], "https://news.test/b")]
    s, changes = run(s, "redirected", 60, final="https://news.test/b")
    assert changes == []  # the same redirect is not news
    s, changes = run(s, "blocked", 90)
    assert changes == [] and s.state == "live"  # a bot wall is no verdict


@pytest.fixture
def audited(tmp_path):
    with FaultServer(hosts=4) as srv:
        room = Newsroom(srv, articles=6, cites=3)
        store = Store(tmp_path / "c.db")
        with Fetcher(SETTINGS) as fetch:
            store.add_articles(entries(srv.url("/sitemap.xml", 1), fetch))
        audit_catalogue(store, CatalogueOptions(audit=AuditOptions(settings=SETTINGS),
                                                warc_dir=None))
        audited_at = parse_iso(store.db.execute("SELECT MAX(checked_at) FROM checks")
                               .fetchone()[0])
        try:
            yield room, store, audited_at
        finally:
            store.close()


def changes(report) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for c in report.changes:
        out.setdefault(c.change, set()).add(c.url.rsplit(":", 1)[1].split("/", 1)[1])
    return out


def test_a_replayed_schedule_reports_each_change_once(audited):
    room, store, start = audited
    srv = room.server
    links = len(room.all_links())
    gone = sorted(u for u in room.all_links() if "/gone/" in u)
    day = start + timedelta(days=31)

    def at(days: float):
        return monitor(store, day + timedelta(days=days), POLICY, SETTINGS)

    room.gone.add("/page/0-1")
    room.moved["/page/1-1"] = srv.url("/page/moved-here", 3)
    first = at(0)  # everything is due: live after 30 days, failing after 3
    assert first.checked == links
    assert changes(first) == {"redirected": {"page/1-1"}}
    assert first.states["failing"] == len(gone) + 1
    assert at(1).checked == 0  # nothing due a day later
    third = at(3)  # the audit's failures, then two more 3 days apart: dead
    assert changes(third) == {"dead": {u.split("/", 3)[3] for u in gone}}
    dead = next(c for c in third.changes if c.change == "dead")
    assert parse_iso(dead.since) < day  # dead since its first failure, in the audit
    assert len(dead.articles) == 1 and dead.articles[0].endswith(".html")
    assert changes(at(6)) == {"dead": {"page/0-1"}}
    room.gone.discard("/page/0-1")
    room.changed.add("/page/2-1")
    ninth = at(9)
    assert changes(ninth) == {"recovered": {"page/0-1"}}
    later = at(31)  # the live links' next round: the rewritten page has drifted
    assert changes(later) == {"drifted": {"page/2-1"}}
    assert "newly dead" not in render(later, "text") and "content drifted" in render(later,
                                                                                      "text")
    assert store.count("SELECT COUNT(*) FROM changes") == 1 + len(gone) + 1 + 1 + 1


def test_the_cli_reports_changes_as_json_and_markdown_with_fail_on(audited, tmp_path):
    room, store, start = audited
    store.close()
    db = str(tmp_path / "c.db")
    room.gone.add("/shared")

    def cli(days: float, *args):
        now = (start + timedelta(days=days)).isoformat()
        return subprocess.run([sys.executable, "-m", "linkcheck", "monitor", "--store", db,
                               "--now", now, "--allow-private", "--retries", "0",
                               "--no-warc", *args], capture_output=True, text=True,
                              timeout=120, cwd=tmp_path)

    assert cli(31, "--format", "json").returncode == 0  # failures, nothing dead yet
    mid = cli(34, "--format", "json")
    assert mid.returncode == 1  # the links that failed since the audit are now dead
    assert not any(c["url"].endswith("/shared") for c in json.loads(mid.stdout)["changes"])
    last = cli(37, "--format", "json")
    assert last.returncode == 1, last.stderr  # --fail-on dead, the default
    data = json.loads(last.stdout)
    shared = next(c for c in data["changes"] if c["url"].endswith("/shared"))
    assert shared["change"] == "dead" and len(shared["articles"]) == 6
    assert set(shared) >= {"url", "change", "since", "articles"}
    room.gone.discard("/shared")
    md = cli(40, "--format", "markdown", "--fail-on", "never")
    assert md.returncode == 0 and "### Recovered (1)" in md.stdout
    assert cli(41, "--fail-on", "dead,sometimes").returncode == 2
    bad = cli(41, "--now")
    assert bad.returncode == 2
    assert subprocess.run([sys.executable, "-m", "linkcheck", "monitor", "--store", db,
                           "--now", "next tuesday"], capture_output=True, text=True,
                          timeout=60).returncode == 2
