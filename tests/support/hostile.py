"""Helpers for the hostile-input fault suite: run the CLI as a child process and
measure it (wall time, peak RSS from wait4), check WARCs with warcio itself,
and grep every output for planted secrets (gzip members decompressed first)."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float


# The child writes its own peak RSS (VmHWM) as it exits. Not getrusage: a forked
# child's maximum RSS counts the parent's pages it shared before exec, so a big
# test process would inflate every measurement.
_WRAPPER = """
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


def run_measured(*args: str, cwd: Path | None = None, stdin: bytes | None = None,
                 timeout: float = 120, env: dict | None = None) -> Run:
    """`python -m linkcheck ARGS` with its own wall time and peak RSS."""
    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"lc-out-{os.getpid()}-{time.time_ns()}"
    err_path = out_path.with_suffix(".err")
    peak_path = out_path.with_suffix(".peak")
    started = time.monotonic()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen([sys.executable, "-c", _WRAPPER, str(peak_path), *args],
                                cwd=cwd,
                                stdin=subprocess.PIPE if stdin is not None else
                                subprocess.DEVNULL, stdout=out, stderr=err,
                                env={**os.environ, **(env or {})})
        if stdin is not None:
            try:
                proc.stdin.write(stdin)
            except BrokenPipeError:
                pass
            proc.stdin.close()
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    try:
        peak_mb = int(peak_path.read_text()) / 1024
        peak_path.unlink()
    except (OSError, ValueError):  # killed before it could say: an upper bound
        peak_mb = usage.ru_maxrss / 1024
    run = Run(proc.returncode, out_path.read_text("utf-8", "replace"),
              err_path.read_text("utf-8", "replace"), seconds, peak_mb)
    out_path.unlink()
    err_path.unlink()
    return run


def warcio_check(path: Path) -> subprocess.CompletedProcess:
    warcio = str(Path(sys.executable).with_name("warcio"))
    return subprocess.run([warcio, "check", "-v", str(path)], capture_output=True, text=True)


def readable_bytes(path: Path) -> bytes:
    """A file's bytes, every gzip member decompressed (a WARC is one member a record)."""
    data = path.read_bytes()
    if not data.startswith(b"\x1f\x8b"):
        return data
    out = bytearray()
    while data:
        d = zlib.decompressobj(zlib.MAX_WBITS | 16)
        try:
            out += d.decompress(data)
        except zlib.error:
            out += data
            break
        data = d.unused_data
    return bytes(out)


def outputs_containing(secret: str, *places: Path, texts: dict[str, str] | None = None
                       ) -> list[str]:
    """Which files (under the given files or folders, WARC/WACZ/CDXJ/cache/reports) or
    texts hold `secret`: should be none."""
    found = []
    needle = secret.encode()
    for place in places:
        files = [place] if place.is_file() else sorted(p for p in place.rglob("*")
                                                        if p.is_file())
        for f in files:
            data = readable_bytes(f)
            if f.suffix == ".wacz":
                import zipfile

                with zipfile.ZipFile(f) as z:
                    data = b"".join(_maybe_gunzip(z.read(n)) for n in z.namelist())
            if needle in data:
                found.append(str(f))
    for name, text in (texts or {}).items():
        if secret in text:
            found.append(name)
    return found


def _maybe_gunzip(data: bytes) -> bytes:
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        return data


def write_warc_response(f, url: str, payload_size: int = 0, body: bytes = b"",
                        content_type: str = "text/plain", fill: bytes = b"\0") -> None:
    """Append one gzip-member response record whose payload is `body` or
    `payload_size` bytes of `fill`, compressed as it is written (a 1 MB member
    can hold a 1 GB payload)."""
    import hashlib
    from base64 import b32encode
    from uuid import uuid4

    head = (f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body) or payload_size}\r\n\r\n").encode()
    size = len(body) or payload_size
    piece = fill * (1 << 20)
    sha = hashlib.sha1(body) if body else None
    if sha is None:
        sha = hashlib.sha1()
        full, rest = divmod(size, len(piece))
        for _ in range(full):
            sha.update(piece)
        sha.update(piece[:rest])
    digest = "sha1:" + b32encode(sha.digest()).decode()
    warc_head = ("WARC/1.1\r\nWARC-Type: response\r\n"
                 f"WARC-Record-ID: <urn:uuid:{uuid4()}>\r\n"
                 "WARC-Date: 2024-01-01T00:00:00Z\r\n"
                 f"WARC-Target-URI: {url}\r\n"
                 f"WARC-Payload-Digest: {digest}\r\n"
                 "Content-Type: application/http; msgtype=response\r\n"
                 f"Content-Length: {len(head) + size}\r\n\r\n").encode()
    c = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    f.write(c.compress(warc_head + head))
    if body:
        f.write(c.compress(body))
    else:
        full, rest = divmod(size, len(piece))
        for _ in range(full):
            f.write(c.compress(piece))
        f.write(c.compress(piece[:rest]))
    f.write(c.compress(b"\r\n\r\n") + c.flush())
