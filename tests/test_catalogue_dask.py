"""Host shards on a real Dask LocalCluster of two worker processes, against a
local server with 20 hosts (127.0.0.2 .. 127.0.0.21): per-host politeness
holds across the cluster, every link is fetched exactly once, the store is
complete, the findings are those of the single-process audit, one WARC per
worker; and a worker killed mid-run does not stop the run completing."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from linkcheck.catalogue.fetch import Fetcher
from linkcheck.catalogue.runner import CatalogueOptions, audit_catalogue
from linkcheck.catalogue.sources import entries
from linkcheck.catalogue.store import Store
from linkcheck.pipeline import AuditOptions
from linkcheck.resolve.settings import ResolveSettings
from tests.support.newsroom import Newsroom
from tests.support.server import FaultServer

pytest.importorskip("distributed")
psutil = pytest.importorskip("psutil")

PER_HOST = 2
SETTINGS = ResolveSettings(allow_private=True, retries=0, timeout=10, per_host=PER_HOST)


def catalogue(db: Path, room: Newsroom) -> Store:
    store = Store(db)
    with Fetcher(SETTINGS) as fetch:
        store.add_articles(entries(room.server.url("/sitemap.xml", 1), fetch))
    return store


def run(store: Store, folder: Path, **kw):
    return audit_catalogue(store, CatalogueOptions(
        audit=AuditOptions(settings=SETTINGS), warc_dir=folder, **kw))


def findings(store: Store) -> list[tuple]:
    return sorted(store.db.execute("SELECT a.url, f.rule, f.url, f.line FROM findings f "
                                   "JOIN articles a ON a.id = f.article_id"))


@pytest.fixture
def room():
    with FaultServer(hosts=21) as srv:
        yield Newsroom(srv, articles=40, cites=10, delay=0.02)


def test_two_workers_keep_politeness_fetch_once_and_match_one_process(tmp_path, room):
    srv = room.server
    with catalogue(tmp_path / "dask.db", room) as store:
        summary = run(store, tmp_path / "dask", workers=2)
        links = room.all_links()
        assert summary.links_checked == len(links)
        link_hits = [h for h in srv.hits if not h.path.startswith(("/articles", "/sitemap",
                                                                   "/news"))]
        assert sorted(h.host_addr + h.path for h in link_hits) == sorted(
            u.replace("http://", "").replace(f":{srv.port}", "") for u in links)  # once each
        hosts = {a for a in srv.addrs if a != "127.0.0.1"}
        assert {h.host_addr for h in link_hits} == hosts and len(hosts) == 20
        assert max(srv.max_in_flight[a] for a in hosts) <= PER_HOST
        assert max(srv.max_in_flight[a] for a in hosts) == PER_HOST  # the limit was reached
        assert store.count("SELECT COUNT(*) FROM checks") == len(links)
        assert store.count("SELECT COUNT(*) FROM articles WHERE audited_at IS NULL") == 0
        distributed = findings(store)
    worker_warcs = sorted((tmp_path / "dask").glob("catalogue-worker*.warc.gz"))
    assert len({w.name.split("-")[1] for w in worker_warcs}) == 2  # one per worker process
    assert not list((tmp_path / "dask").glob("*.open"))
    srv.clear()
    with catalogue(tmp_path / "one.db", room) as store:
        run(store, tmp_path / "one")
        assert findings(store) == distributed


def worker_pids() -> list[int]:
    me = psutil.Process()
    return [p.pid for p in me.children(recursive=True)
            if "spawn_main" in " ".join(p.cmdline())]


def test_a_killed_worker_loses_only_its_shard_and_the_run_completes(tmp_path, room):
    room.delay = 0.05
    db = tmp_path / "dask.db"
    killed: list[int] = []

    def killer() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            try:
                con = sqlite3.connect(db, timeout=5)
                n = con.execute("SELECT COUNT(*) FROM checks").fetchone()[0]
                con.close()
            except sqlite3.OperationalError:
                n = 0
            pids = worker_pids()
            if n > 0 and len(pids) == 2:
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])
            time.sleep(0.02)

    with catalogue(db, room) as store:
        thread = threading.Thread(target=killer, daemon=True)
        thread.start()
        run(store, tmp_path / "dask", workers=2)
        thread.join(5)
        assert killed, "no worker was killed"
        links = len(room.all_links())
        assert store.count("SELECT COUNT(*) FROM checks") == links
        assert store.count("SELECT COUNT(DISTINCT link_id) FROM checks") == links
        assert store.count("SELECT COUNT(*) FROM articles WHERE audited_at IS NULL") == 0
    assert not list((tmp_path / "dask").glob("*.open"))  # the dead worker's WARC salvaged
