"""Extraction speed and memory on very large drafts: `linkcheck extract` as a
child process (wall time and peak RSS from wait4), no network.

Target: 200,000 bare links extracted in under 10 s and 500 MB. The shapes are
the ones that used to be quadratic: one link a line, a megabyte on one line,
links in long paragraphs, reference-style Markdown links. Markdown drafts are
parsed by markdown-it-py, which costs about 0.3 ms a link on its own: they are
measured (and must stay linear) but the target is for bare URLs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUN_LIMIT = 600  # seconds one run may take
# The child reports its own peak RSS (VmHWM) at exit: a forked child's getrusage
# maximum would count the pages it shared with this process before exec.
WRAPPER = """
import atexit, runpy, sys
peak = sys.argv.pop(1)
def report():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            open(peak, "w").write(line.split()[1])
atexit.register(report)
sys.argv[0] = "linkcheck"
runpy.run_module("linkcheck", run_name="__main__")
"""
TARGET_SECONDS, TARGET_MB = 10.0, 500.0


def drafts(n: int) -> dict[str, tuple[str, str]]:
    """name -> (file name, text), each with about n links."""
    url = "https://site{0}.test/articles/{0}/a-page-about-things?id={0}"
    return {
        "link lines (txt)": ("lines.txt", "".join(url.format(i) + "\n" for i in range(n))),
        "one 1 MB line (txt)": ("oneline.txt", " ".join(
            f"see {url.format(i)} and" for i in range(1_000_000 // 64))),
        "paragraphs (txt)": ("paras.txt", "\n\n".join(
            " ".join(f"Word {url.format(i * 20 + j)} said so." for j in range(20))
            for i in range(n // 20))),
        "reference links (md)": ("refs.md", "".join(f"[ref {i}][r{i}]\n" for i in range(n // 4))
                                 + "\n" + "".join(f"[r{i}]: {url.format(i)}\n"
                                                  for i in range(n // 4))),
        "inline links (md)": ("inline.md", "".join(f"- [item {i}]({url.format(i)}) text.\n"
                                                   for i in range(n))),
    }


def measure(path: Path) -> tuple[float, float, int, int]:
    """(seconds, peak MB, exit status, links listed) of `linkcheck extract --format json`."""
    out, peak = path.with_suffix(".out"), path.with_suffix(".peak")
    started = time.monotonic()
    with open(out, "wb") as f:
        proc = subprocess.Popen([sys.executable, "-c", WRAPPER, str(peak), "extract",
                                 str(path), "--format", "json"], stdout=f,
                                stderr=subprocess.DEVNULL)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > RUN_LIMIT:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
    seconds = time.monotonic() - started
    count = out.read_bytes().count(b'"url"')
    out.unlink()
    try:
        mb = int(peak.read_text()) / 1024
    except (OSError, ValueError):  # killed at the time limit
        mb = usage.ru_maxrss / 1024
    return seconds, mb, os.waitstatus_to_exitcode(status), count


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--links", type=int, default=200_000)
    args = ap.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        print(f"extraction, about {args.links:,} links a draft (target < {TARGET_SECONDS:g} s, "
              f"< {TARGET_MB:g} MB)")
        for name, (file, text) in drafts(args.links).items():
            path = Path(tmp) / file
            path.write_text(text)
            seconds, mb, status, count = measure(path)
            within = status == 0 and seconds < TARGET_SECONDS and mb < TARGET_MB
            if file.endswith(".md"):
                verdict = "(markdown-it-py bound)" if status == 0 and mb < TARGET_MB \
                    else "FAILED"
                ok &= status == 0 and mb < TARGET_MB
            else:
                verdict = "ok" if within else "OVER TARGET"
                ok &= within
            print(f"  {name:24} {len(text) / 1e6:6.1f} MB {count:>8,} links "
                  f"{seconds:7.2f} s {mb:7.0f} MB  {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
