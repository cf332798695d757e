"""A small, fast HTTP/1.1 server for the catalogue benchmark: one port on
N loopback addresses (127.0.1.1, 127.0.1.2, ... 250 per /24 from 127.0.1.x),
every path answered with the same small page after --delay seconds, with
keep-alive. In its own process; prints its port, then serves until stdin
closes or --lifetime seconds pass. Counts requests per address and the
highest in flight per address, printed as JSON on stdout when it stops."""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import sys
import threading

PAGE = ("<!doctype html><html><head><title>Benchmark page</title></head><body><article>"
        "<h1>Benchmark page</h1><p>" + "Some text. " * 40 + "</p></article></body></html>"
        ).encode()
HEAD = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
        + str(len(PAGE)).encode() + b"\r\n\r\n")


def address(k: int) -> str:
    return f"127.0.{1 + k // 250}.{1 + k % 250}"


async def main(hosts: int, delay: float, lifetime: float) -> None:
    hits: dict[str, int] = {}
    flight: dict[str, int] = {}
    peak: dict[str, int] = {}

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        addr = writer.get_extra_info("sockname")[0]
        try:
            while True:
                try:
                    await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                hits[addr] = hits.get(addr, 0) + 1
                flight[addr] = flight.get(addr, 0) + 1
                peak[addr] = max(peak.get(addr, 0), flight[addr])
                if delay:
                    await asyncio.sleep(delay)
                flight[addr] -= 1
                writer.write(HEAD + PAGE)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    first = socket.socket()
    first.bind((address(0), 0))
    port = first.getsockname()[1]
    first.close()
    servers = [await asyncio.start_server(client, address(k), port, backlog=4096)
               for k in range(hosts)]
    print(port, flush=True)
    loop = asyncio.get_running_loop()
    closed = asyncio.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), loop.call_soon_threadsafe(closed.set)),
                     daemon=True).start()
    try:
        await asyncio.wait_for(closed.wait(), lifetime)
    except TimeoutError:
        pass
    for s in servers:
        s.close()
    print(json.dumps({"hits": sum(hits.values()), "hosts": len(hits),
                      "max_in_flight": max(peak.values(), default=0)}), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=500)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--lifetime", type=float, default=1800)
    args = parser.parse_args()
    asyncio.run(main(args.hosts, args.delay, args.lifetime))
