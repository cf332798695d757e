"""Checks for the WARCs tests write: our own byte-level reading (independent
of warcio, so warcio's blind spots are covered) and the real tools.

    records = check_warc(path)   # every invariant below, plus warcio and cdxj-indexer

`raw_records` reads each gzip member by itself, with zlib alone, and reports
whether the file ended inside a record.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent
REVISIT_1_1 = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"


@dataclass
class RawRecord:
    version: str
    headers: list[tuple[str, str]]
    block: bytes
    offset: int  # of its gzip member in the file

    def get(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    @property
    def type(self) -> str:
        return self.get("WARC-Type") or ""

    @property
    def http_head(self) -> bytes:
        return self.block.split(b"\r\n\r\n", 1)[0] if self.has_http else b""

    @property
    def payload(self) -> bytes:
        return self.block.split(b"\r\n\r\n", 1)[1] if self.has_http else self.block

    @property
    def has_http(self) -> bool:
        return (self.get("Content-Type") or "").startswith("application/http")

    def http_headers(self) -> list[tuple[str, str]]:
        lines = self.http_head.decode("latin-1").split("\r\n")[1:]
        return [(k, v.strip()) for k, v in (line.split(":", 1) for line in lines if line)]


@dataclass
class RawFile:
    records: list[RawRecord] = field(default_factory=list)
    partial_tail: bool = False  # the file ends inside a record


def sha1(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def raw_records(path: str | Path) -> RawFile:
    data = Path(path).read_bytes()
    out, pos = RawFile(), 0
    while pos < len(data):
        d = zlib.decompressobj(zlib.MAX_WBITS | 16)
        try:
            raw = d.decompress(data[pos:])
        except zlib.error:
            out.partial_tail = True
            break
        if not d.eof:
            out.partial_tail = True
            break
        head, _, rest = raw.partition(b"\r\n\r\n")
        lines = head.decode("utf-8").split("\r\n")
        headers = [(k, v.strip()) for k, v in (line.split(":", 1) for line in lines[1:])]
        rec = RawRecord(lines[0], headers, b"", pos)
        length = int(rec.get("Content-Length"))
        rec.block = rest[:length]
        assert rest[length:] == b"\r\n\r\n", f"record at {pos} is not closed by CRLF CRLF"
        out.records.append(rec)
        pos = len(data) - len(d.unused_data)
    return out


def check_invariants(records: list[RawRecord]) -> None:
    """What warcio check does not catch (FIELD-NOTES), checked on our bytes."""
    assert records and records[0].type == "warcinfo", "warcinfo must come first"
    info_id = records[0].get("WARC-Record-ID")
    ids = [r.get("WARC-Record-ID") for r in records]
    assert len(set(ids)) == len(ids), "record ids must be unique"
    by_id = {r.get("WARC-Record-ID"): r for r in records}
    for i, r in enumerate(records):
        assert r.version == "WARC/1.1", r.version
        assert r.get("WARC-Block-Digest") == sha1(r.block), f"block digest of {r.type} {i}"
        if r is not records[0]:
            assert r.get("WARC-Warcinfo-ID") == info_id
        if r.type == "response":
            assert r.get("WARC-Payload-Digest") == sha1(r.payload), "payload digest"
        if r.type in ("response", "revisit"):
            names = [k.lower() for k, _ in r.http_headers()]
            assert "transfer-encoding" not in names, "a de-chunked body keeps its TE header"
            # the pair: the request follows, linked both ways, same URI and date
            req = records[i + 1]
            assert req.type == "request"
            assert req.get("WARC-Concurrent-To") == r.get("WARC-Record-ID")
            assert r.get("WARC-Concurrent-To") == req.get("WARC-Record-ID")
            assert req.get("WARC-Target-URI") == r.get("WARC-Target-URI")
            assert req.get("WARC-Date") == r.get("WARC-Date")
        if r.type == "request":
            # credentials and cookies are recorded by name only
            assert all(v == "<redacted>" for k, v in r.http_headers()
                       if k.lower() in {"authorization", "cookie", "proxy-authorization"})
            assert records[i - 1].type in ("response", "revisit"), "request without response"
        if r.type == "revisit":
            assert r.get("WARC-Profile") == REVISIT_1_1
            assert r.payload == b"", "a revisit stores the headers only"
            assert r.get("WARC-Refers-To-Target-URI") and r.get("WARC-Refers-To-Date")
            original = by_id.get(r.get("WARC-Refers-To"))
            if original is not None:  # an original in this same file
                assert original.type == "response"
                assert original.get("WARC-Payload-Digest") == r.get("WARC-Payload-Digest")
                assert original.get("WARC-Target-URI") == r.get("WARC-Refers-To-Target-URI")
                assert original.get("WARC-Date") == r.get("WARC-Refers-To-Date")
        if r.type == "metadata" and r.get("WARC-Refers-To"):
            assert by_id[r.get("WARC-Refers-To")].type in ("response", "revisit")


def run_tools(path: str | Path) -> list[dict]:
    """warcio check -v, warcio index, cdxj-indexer; returns warcio's index lines."""
    check = subprocess.run([str(BIN / "warcio"), "check", "-v", str(path)],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "digest pass" in check.stdout and "fail" not in check.stdout.lower()
    index = subprocess.run([str(BIN / "warcio"), "index", "-f",
                            "warc-type,warc-target-uri,warc-payload-digest", str(path)],
                           capture_output=True, text=True, timeout=60)
    assert index.returncode == 0, index.stderr
    lines = [json.loads(line) for line in index.stdout.splitlines() if line.strip()]
    cdxj = subprocess.run([str(BIN / "cdxj-indexer"), "-p", "-s", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert cdxj.returncode == 0, cdxj.stderr
    responses = [r for r in lines if r["warc-type"] in ("response", "revisit")]
    indexed = [line for line in cdxj.stdout.splitlines() if line.strip()]
    assert len(indexed) >= len(responses), cdxj.stdout
    return lines


def check_warc(path: str | Path) -> list[RawRecord]:
    """Every check on a finished WARC; returns its records."""
    f = raw_records(path)
    assert not f.partial_tail
    check_invariants(f.records)
    lines = run_tools(path)
    assert len(lines) == len(f.records)
    return f.records
