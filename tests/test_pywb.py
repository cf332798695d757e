"""pywb replays pages from our WARCs: the gzip+chunked RIA capture (raw id_
replay gives back the page), the NATO redirect as stored and the page it
leads to, and revisit records resolved to payloads in another WARC.

pywb's `wayback` runs on a loopback port over a collection built with
wb-manager in a temporary folder, and is stopped when the module is done.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from linkcheck.pipeline import AuditOptions, run_audit
from linkcheck.resolve.settings import ResolveSettings
from tests.support.routing import RoutingTransport
from tests.support.sites import SITES, SiteServer
from tests.support.warcs import BIN, check_warc, raw_records

pytest.importorskip("pywb")

ROOT = Path(__file__).resolve().parent.parent
RIA = "https://ria.ru/20211217/nato-1764165844.html"
NATO = "https://www.nato.int/cps/en/natohq/opinions_190292.htm"
NATO_FINAL = NATO + "?selectedLocale=en"
MIRROR = "https://mirror.grain-wire.test/syndication/odesa-port-reopens.html"


def record(site: str, article: Path, warc: Path, dedup_against=()) -> Path:
    with SiteServer(site) as server:
        # one request at a time: the first cited copy of a payload is its original
        options = AuditOptions(settings=ResolveSettings(retries=0, concurrency=1), warc=warc,
                               dedup_against=[str(d) for d in dedup_against],
                               transport=RoutingTransport(server.base))
        asyncio.run(run_audit([str(article)], options))
    check_warc(warc)
    return warc


def timestamp(warc: Path, url: str, kind: str = "response") -> str:
    rec = next(r for r in raw_records(warc).records
               if r.type == kind and r.get("WARC-Target-URI") == url)
    date = rec.get("WARC-Date")
    return "".join(ch for ch in date[:19] if ch.isdigit())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def wayback(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pywb")
    nato = record("nato-grushko", ROOT / "examples" / "nato-grushko.txt",
                  folder / "nato.warc.gz")
    cases = record("archive-cases", SITES / "archive-cases" / "article.md",
                   folder / "cases.warc.gz")
    again = record("archive-cases", SITES / "archive-cases" / "article.md",
                   folder / "again.warc.gz", dedup_against=[cases])
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    cassette = ROOT / "cassettes" / "nato-grushko.warc.gz"
    for args in (["init", "coll"],
                 ["add", "coll", str(nato), str(cases), str(again), str(cassette)]):
        subprocess.run([str(BIN / "wb-manager"), *args], cwd=folder, env=env, check=True,
                       capture_output=True, timeout=60)
    port = free_port()
    log = open(folder / "wayback.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([str(BIN / "wayback"), "-b", "127.0.0.1", "-p", str(port)],
                            cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    client = httpx.Client(base_url=base, trust_env=False, timeout=10)
    try:
        deadline = time.monotonic() + 15
        while True:
            assert proc.poll() is None, (folder / "wayback.log").read_text()
            try:
                if client.get("/coll/").status_code < 500:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "wayback did not start within 15 s"
            time.sleep(0.2)
        yield client, {"nato": nato, "cases": cases, "again": again, "cassette": cassette}
    finally:
        client.close()
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        log.close()


def test_raw_replay_of_the_gzip_chunked_capture_returns_the_page(wayback):
    client, warcs = wayback
    ts = timestamp(warcs["nato"], RIA)
    resp = client.get(f"/coll/{ts}id_/{RIA}")
    assert resp.status_code == 200, resp.text[:500]
    assert "Memento-Datetime" in resp.headers
    assert "Грушко" in resp.text and "деэскалации" in resp.text


def test_the_stored_redirect_is_replayed_then_its_target(wayback):
    client, warcs = wayback
    ts = timestamp(warcs["nato"], NATO)
    hop = client.get(f"/coll/{ts}id_/{NATO}")
    assert hop.status_code == 302
    assert hop.headers["location"].endswith(NATO_FINAL)
    final = client.get(f"/coll/{timestamp(warcs['nato'], NATO_FINAL)}id_/{NATO_FINAL}")
    assert final.status_code == 200 and "Stoltenberg" in final.text


def test_rewritten_replay_serves_the_page_too(wayback):
    client, warcs = wayback
    # mp_: the page itself, rewritten for replay (without it pywb sends its frame)
    resp = client.get(f"/coll/{timestamp(warcs['nato'], RIA)}mp_/{RIA}")
    assert resp.status_code == 200 and "Грушко" in resp.text


def test_revisits_replay_with_the_payload_they_refer_to(wayback):
    client, warcs = wayback
    # within one WARC: the syndicated copy is a revisit of the story
    ts = timestamp(warcs["cases"], MIRROR, kind="revisit")
    resp = client.get(f"/coll/{ts}id_/{MIRROR}")
    assert resp.status_code == 200 and "Harbour master Petro Kovalenko" in resp.text
    assert resp.headers.get("x-archive-orig-server") == "nginx"  # the revisit's own headers
    # across WARCs: the second audit stored nothing but revisits of the first
    ts = timestamp(warcs["again"], MIRROR, kind="revisit")
    resp = client.get(f"/coll/{ts}id_/{MIRROR}")
    assert resp.status_code == 200 and "Harbour master Petro Kovalenko" in resp.text


def test_the_reference_cassette_replays(wayback):
    client, warcs = wayback
    resp = client.get(f"/coll/{timestamp(warcs['cassette'], RIA)}id_/{RIA}")
    assert resp.status_code == 200 and "Грушко" in resp.text
    hop = client.get(f"/coll/{timestamp(warcs['cassette'], NATO)}id_/{NATO}")
    assert hop.status_code == 302 and hop.headers["location"].endswith(NATO_FINAL)


def test_pywb_is_not_a_runtime_dependency():
    code = ("import sys, linkcheck.cli, linkcheck.pipeline, linkcheck.archive.replay, "
            "linkcheck.archive.wacz, linkcheck.archive.index; "
            "sys.exit('pywb' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0
