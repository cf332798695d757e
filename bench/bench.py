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
EXTRA: list[str] = []  # options the measured linkcheck knows (--no-archives: no archive lookups)


@dataclass
class Scenario:
    name: str
    links: int
    hosts: int
    latency_ms: float
    per_host: int
    concurrency: int = 128
    warc: bool = True
    jobs: int | None = None  # --jobs N (None: the default)
    page: str = "small"  # or "realistic": 47 KB with og:, JSON-LD and body text
    peers: tuple[str, ...] = ()  # which peers run it too

    @property
    def ideal(self) -> float:
        return math.ceil(self.links / self.hosts / self.per_host) * self.latency_ms / 1000


class Server:
    def __init__(self, hosts: int, latency_ms: float, page: str = "small"):
        self.proc = subprocess.Popen([PY, str(ROOT / "bench" / "serve.py"), "--hosts",
                                      str(hosts), "--delay", str(latency_ms / 1000),
                                      "--page", page],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())

    def stats(self) -> dict:
        self.proc.stdin.write("stats\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def clear(self) -> None:
        self.proc.stdin.write("clear\n")
        self.proc.stdin.flush()

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


@dataclass
class Run:
    wall: float  # seconds
    rss: float  # peak RSS in MB of the command (its largest process)
    status: int
    start: float  # time.monotonic() when it was started
    cpu: float  # CPU seconds of the command and its children (user + system)


def timed(cmd: list[str], env: dict | None = None) -> Run:
    """Run a command; on a shared machine its CPU time is the steadier figure."""
    wrapper = ("import resource, subprocess, sys, time; t = time.monotonic(); "
               "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
               "stderr=subprocess.DEVNULL); w = time.monotonic() - t; "
               "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
               "print(w, u.ru_maxrss, p.returncode, t, u.ru_utime + u.ru_stime)")
    out = subprocess.run([PY, "-c", wrapper, *cmd], capture_output=True, text=True,
                         timeout=RUN_LIMIT, env=env)
    wall, rss_kb, status, start, cpu = out.stdout.split()
    return Run(float(wall), int(rss_kb) / 1024, int(status), float(start), float(cpu))


def linkcheck_base(src: Path | None) -> tuple[list[str], dict | None]:
    """How to start linkcheck: this checkout's, or (--src DIR) another source tree
    run with this checkout's environment, for before/after figures."""
    if src is None:
        return [str(ROOT / ".venv" / "bin" / "linkcheck")], None
    # not `-m linkcheck`: that would put the current folder (this checkout) first
    start = (f"import sys; sys.path.insert(0, {str(src.resolve())!r}); "
             "from linkcheck.cli import main; main()")
    return [str(ROOT / ".venv" / "bin" / "python"), "-c", start], None


def linkcheck_cmd(base: list[str], article: Path, s: Scenario, work: Path) -> list[str]:
    cmd = [*base, "audit", str(article), "--allow-private",
           *EXTRA, "--no-cache", "--retries", "0", "--timeout", "10", "--per-host",
           str(s.per_host),
           "--concurrency", str(s.concurrency), "--format", "json", "--output",
           str(work / "report.json")]
    if s.jobs is not None:
        cmd += ["--jobs", str(s.jobs)]
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


def median_time(cmd: list[str], env: dict | None = None, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.monotonic()
        subprocess.run(cmd, capture_output=True, timeout=60, env=env)
        times.append(time.monotonic() - t)
    return sorted(times)[len(times) // 2]


def supports(base: list[str], env: dict | None, option: str) -> bool:
    out = subprocess.run([*base, "audit", "--help"], capture_output=True, text=True,
                         timeout=60, env=env)
    return option in out.stdout


def run_scenario(s: Scenario, base: list[str], env: dict | None, peers: bool) -> list[dict]:
    server = Server(s.hosts, s.latency_ms, s.page)
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            article = write_article(work, s, server.port)
            run = timed(linkcheck_cmd(base, article, s, work), env)
            stats = server.stats()
            report = json.loads((work / "report.json").read_text())
            ok = sum(lk["outcome"] == "ok" for lk in report["articles"][0]["links"])
            rows.append({"scenario": s.name, "tool": "linkcheck", "wall": run.wall,
                         "rss": run.rss, "checked": ok, "status": run.status, "cpu": run.cpu,
                         "first_request": stats["first"] - run.start if stats["first"]
                         else None, "max_per_host": stats["max_per_host"]})
            for name, cmd in (peer_cmds(article, s) if peers else {}).items():
                if name not in s.peers:
                    continue
                server.clear()
                try:
                    run = timed(cmd)
                except subprocess.TimeoutExpired:
                    run = Run(float("inf"), 0.0, -1, 0.0, float("nan"))
                rows.append({"scenario": s.name, "tool": name, "wall": run.wall,
                             "rss": run.rss, "checked": None, "status": run.status,
                             "cpu": run.cpu, "max_per_host": server.stats()["max_per_host"]})
    finally:
        server.close()
    for r in rows:
        r["ideal"] = s.ideal
        r["ratio"] = r["wall"] / s.ideal if s.ideal else None
        r["links_per_s"] = s.links / r["wall"] if r["wall"] else None
    return rows


ALL_PEERS = ("lychee", "linkinator", "LinkChecker")


def scenarios(scale: int, jobs: bool) -> list[Scenario]:
    n = 10000 // scale
    out = [
        Scenario("600/12 50ms", 600 // scale, 12, 50, 4, concurrency=48, peers=ALL_PEERS),
        Scenario("1000/20 50ms", 1000 // scale, 20, 50, 4, concurrency=48, peers=ALL_PEERS),
        Scenario("10k 0ms warc", n, 50, 0, 8, jobs=1 if jobs else None),
    ]
    if jobs:
        out.append(Scenario("10k 0ms warc j2", n, 50, 0, 8, jobs=2))
    out += [
        # LinkChecker takes minutes here (about 130 s): it runs the 50 ms cases only
        Scenario("10k 0ms no warc", n, 50, 0, 8, warc=False,
                 peers=("lychee", "linkinator")),
        Scenario("10k 0ms 47KB", n, 50, 0, 8, page="realistic", jobs=1 if jobs else None),
    ]
    if jobs:
        out.append(Scenario("10k 0ms 47KB j2", n, 50, 0, 8, page="realistic", jobs=2))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--no-peers", action="store_true", help="linkcheck only")
    parser.add_argument("--src", type=Path, help="benchmark the linkcheck source tree in "
                        "this folder instead of this checkout (before/after figures)")
    parser.add_argument("--only", help="run only the scenarios whose name contains this")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    base, env = linkcheck_base(args.src)
    jobs = supports(base, env, "--jobs")
    if supports(base, env, "--no-archives"):
        EXTRA.append("--no-archives")
    print(f"linkcheck --help: {median_time([*base, '--help'], env):.3f} s (target < 0.1 s); "
          f"linkcheck rules: {median_time([*base, 'rules'], env):.3f} s (target < 0.15 s)",
          flush=True)
    header = (f"{'scenario':<17}{'tool':<12}{'links':>6}{'wall s':>8}{'ideal s':>8}"
              f"{'ratio':>7}{'links/s':>8}{'CPU ms/link':>12}{'RSS MB':>7}{'host max':>9}"
              f"{'1st req':>8}  checked")
    print(header)
    results = []
    for s in scenarios(scale, jobs):
        if args.only and args.only not in s.name:
            continue
        rows = run_scenario(s, base, env, peers=not args.no_peers)
        results.extend(rows)
        for r in rows:
            ratio = f"{r['ratio']:.2f}" if r["ratio"] else "-"
            first = f"{r['first_request']:.3f}" if r.get("first_request") else "-"
            print(f"{s.name:<17}{r['tool']:<12}{s.links:>6}{r['wall']:>8.2f}{s.ideal:>8.2f}"
                  f"{ratio:>7}{r['links_per_s']:>8.0f}{1000 * r['cpu'] / s.links:>12.2f}"
                  f"{r['rss']:>7.0f}"
                  f"{r['max_per_host']:>9}{first:>8}  "
                  f"{r['checked'] if r['checked'] is not None else '-'}", flush=True)
    mine = {r["scenario"]: r for r in results if r["tool"] == "linkcheck"}
    for r in results:
        if r["tool"] != "linkcheck" and r["wall"]:
            ours = mine[r["scenario"]]["wall"]
            print(f"{r['scenario']}: linkcheck takes {ours / r['wall']:.2f}x {r['tool']}'s time")
    for one, two in (("10k 0ms warc", "10k 0ms warc j2"), ("10k 0ms 47KB", "10k 0ms 47KB j2")):
        if one in mine and two in mine:
            print(f"{one}: --jobs 2 is {mine[one]['wall'] / mine[two]['wall']:.2f}x "
                  "--jobs 1 (target >= 1.7)")
    out = ROOT / ".bench-cache" / "last.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    os.environ.setdefault("CI", "true")  # no progress bars in the figures
    main()
