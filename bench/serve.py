"""A latency-injecting server for the benchmark, in its own process so its CPU
does not compete with the client's. Prints its port, then serves until stdin
closes or --lifetime seconds pass (it always stops by itself)."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.server import FaultServer, respond  # noqa: E402

PAGE = ("<!doctype html><html><head><title>Benchmark page</title></head><body><article>"
        "<h1>Benchmark page</h1><p>" + "Some text. " * 40 + "</p></article></body></html>")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.05)
    parser.add_argument("--lifetime", type=float, default=900)
    args = parser.parse_args()
    with FaultServer(hosts=args.hosts) as srv:
        # LinkChecker throttles each host unless the server names it in a header.
        srv.default(respond(200, PAGE, delay=args.delay, headers={"LinkChecker": "benchmark"}))
        print(srv.port, flush=True)
        done = threading.Event()
        threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
        deadline = time.monotonic() + args.lifetime
        while not done.is_set() and time.monotonic() < deadline:
            done.wait(0.5)


if __name__ == "__main__":
    main()
