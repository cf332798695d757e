"""Replay: a live audit's snapshot answers a replayed audit with the same
outcomes and findings; revisits resolve to their payload across files; WARCs
written by other tools (framing kept, WARC/1.0 revisits) replay too."""

from __future__ import annotations

import asyncio
import gzip
import json
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from linkcheck.archive.replay import ReplayTransport, dechunk
from linkcheck.pipeline import AuditOptions, run_audit
from linkcheck.report.json import report_dict
from linkcheck.resolve.settings import ResolveSettings
from tests.support.routing import RoutingTransport
from tests.support.sites import SiteServer
from tests.support.warcs import check_warc, raw_records

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = {"nato-grushko": "examples/nato-grushko.txt",
            "archive-cases": "tests/fixtures/sites/archive-cases/article.md"}
VOLATILE = {"elapsed", "attempts", "from_cache"}  # how the answer came, not what it said


def live_audit(site: str, warc: Path, dedup_against: list[str] | None = None) -> dict:
    with SiteServer(site) as server:
        options = AuditOptions(settings=ResolveSettings(retries=0, timeout=10), warc=warc,
                               transport=RoutingTransport(server.base),
                               dedup_against=dedup_against or [])
        report = asyncio.run(run_audit([ARTICLES[site]], options))
    return report_dict(report)


