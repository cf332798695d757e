"""Catalogue benchmark: N synthetic articles (Markdown files) citing L
distinct links over H local hosts (bench/hosts.py, its own process) at each
latency; `linkcheck catalogue audit` single-process and with --workers 2.

Reports links/s, the wall time against the politeness bound
ceil(L / H / per-host) x latency, peak RSS of the coordinator and of each
worker process (polled), the store's size, and a resume check: an audit
SIGKILLed part-way and run again must end with exactly one check per link.

    .venv/bin/python bench/catalogue.py            # 5,000 / 100,000 / 500, 0 and 50 ms
    .venv/bin/python bench/catalogue.py --scale 0.1

Traffic goes only to 127.0.0.0/8; every run is bounded in time.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
LINKCHECK = [PY, "-m", "linkcheck"]
RUN_LIMIT = 1800


def host(k: int) -> str:
    return f"127.0.{1 + k // 250}.{1 + k % 250}"


class Server:
    def __init__(self, hosts: int, latency_ms: float):
        self.proc = subprocess.Popen([PY, str(ROOT / "bench" / "hosts.py"), "--hosts",
                                      str(hosts), "--delay", str(latency_ms / 1000)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())

    def close(self) -> dict:
        self.proc.stdin.close()
        try:
            stats = json.loads(self.proc.stdout.readline() or "{}")
            self.proc.wait(10)
        except (subprocess.TimeoutExpired, json.JSONDecodeError):
            self.proc.kill()
            stats = {}
        return stats


def write_articles(folder: Path, articles: int, links: int, hosts: int, port: int) -> None:
    """Article i cites its own share of the links (each cited once) and two
    links every article cites (fetched once all the same)."""
    folder.mkdir()
    per = links // articles
    shared = [f"http://{host(0)}:{port}/shared/{k}" for k in range(2)]
    for i in range(articles):
        year = 1998 + i % 25
        cited = [f"http://{host(n % hosts)}:{port}/story/{n}"
                 for n in range(i * per, (i + 1) * per)]
        body = "\n".join(f"- [source {j}]({u})" for j, u in enumerate(cited + shared))
        (folder / f"{i:06d}.md").write_text(f"---\ndate: {year}-05-01\n---\n# Story {i}\n\n"
                                            f"{body}\n")


class Peaks:
    """Polls the RSS of a process and its descendants; keeps each one's peak."""

    def __init__(self, pid: int):
        import psutil

        self.root = psutil.Process(pid)
        self.peaks: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                return
            for p in procs:
                try:
                    rss = p.memory_info().rss / 2 ** 20
                    kind = "coordinator" if p.pid == self.root.pid else (
                        "worker" if "spawn_main" in " ".join(p.cmdline()) else "other")
                except psutil.Error:
                    continue
                old = self.peaks.get(p.pid, (kind, 0.0))[1]
                self.peaks[p.pid] = (kind, max(old, rss))
            time.sleep(0.2)

    def stop(self) -> dict[str, list[float]]:
        self._stop.set()
        self._thread.join(2)
        out: dict[str, list[float]] = {}
        for kind, rss in self.peaks.values():
            out.setdefault(kind, []).append(round(rss))
        return out


def audit_cmd(db: Path, warcs: Path, args, workers: int | None) -> list[str]:
    cmd = [*LINKCHECK, "catalogue", "audit", "--store", str(db), "--warc-dir", str(warcs),
           "--allow-private", "--retries", "0", "--timeout", "30", "--per-host",
           str(args.per_host), "--concurrency", str(args.concurrency)]
    return cmd + (["--workers", str(workers)] if workers else [])


def timed_audit(db: Path, warcs: Path, args, workers: int | None) -> dict:
    started = time.monotonic()
    proc = subprocess.Popen(audit_cmd(db, warcs, args, workers), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "CI": "1"})
    peaks = Peaks(proc.pid)
    out, err = proc.communicate(timeout=RUN_LIMIT)
    wall = time.monotonic() - started
    rss = peaks.stop()
    if proc.returncode != 0:
        raise SystemExit(f"audit failed ({proc.returncode}): {err[-2000:]}")
    con = sqlite3.connect(db)
    checks = con.execute("SELECT COUNT(*) FROM checks").fetchone()[0]
    con.close()
    return {"wall": wall, "checks": checks, "rss": rss, "output": out.strip().splitlines()[0]}


