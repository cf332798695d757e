"""Host shards (--jobs): every link of a host in one shard, limits observed at the
server, one valid WARC with every exchange, and the same report as one process."""

import json
import subprocess
import sys
from pathlib import Path

from linkcheck.model import Outcome
from linkcheck.resolve.settings import ResolveSettings
from linkcheck.resolve.shards import default_jobs, run_shard, split_by_host
from tests.support.server import FaultServer, redirect, respond
from tests.support.warcs import check_warc

PAGE = "<html><head><title>{0}</title></head><body><h1>{0}</h1><p>text</p></body></html>"


def test_every_url_of_a_host_lands_in_one_shard_and_shards_are_balanced():
    urls = ([f"http://a.example-news.org/{i}" for i in range(6)]
            + [f"http://B.example-news.org:8080/{i}" for i in range(4)]
            + [f"http://b.example-news.org/{i}" for i in range(1)]
            + [f"https://c.example-news.org/{i}" for i in range(5)])
    shards = split_by_host(urls, 2)
    assert sorted(u for s in shards for u in s) == sorted(urls)
    for host in ("a.", "b.", "c."):
        holding = [s for s in shards if any(host in u.lower() for u in s)]
        assert len(holding) == 1, host
    assert sorted(len(s) for s in shards) == [5, 11] or sorted(len(s) for s in shards) == [
        6, 10]
    assert split_by_host(urls, 8) and len(split_by_host(urls, 8)) == 3  # no empty shards


def test_a_small_audit_or_a_single_host_runs_in_one_process():
    assert default_jobs([f"http://a.example-news.org/{i}" for i in range(5000)]) == 1
    assert default_jobs([f"http://h{i}.example-news.org/" for i in range(10)]) == 1


def test_a_shard_on_its_own_writes_a_complete_warc(tmp_path):
    with FaultServer() as srv:
        srv.route("/a", respond(200, PAGE.format("shard page")))
        warc = tmp_path / "shard.warc.gz"
        result = run_shard([f"{srv.base()}/a"], ResolveSettings(allow_private=True), warc)
    (res,) = result.resolutions.values()
    assert res.outcome is Outcome.OK and res.meta.title == "shard page"
    records = check_warc(warc)
    assert [r.type for r in records] == ["warcinfo", "response", "request"]
    assert result.captured == {f"{srv.base()}/a": records[1].get("WARC-Date")}


def _audit(draft: Path, warc: Path, jobs: int) -> dict:
    out = subprocess.run([sys.executable, "-m", "linkcheck", "audit", str(draft),
                          "--allow-private", "--format", "json", "--no-cache", "--warc",
                          str(warc), "--jobs", str(jobs), "--per-host", "2"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)


def _without_timings(report: dict) -> dict:
    for article in report["articles"]:
        for link in article["links"]:
            link.pop("elapsed", None)
    report.pop("warc", None)
    return report


def test_two_processes_give_the_same_report_and_one_valid_warc(tmp_path):
    with FaultServer(hosts=4) as srv:
        srv.default(respond(200, PAGE.format("a page"), delay=0.05))
        srv.route("/moved", redirect(f"{srv.base(2)}/landing", 301))
        srv.route("/gone", respond(404, "no"))
        urls = [f"{srv.base(1 + i % 4)}/story/{i}" for i in range(40)]
        urls += [f"{srv.base(1)}/moved", f"{srv.base(3)}/gone"]
        draft = tmp_path / "draft.md"
        draft.write_text("# Links\n\n" + "\n".join(f"- [source {i}]({u})"
                                                    for i, u in enumerate(urls)) + "\n")
        one = _audit(draft, tmp_path / "one.warc.gz", 1)
        srv.clear()
        two = _audit(draft, tmp_path / "two.warc.gz", 2)
        assert max(srv.max_in_flight.values()) <= 2  # per host, across processes
    assert _without_timings(two) == _without_timings(one)
    records = check_warc(tmp_path / "two.warc.gz")
    assert [r.type for r in records].count("warcinfo") == 1
    captures = [r for r in records if r.type in ("response", "revisit")]
    assert len(captures) == len(urls) + 1  # the redirect's two hops both captured
    # the same page stored whole once per shard (revisits do not cross shards)
    pages = [r for r in records if r.type == "response" and b"a page" in r.block]
    assert len(pages) == 2
    info = records[0].get("WARC-Record-ID")
    assert all(r.get("WARC-Warcinfo-ID") == info for r in records[1:]
               if r.type != "warcinfo")
    assert not list(tmp_path.glob("*.part*"))


def test_an_interrupt_stops_every_shard_and_keeps_the_warc_whole(tmp_path):
    import signal
    import time

    from tests.support.server import hang

    with FaultServer(hosts=2) as srv:
        srv.route("/fast", respond(200, PAGE.format("fast")))
        srv.route("/slow", hang())
        draft = tmp_path / "draft.txt"
        draft.write_text(f"{srv.base(1)}/fast\n{srv.base(2)}/slow\n")
        warc = tmp_path / "snap.warc.gz"
        proc = subprocess.Popen([sys.executable, "-m", "linkcheck", "audit", str(draft),
                                 "--allow-private", "--format", "json", "--warc", str(warc),
                                 "--no-cache", "--timeout", "30", "--jobs", "2"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 20
        while not srv.hits_for("/slow") and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 143, err
    links = {lk["url"]: lk for lk in json.loads(out)["articles"][0]["links"]}
    assert links[f"{srv.base(1)}/fast"]["outcome"] == "ok"
    assert links[f"{srv.base(2)}/slow"]["outcome"] == "skipped"
    records = check_warc(warc)
    assert [r.type for r in records].count("response") == 1
    assert not list(tmp_path.glob("*.part*")) and not Path(str(warc) + ".open").exists()
