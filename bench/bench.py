"""Speed and memory benchmark: linkcheck against a local latency-injecting
server, and the peer link checkers on the same links when they are installed
(`make bench-peers` installs them under .bench-cache/).

For N links over H hosts each answering after L ms with per-host limit P, the
ideal wall time is ceil(N / H / P) * L: every host busy at its limit all the
time. We print wall time, that bound, their ratio and peak RSS.

Traffic goes only to 127.0.0.0/8, and every run is bounded in time.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".bench-cache"
PY = sys.executable
RUN_LIMIT = 600  # seconds any single tool run may take


@dataclass
class Scenario:
    name: str
    links: int
    hosts: int
    latency_ms: float
    per_host: int
    concurrency: int = 128
    warc: bool = True

    @property
    def ideal(self) -> float:
        return math.ceil(self.links / self.hosts / self.per_host) * self.latency_ms / 1000


class Server:
    def __init__(self, hosts: int, latency_ms: float):
        self.proc = subprocess.Popen([PY, str(ROOT / "bench" / "serve.py"), "--hosts",
                                      str(hosts), "--delay", str(latency_ms / 1000)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.stdin.close()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def write_article(folder: Path, s: Scenario, port: int) -> Path:
    lines = [f"# Benchmark article\n\n{s.links} links over {s.hosts} hosts.\n"]
    for i in range(s.links):
        lines.append(f"- [source {i}](http://127.0.0.{1 + i % s.hosts}:{port}/story/{i})")
    path = folder / "article.md"
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o644)
    folder.chmod(0o755)  # LinkChecker drops to "nobody" when run as root
    return path


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB of the command, exit status)."""
    wrapper = ("import resource, subprocess, sys, time; t = time.monotonic(); "
               "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
               "stderr=subprocess.DEVNULL); w = time.monotonic() - t; "
               "print(w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode)")
    out = subprocess.run([PY, "-c", wrapper, *cmd], capture_output=True, text=True,
                         timeout=RUN_LIMIT, env=env)
    wall, rss_kb, status = out.stdout.split()
    return float(wall), int(rss_kb) / 1024, int(status)


def linkcheck_cmd(article: Path, s: Scenario, work: Path) -> list[str]:
    cmd = [str(ROOT / ".venv" / "bin" / "linkcheck"), "audit", str(article), "--allow-private",
           "--no-cache", "--no-archives", "--retries", "0", "--timeout", "10", "--per-host",
           str(s.per_host),
           "--concurrency", str(s.concurrency), "--format", "json", "--output",
           str(work / "report.json")]
    return cmd + (["--warc", str(work / "bench.warc.gz")] if s.warc else ["--no-warc"])


def peer_cmds(article: Path, s: Scenario) -> dict[str, list[str]]:
    cmds = {}
    lychee = _cached("venv/bin/lychee") or shutil.which("lychee")
    if lychee:
        cmds["lychee"] = [lychee, "--no-progress", "--format", "json", "--max-concurrency",
                          str(s.concurrency), "--host-concurrency", str(s.per_host),
                          "--host-request-interval", "0s", "--timeout", "10",
                          "--max-retries", "0", str(article)]
    linkchecker = _cached("venv/bin/linkchecker") or shutil.which("linkchecker")
    if linkchecker:
        cmds["LinkChecker"] = [linkchecker, "--no-status", "--threads", str(s.concurrency),
                               "--timeout", "10", "-o", "none", str(article)]
    linkinator = _cached("node_modules/.bin/linkinator")
    if linkinator:
        cmds["linkinator"] = [linkinator, str(article), "--format", "json", "--concurrency",
                              str(s.concurrency), "--timeout", "10000", "--markdown"]
    return cmds


def _cached(rel: str) -> str | None:
    path = CACHE / rel
    return str(path) if path.exists() else None


def startup_time() -> float:
    exe = str(ROOT / ".venv" / "bin" / "linkcheck")
    runs = []
    for _ in range(5):
        t = time.monotonic()
        subprocess.run([exe, "--help"], capture_output=True, timeout=60)
        runs.append(time.monotonic() - t)
    return sorted(runs)[len(runs) // 2]


def run_scenario(s: Scenario, peers: bool) -> list[dict]:
    server = Server(s.hosts, s.latency_ms)
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            article = write_article(work, s, server.port)
            wall, rss, status = timed(linkcheck_cmd(article, s, work))
            report = json.loads((work / "report.json").read_text())
            ok = sum(lk["outcome"] == "ok" for lk in report["articles"][0]["links"])
            rows.append({"scenario": s.name, "tool": "linkcheck", "wall": wall, "rss": rss,
                         "checked": ok, "status": status})
            for name, cmd in (peer_cmds(article, s) if peers else {}).items():
                try:
                    pw, prss, pstatus = timed(cmd)
                except subprocess.TimeoutExpired:
                    pw, prss, pstatus = float("inf"), 0.0, -1
                rows.append({"scenario": s.name, "tool": name, "wall": pw, "rss": prss,
                             "checked": None, "status": pstatus})
    finally:
        server.close()
    for r in rows:
        r["ideal"] = s.ideal
        r["ratio"] = r["wall"] / s.ideal if s.ideal else None
        r["links_per_s"] = s.links / r["wall"] if r["wall"] else None
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--no-peers", action="store_true", help="linkcheck only")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    scenarios = [
        Scenario("politeness", 1000 // scale, 20, 50, 4),
        Scenario("memory, WARC on", 10000 // scale, 50, 0, 8, concurrency=128),
        Scenario("throughput, 0 ms", 10000 // scale, 50, 0, 8, concurrency=128, warc=False),
    ]
    print(f"linkcheck --help start-up: {startup_time():.3f} s (target < 0.3 s)")
    header = (f"{'scenario':<18}{'tool':<13}{'links':>7}{'wall s':>9}{'ideal s':>9}"
              f"{'ratio':>7}{'links/s':>9}{'RSS MB':>8}  checked")
    print(header)
    results = []
    for s in scenarios:
        rows = run_scenario(s, peers=not args.no_peers and s.name != "memory, WARC on")
        results.extend(rows)
        for r in rows:
            ratio = f"{r['ratio']:.2f}" if r["ratio"] else "-"
            print(f"{s.name:<18}{r['tool']:<13}{s.links:>7}{r['wall']:>9.2f}{s.ideal:>9.2f}"
                  f"{ratio:>7}{r['links_per_s']:>9.0f}{r['rss']:>8.0f}  "
                  f"{r['checked'] if r['checked'] is not None else '-'}", flush=True)
    mine = {r["scenario"]: r for r in results if r["tool"] == "linkcheck"}
    for r in results:
        if r["tool"] != "linkcheck" and r["wall"]:
            ours = mine[r["scenario"]]["wall"]
            print(f"{r['scenario']}: linkcheck takes {ours / r['wall']:.2f}x {r['tool']}'s time")
    out = ROOT / ".bench-cache" / "last.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    os.environ.setdefault("CI", "true")  # no progress bars in the figures
    main()