def replay_cli(*warcs: Path, article: str) -> subprocess.CompletedProcess:
    args = [a for w in warcs for a in ("--replay", str(w))]
    return subprocess.run([sys.executable, "-m", "linkcheck", "audit", article, *args,
                           "--format", "json", "--fail-on", "never"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def comparable(report: dict) -> list[dict]:
    return [{"citations": a["citations"], "published": a["published"],
             "findings": a["findings"],
             "links": [{k: v for k, v in link.items() if k not in VOLATILE}
                       for link in a["links"]]} for a in report["articles"]]


@pytest.fixture(autouse=True)
def _from_the_repository(monkeypatch):
    monkeypatch.chdir(ROOT)  # article paths as in the cassette recording


@pytest.mark.parametrize("site", sorted(ARTICLES))
def test_live_audit_and_its_replay_agree(site, tmp_path):
    warc = tmp_path / f"{site}.warc.gz"
    live = live_audit(site, warc)
    check_warc(warc)
    proc = replay_cli(warc, article=ARTICLES[site])
    assert proc.returncode == 0, proc.stderr
    replayed = json.loads(proc.stdout)
    assert comparable(replayed) == comparable(live)
    outcomes = {link["outcome"] for a in live["articles"] for link in a["links"]}
    assert {"ok", "redirected", "broken"} <= outcomes
    assert live["articles"][0]["findings"]


def test_replay_follows_the_stored_redirect_and_decodes_the_stored_body(tmp_path):
    warc = tmp_path / "cases.warc.gz"
    live_audit("archive-cases", warc)
    links = {lk["url"]: lk for lk in
             json.loads(replay_cli(warc, article=ARTICLES["archive-cases"]).stdout)
             ["articles"][0]["links"]}
    notice = links["https://news.harbour-gazette.test/notices/odesa"]
    assert [(h["url"], h["status"]) for h in notice["redirects"]] == [
        ("https://news.harbour-gazette.test/notices/odesa", 301)]
    assert notice["final_url"].endswith("/2021/12/16/odesa-port-reopens.html")
    assert notice["title"] == "Port of Odesa reopens to grain ships"  # gzip, once chunked
    mirror = links["https://mirror.grain-wire.test/syndication/odesa-port-reopens.html"]
    assert mirror["title"] == notice["title"] and mirror["outcome"] == "ok"  # a revisit


def test_dedup_against_an_earlier_warc_and_replay_across_both(tmp_path):
    first, second = tmp_path / "first.warc.gz", tmp_path / "second.warc.gz"
    live = live_audit("nato-grushko", first)
    again = live_audit("nato-grushko", second, dedup_against=[str(first)])
    records = check_warc(second)
    originals = {r.get("WARC-Payload-Digest"): r for r in raw_records(first).records
                 if r.type == "response"}
    revisits = [r for r in records if r.type == "revisit"]
    nonempty = [r for r in raw_records(first).records if r.type == "response" and r.payload]
    assert len(revisits) == len(nonempty) == 3  # every page's payload, none stored twice
    assert not [r for r in records if r.type == "response" and r.payload]
    for rev in revisits:
        original = originals[rev.get("WARC-Payload-Digest")]
        assert rev.get("WARC-Refers-To") == original.get("WARC-Record-ID")
        assert rev.get("WARC-Refers-To-Target-URI") == original.get("WARC-Target-URI")
        assert rev.get("WARC-Refers-To-Date") == original.get("WARC-Date")
    assert comparable(again) == comparable(live)

    both = replay_cli(second, first, article=ARTICLES["nato-grushko"])
    assert comparable(json.loads(both.stdout)) == comparable(live)

    alone = json.loads(replay_cli(second, article=ARTICLES["nato-grushko"]).stdout)
    errors = [lk["error"] for lk in alone["articles"][0]["links"] if lk["outcome"] == "error"]
    assert errors and all("revisit" in e and "--replay" in e for e in errors)


# --- WARCs written by other tools ----------------------------------------------

PAGE = b"<html><head><title>Foreign capture</title></head><body><p>hello</p></body></html>"


def _chunked(data: bytes, size: int = 17) -> bytes:
    parts = [data[i:i + size] for i in range(0, len(data), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def _warcio_response(writer, url, headers, body, warc_headers=None):
    http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
    rec = writer.create_warc_record(url, "response", payload=BytesIO(body), length=len(body),
                                    http_headers=http, warc_headers_dict=warc_headers or {})
    writer.write_record(rec)
    return rec


def test_a_foreign_warc_with_chunk_framing_kept_replays_dechunked(tmp_path):
    path = tmp_path / "foreign.warc.gz"
    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=True)  # warcio's defaults: WARC/1.0
        _warcio_response(w, "https://framed.test/a", [
            ("Content-Type", "text/html"), ("Content-Encoding", "gzip"),
            ("Transfer-Encoding", "chunked")], _chunked(gzip.compress(PAGE)))
        # a tool that de-chunked the body but kept the header
        _warcio_response(w, "https://framed.test/b", [
            ("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")], PAGE)
        # and one that stored the body decoded but kept Content-Encoding
        _warcio_response(w, "https://framed.test/c", [
            ("Content-Type", "text/html"), ("Content-Encoding", "gzip")], PAGE)
    stored = ReplayTransport([path]).responses
    assert stored["https://framed.test/c"].body == PAGE
    assert "content-encoding" not in {k.lower() for k, _ in stored["https://framed.test/c"].headers}
    assert ("Content-Encoding", "gzip") in stored["https://framed.test/a"].headers
    for url in ("https://framed.test/a", "https://framed.test/b"):
        assert "transfer-encoding" not in {k.lower() for k, _ in stored[url].headers}
    assert gzip.decompress(stored["https://framed.test/a"].body) == PAGE
    assert stored["https://framed.test/b"].body == PAGE
    draft = tmp_path / "d.md"
    draft.write_text("[a](https://framed.test/a), [b](https://framed.test/b), "
                     "[c](https://framed.test/c)\n")
    report = asyncio.run(run_audit([str(draft)], AuditOptions(replay=[str(path)])))
    for res in report.articles[0].links.values():
        assert res.outcome.value == "ok" and res.meta.title == "Foreign capture"


def test_a_foreign_revisit_resolves_to_its_original_in_another_file(tmp_path):
    first, second = tmp_path / "one.warc.gz", tmp_path / "two.warc.gz"
    with open(first, "wb") as f:
        original = _warcio_response(WARCWriter(f, gzip=True), "https://tool.test/page",
                                    [("Content-Type", "text/html")], PAGE)
    digest = original.rec_headers.get_header("WARC-Payload-Digest")
    with open(second, "wb") as f:
        w = WARCWriter(f, gzip=True)
        rev = w.create_revisit_record(
            "https://tool.test/copy", digest, "https://tool.test/page",
            original.rec_headers.get_header("WARC-Date"),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                          protocol="HTTP/1.1"))
        w.write_record(rev)
    stored = ReplayTransport([second, first]).responses["https://tool.test/copy"]
    assert stored.body == PAGE and stored.missing is None
    assert ReplayTransport([second]).responses["https://tool.test/copy"].missing


def test_dechunk():
    assert dechunk(_chunked(PAGE)) == PAGE
    assert dechunk(b"1;ext=1\r\na\r\n0\r\nTrailer: x\r\n\r\n") == b"a"
    assert dechunk(PAGE) is None  # not chunked after all
    assert dechunk(_chunked(PAGE)[:30]) is not None  # cut short: what arrived
