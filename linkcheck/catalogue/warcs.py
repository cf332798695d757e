"""A catalogue's snapshots: WARC files in one folder, rotated at a size limit,
each closed file with its CDXJ index beside it, so the folder can be added to
a pywb collection as it is (`wb-manager add COLL DIR/*.warc.gz`).

A file still being written is `NAME.warc.gz.open`. One left by a killed run
is salvaged at the next run: cut after its last complete record (each record
is its own gzip member), renamed and indexed.
"""

from __future__ import annotations

import os
import threading
import zlib
from datetime import UTC, datetime
from pathlib import Path

from linkcheck.archive.index import write_index
from linkcheck.archive.writer import OPEN_SUFFIX, WarcSnapshot
from linkcheck.model import Exchange

DEFAULT_LIMIT = 1024 ** 3  # bytes per WARC file


class RotatingWarc:
    """An exchange sink (for the Resolver) writing `PREFIX-STAMP-SEQ.warc.gz`
    files of at most about `limit` bytes. Thread-safe: a Dask worker may run
    shards in several threads."""

    def __init__(self, directory: str | Path, prefix: str, info: dict[str, object],
                 limit: int = DEFAULT_LIMIT):
        self.directory = Path(directory)
        self.prefix, self.info, self.limit = prefix, info, limit
        self.stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        self.sequence = 0
        self.closed_files: list[Path] = []
        self._current: WarcSnapshot | None = None
        self._lock = threading.Lock()
        self._where: dict[str, tuple[str, int]] = {}

    def _snapshot(self) -> WarcSnapshot:
        if self._current is None:
            self.sequence += 1
            name = f"{self.prefix}-{self.stamp}-{self.sequence:05d}.warc.gz"
            self._current = WarcSnapshot(self.directory / name, self.info)
        return self._current

    def write_exchange(self, ex: Exchange) -> str:
        with self._lock:
            snap = self._snapshot()
            offset = snap.open_path.stat().st_size  # records are flushed as written
            record_id = snap.write_exchange(ex)
            self._where[ex.url] = (snap.path.name, offset)
            if offset >= self.limit:
                self._rotate()
            return record_id

    def write_resource(self, uri: str, content: bytes, content_type: str) -> str:
        with self._lock:
            return self._snapshot().write_resource(uri, content, content_type)

    def take(self, url: str) -> tuple[str | None, int | None]:
        """Where the last capture of url went (file name, offset), forgotten
        once asked: the map stays as small as the work in flight."""
        with self._lock:
            return self._where.pop(url, (None, None))

    def _rotate(self) -> None:
        if self._current is not None:
            path = self._current.close()
            write_index(path)
            self.closed_files.append(path)
            self._current = None

    def close(self) -> list[Path]:
        with self._lock:
            self._rotate()
            self._where.clear()
            return list(self.closed_files)


def salvage(directory: str | Path) -> list[Path]:
    """Close the WARCs a killed run left open in `directory`: keep their
    complete records, rename and index them. Returns the files closed."""
    done = []
    for open_path in sorted(Path(directory).glob("*.warc.gz" + OPEN_SUFFIX)):
        good = _complete_prefix(open_path)
        final = open_path.with_name(open_path.name[: -len(OPEN_SUFFIX)])
        if good == 0:
            open_path.unlink()
            continue
        with open(open_path, "r+b") as f:
            f.truncate(good)
            os.fsync(f.fileno())
        os.replace(open_path, final)
        write_index(final)
        done.append(final)
    return done


def _complete_prefix(path: Path, chunk: int = 1 << 20) -> int:
    """Bytes of the file made of complete gzip members."""
    good = 0
    d = zlib.decompressobj(31)
    position = 0
    with open(path, "rb") as f:
        data = b""
        while True:
            if not data:
                data = f.read(chunk)
                if not data:
                    return good
            try:
                d.decompress(data)
            except zlib.error:
                return good
            if d.eof:
                used = len(data) - len(d.unused_data)
                position += used
                good = position
                data = d.unused_data
                d = zlib.decompressobj(31)
            else:
                position += len(data)
                data = b""
