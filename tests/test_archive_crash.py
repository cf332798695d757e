"""Crash safety: an audit killed with SIGKILL (no handler runs, nothing is
closed) leaves NAME.warc.gz.open whose complete records all read back."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from linkcheck.archive.replay import ReplayTransport
from tests.support.server import FaultServer, hang, respond
from tests.support.warcs import check_invariants, raw_records, run_tools

ROOT = Path(__file__).resolve().parent.parent
FAST = ("/a", "/b", "/c")


def page(name: str) -> str:
    return f"<html><head><title>page {name}</title></head><body><p>{name}</p></body></html>"


def wait_for_responses(path: Path, count: int, proc: subprocess.Popen, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        if path.exists():
            found = [r for r in raw_records(path).records if r.type == "response"]
            if len(found) >= count:
                return
        time.sleep(0.05)
    raise AssertionError(f"fewer than {count} responses in {path} after {timeout}s")


def test_a_killed_audit_leaves_complete_readable_records(tmp_path):
    warc = tmp_path / "killed.warc.gz"
    open_path = tmp_path / "killed.warc.gz.open"
    with FaultServer() as srv:
        for name in FAST:
            srv.route(name, respond(200, page(name)))
        srv.route("/slow", hang())
        draft = tmp_path / "draft.md"
        draft.write_text("".join(f"[{n}]({srv.url(n)})\n" for n in (*FAST, "/slow")))
        proc = subprocess.Popen(
            [sys.executable, "-m", "linkcheck", "audit", str(draft), "--warc", str(warc),
             "--allow-private", "--no-cache", "--timeout", "60", "--retries", "0",
             "--per-host", "4"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_for_responses(open_path, len(FAST), proc)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    assert open_path.exists() and not warc.exists()  # never renamed: visibly unfinished

    left = raw_records(open_path)
    assert not left.partial_tail
    check_invariants(left.records)
    assert [r.type for r in left.records[:2]] == ["warcinfo", "resource"]
    captured = {r.get("WARC-Target-URI") for r in left.records if r.type == "response"}
    assert captured == {srv.url(n) for n in FAST}
    assert len(run_tools(open_path)) == len(left.records)  # warcio check + index, cdxj-indexer

    # what was captured replays
    replay = ReplayTransport([open_path])
    for name in FAST:
        assert replay.responses[srv.url(name)].body == page(name).encode()

    # killed in the middle of writing a record: the ones before it still read back
    cut = tmp_path / "cut.warc.gz.open"
    shutil.copy(open_path, cut)
    last = left.records[-1].offset
    with open(cut, "r+b") as f:
        f.truncate(last + (cut.stat().st_size - last) // 2)
    partial = raw_records(cut)
    assert partial.partial_tail and len(partial.records) == len(left.records) - 1
    check_invariants(partial.records[:-1] if partial.records[-1].type == "response"
                     else partial.records)