def resume_check(db: Path, warcs: Path, args, links: int) -> dict:
    proc = subprocess.Popen(audit_cmd(db, warcs, args, None), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env={**os.environ, "CI": "1"})
    deadline = time.monotonic() + RUN_LIMIT
    killed_at = 0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            con = sqlite3.connect(db, timeout=5)
            killed_at = con.execute("SELECT COUNT(*) FROM checks").fetchone()[0]
            con.close()
        except sqlite3.OperationalError:
            pass
        if killed_at >= links * 0.4:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.1)
    proc.wait(60)
    subprocess.run(audit_cmd(db, warcs, args, None), capture_output=True, timeout=RUN_LIMIT,
                   check=True)
    con = sqlite3.connect(db)
    checks, distinct = con.execute("SELECT COUNT(*), COUNT(DISTINCT link_id) FROM checks"
                                   ).fetchone()
    con.close()
    return {"killed_after": killed_at, "checks": checks, "distinct": distinct,
            "ok": checks == distinct == links}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--links", type=int, default=100_000)
    parser.add_argument("--hosts", type=int, default=500)
    parser.add_argument("--latency", default="0,50", help="milliseconds, comma-separated")
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=512)
    parser.add_argument("--workers", type=int, default=2, help="0: single-process only")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply articles and links")
    parser.add_argument("--no-resume-check", action="store_true")
    parser.add_argument("--skip-single", action="store_true",
                        help="only the --workers run (the single-process one measured apart)")
    args = parser.parse_args()
    articles, links = int(args.articles * args.scale), int(args.links * args.scale)
    distinct = links // articles * articles + 2
    rows = []
    for latency in [float(x) for x in args.latency.split(",")]:
        server = Server(args.hosts, latency)
        try:
            with tempfile.TemporaryDirectory() as tmp:
                work = Path(tmp)
                write_articles(work / "articles", articles, links, args.hosts, server.port)
                base = work / "base.db"
                subprocess.run([*LINKCHECK, "catalogue", "add", str(work / "articles"),
                                "--store", str(base)], check=True, capture_output=True,
                               timeout=RUN_LIMIT)
                runs = (None, args.workers) if args.workers else (None,)
                for workers in runs[1:] if args.skip_single and args.workers else runs:
                    db = work / f"w{workers or 1}.db"
                    shutil.copy(base, db)
                    r = timed_audit(db, work / f"warcs{workers or 1}", args, workers)
                    bound = math.ceil(distinct / args.hosts / args.per_host) * latency / 1000
                    rows.append({
                        "latency_ms": latency, "workers": workers or 1, "links": r["checks"],
                        "wall_s": round(r["wall"], 1), "links_per_s": round(r["checks"]
                                                                            / r["wall"]),
                        "politeness_bound_s": bound,
                        "x_bound": round(r["wall"] / bound, 2) if bound else None,
                        "rss_mb": r["rss"], "store_mb": round(db.stat().st_size / 2 ** 20, 1),
                        "warc_mb": round(sum(f.stat().st_size for f in
                                             (work / f"warcs{workers or 1}").glob("*.warc.gz"))
                                         / 2 ** 20, 1)})
                    print(json.dumps(rows[-1]), flush=True)
                if latency == 0 and not args.no_resume_check:
                    db = work / "resume.db"
                    shutil.copy(base, db)
                    check = resume_check(db, work / "warcs-resume", args, distinct)
                    print(json.dumps({"resume_after_sigkill": check}), flush=True)
        finally:
            server.close()
    one = {r["latency_ms"]: r for r in rows if r["workers"] == 1}
    for r in rows:
        if r["workers"] > 1 and r["latency_ms"] in one:
            speedup = r["links_per_s"] / one[r["latency_ms"]]["links_per_s"]
            print(f"{r['latency_ms']:g} ms: --workers {r['workers']} is {speedup:.2f}x "
                  "the single-process rate")


if __name__ == "__main__":
    main()
