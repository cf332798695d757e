"""The archive options on the command line: --index, --dedup-against,
--compare with bad files (one-line errors, exit 2), and `linkcheck snapshot`
against a local server."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.cli import run_cli
from tests.support.server import FaultServer, chunked, gzip, redirect, respond
from tests.support.warcs import BIN, check_warc

ROOT = Path(__file__).resolve().parent.parent
CASSETTE = ROOT / "cassettes" / "nato-grushko.warc.gz"
ARTICLE = ROOT / "examples" / "nato-grushko.txt"
PAGE = "<html><head><title>Local page</title></head><body><p>Local text.</p></body></html>"


def linkcheck(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return run_cli(*args, cwd=cwd)


def assert_one_line_error(proc: subprocess.CompletedProcess, needle: str) -> None:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("linkcheck: "), proc.stderr
    assert needle in lines[0] and "Traceback" not in proc.stderr


@pytest.mark.parametrize("flag", ["--compare", "--dedup-against"])
def test_an_earlier_snapshot_that_is_missing_or_not_a_warc_is_an_input_error(flag, tmp_path):
    out = str(tmp_path / "new.warc.gz")
    assert_one_line_error(linkcheck("audit", str(ARTICLE), "--replay", str(CASSETTE),
                                    "--warc", out, flag, str(tmp_path / "nope.warc.gz")),
                          "no such file")
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(b"not a warc\n" * 20)
    assert_one_line_error(linkcheck("audit", str(ARTICLE), "--replay", str(CASSETTE),
                                    "--warc", out, flag, str(bad)), "not a WARC")
    assert not Path(out).exists() and not Path(out + ".open").exists()


def test_an_unreadable_earlier_snapshot_is_an_input_error(tmp_path):
    locked = tmp_path / "locked.warc.gz"
    locked.write_bytes(CASSETTE.read_bytes())
    locked.chmod(0)
    try:
        if locked.open("rb"):  # root reads anything: nothing to test then
            pytest.skip("running as a user who can read mode-0 files")
    except PermissionError:
        pass
    finally:
        proc = linkcheck("audit", str(ARTICLE), "--replay", str(CASSETTE), "--no-warc",
                         "--compare", str(locked))
        locked.chmod(0o644)
    assert_one_line_error(proc, "Permission denied")


def test_a_folder_given_as_an_earlier_snapshot_is_an_input_error(tmp_path):
    assert_one_line_error(linkcheck("audit", str(ARTICLE), "--replay", str(CASSETTE),
                                    "--no-warc", "--compare", str(tmp_path)), "not a file")


def test_index_and_wacz_need_a_snapshot():
    assert_one_line_error(linkcheck("audit", str(ARTICLE), "--replay", str(CASSETTE),
                                    "--no-warc", "--index"), "need a snapshot")


def test_the_new_snapshot_may_not_overwrite_the_one_it_reads(tmp_path):
    old = tmp_path / "old.warc.gz"
    old.write_bytes(CASSETTE.read_bytes())
    assert_one_line_error(linkcheck("audit", str(ARTICLE), "--replay", str(CASSETTE),
                                    "--warc", str(old), "--dedup-against", str(old)),
                          "also the --warc")


def test_index_is_the_cdxj_that_cdxj_indexer_writes(tmp_path):
    warc = tmp_path / "audit.warc.gz"
    proc = linkcheck("audit", str(ARTICLE), "--replay", str(CASSETTE), "--warc", str(warc),
                     "--index", "--fail-on", "never")
    assert proc.returncode == 0, proc.stderr
    check_warc(warc)
    ours = (tmp_path / "audit.cdxj").read_text()
    theirs = subprocess.run([str(BIN / "cdxj-indexer"), "-p", "-s", "--records",
                             "response,revisit,resource", str(warc)],
                            capture_output=True, text=True, timeout=60).stdout
    assert ours == theirs
    urls = [line.split(" ", 2)[2] for line in ours.splitlines()]
    assert any("ria.ru" in u for u in urls) and not any("urn:linkcheck" in u for u in urls)


def test_snapshot_archives_urls_with_the_audit_machinery(tmp_path):
    warc = tmp_path / "snap.warc.gz"
    with FaultServer() as srv:
        srv.route("/gz", gzip(PAGE))
        srv.route("/chunked", chunked(PAGE, chunk_size=16))
        srv.route("/moved", redirect("/gz", 301))
        srv.route("/missing", respond(404, "<p>gone</p>"))
        urls = [srv.url(p) for p in ("/gz", "/chunked", "/moved", "/missing")]
        proc = linkcheck("snapshot", *urls, "--warc", str(warc), "--allow-private",
                         "--retries", "0", "--index", "--wacz")
    assert proc.returncode == 1, proc.stderr  # one URL is broken
    lines = proc.stdout.splitlines()
    assert lines[-1] == f"snapshot: {warc}"
    assert any(line.startswith("broken") and "/missing" in line for line in lines)
    records = check_warc(warc)
    info = records[0].block.decode()
    assert "operator-software: linkcheck snapshot" in info and "linkcheck-settings" in info
    captured = [r.get("WARC-Target-URI") for r in records if r.type in ("response", "revisit")]
    assert sorted(captured) == sorted(urls + [srv.url("/gz")])  # the redirect's target too
    (chunked_rec,) = [r for r in records if r.type == "response"
                      and r.get("WARC-Target-URI") == srv.url("/chunked")]
    assert chunked_rec.payload == PAGE.encode()
    assert ("X-Orig-Transfer-Encoding", "chunked") in chunked_rec.http_headers()
    assert (tmp_path / "snap.cdxj").exists() and (tmp_path / "snap.wacz").exists()


def test_snapshot_refuses_private_addresses_by_default(tmp_path):
    warc = tmp_path / "snap.warc.gz"
    with FaultServer() as srv:
        srv.route("/x", respond(200, PAGE))
        proc = linkcheck("snapshot", srv.url("/x"), "--warc", str(warc))
        assert not srv.hits
    assert proc.returncode == 1 and "private" in proc.stdout
    assert [r.type for r in check_warc(warc)] == ["warcinfo"]
