"""A live audit against a local server on 127.0.0.1: the CLI end to end, the
WARC it writes checked by warcio, and a replay of that WARC giving the same
outcomes."""

import json
import subprocess
import sys
import time
from pathlib import Path

from tests.support.cli import run_cli
from tests.support.server import FaultServer, hang, redirect, respond

PAGE = "<html><head><title>{0}</title></head><body><h1>{0}</h1></body></html>"


def links_by_url(report):
    return {lk["url"]: lk for lk in report["articles"][0]["links"]}


def test_live_audit_outcomes_warc_and_replay(tmp_path):
    with FaultServer() as srv:
        srv.route("/ok", respond(200, PAGE.format("Fine page")))
        srv.route("/gone", respond(404, PAGE.format("Not here")))
        srv.route("/a", redirect("/b", 301))
        srv.route("/b", redirect("/c", 302))
        srv.route("/c", respond(200, PAGE.format("After the chain")))
        srv.route("/loop1", redirect("/loop2", 302))
        srv.route("/loop2", redirect("/loop1", 302))
        srv.route("/slow", hang())
        base = srv.base()
        draft = tmp_path / "draft.md"
        draft.write_text("\n".join(f"- [{p}]({base}/{p})" for p in
                                   ("ok", "gone", "a", "loop1", "slow")) + "\n")
        warc = tmp_path / "snap.warc.gz"
        live = run_cli("audit", str(draft), "--allow-private", "--format", "json", "--warc",
                       str(warc), "--timeout", "1", "--retries", "0", "--no-cache")
    assert live.returncode == 1, live.stderr
    report = json.loads(live.stdout)
    links = links_by_url(report)
    assert links[f"{base}/ok"]["outcome"] == "ok"
    assert links[f"{base}/ok"]["title"] == "Fine page"
    assert (links[f"{base}/gone"]["outcome"], links[f"{base}/gone"]["status"]) == ("broken", 404)
    chain = links[f"{base}/a"]
    assert chain["outcome"] == "redirected" and chain["final_url"] == f"{base}/c"
    assert [h["status"] for h in chain["redirects"]] == [301, 302]
    assert links[f"{base}/loop1"]["outcome"] == "error"
    assert "loop" in links[f"{base}/loop1"]["error"]
    assert links[f"{base}/slow"]["outcome"] == "broken"
    assert links[f"{base}/slow"]["error_kind"] == "timeout"

    warcio = str(Path(sys.executable).with_name("warcio"))
    check = subprocess.run([warcio, "check", "-v", str(warc)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr

    replayed = run_cli("audit", str(draft), "--allow-private", "--format", "json",
                       "--replay", str(warc), "--no-warc")
    again = links_by_url(json.loads(replayed.stdout))
    for url in (f"{base}/ok", f"{base}/gone", f"{base}/a", f"{base}/loop1"):
        assert again[url]["outcome"] == links[url]["outcome"], url
        assert again[url]["final_url"] == links[url]["final_url"], url
    # the timed-out link was never answered, so the snapshot cannot replay it
    assert again[f"{base}/slow"]["outcome"] == "error"
    rules = lambda r: sorted((f["rule"], f["line"]) for f in r["articles"][0]["findings"]  # noqa
                             if "slow" not in f["url"])
    assert rules(json.loads(replayed.stdout)) == rules(report)


def test_private_targets_are_refused_without_allow_private(tmp_path):
    with FaultServer() as srv:
        srv.route("/x", respond(200, "hi"))
        draft = tmp_path / "draft.txt"
        draft.write_text(f"See {srv.base()}/x and http://169.254.169.254/latest/meta-data\n")
        proc = run_cli("audit", str(draft), "--format", "json", "--no-warc", "--no-cache")
        assert srv.hits == []
    findings = json.loads(proc.stdout)["articles"][0]["findings"]
    assert sorted(f["rule"] for f in findings) == ["private-address", "private-address"]
    assert proc.returncode == 1


def test_fifty_links_at_200ms_run_concurrently(tmp_path):
    with FaultServer(hosts=25) as srv:
        srv.default(respond(200, PAGE.format("slow but fine"), delay=0.2))
        draft = tmp_path / "many.txt"
        draft.write_text("\n".join(f"{srv.base(1 + i % 25)}/page{i}" for i in range(50)))
        started = time.monotonic()
        proc = run_cli("audit", str(draft), "--allow-private", "--format", "json",
                       "--no-warc", "--no-cache", "--per-host", "2")
        elapsed = time.monotonic() - started
    report = json.loads(proc.stdout)
    assert all(lk["outcome"] == "ok" for lk in report["articles"][0]["links"])
    # 50 sequential fetches would take 10 s; generous bound so slow machines do not flake.
    assert elapsed < 8, elapsed


def test_deep_link_sent_to_the_home_page_is_a_soft_404(tmp_path):
    with FaultServer() as srv:
        srv.route("/", respond(200, PAGE.format("Front page")))
        srv.route("/2021/12/17/story", redirect("/", 301))
        srv.route("/missing", respond(200, PAGE.format("Page not found")))
        draft = tmp_path / "draft.md"
        draft.write_text(f"[story]({srv.base()}/2021/12/17/story) [home]({srv.base()}/) "
                         f"[gone]({srv.base()}/missing)\n")
        proc = run_cli("audit", str(draft), "--allow-private", "--format", "json", "--no-warc",
                       "--no-cache")
    findings = json.loads(proc.stdout)["articles"][0]["findings"]
    soft = sorted(f["url"].rsplit("/", 1)[-1] for f in findings if f["rule"] == "soft-404")
    assert soft == ["missing", "story"]


def test_credentials_in_a_cited_url_are_never_sent_nor_archived(tmp_path):
    import gzip

    with FaultServer() as srv:
        srv.route("/ok", respond(200, PAGE.format("Fine page")))
        draft = tmp_path / "draft.txt"
        draft.write_text(f"See http://editor:s3cret@127.0.0.1:{srv.port}/ok today.\n")
        warc = tmp_path / "snap.warc.gz"
        proc = run_cli("audit", str(draft), "--allow-private", "--format", "json", "--warc",
                       str(warc), "--no-cache")
        (hit,) = srv.hits
    assert "authorization" not in hit.headers
    report = json.loads(proc.stdout)
    rules = [f["rule"] for f in report["articles"][0]["findings"]]
    assert rules == ["credentials-in-url"] and proc.returncode == 1
    records = gzip.decompress(warc.read_bytes())
    # the article itself is stored as audited; no fetched record names the password
    assert records.count(b"s3cret") == 1
