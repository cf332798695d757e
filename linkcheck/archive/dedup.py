"""Payloads already archived, by digest: what a new capture can point to with
a `revisit` record instead of storing the same bytes again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from linkcheck.archive.records import sha1_digest
from linkcheck.errors import InputError

EMPTY_SHA1 = sha1_digest(b"")


@dataclass(frozen=True)
class Original:
    """A stored response a revisit can refer to."""

    uri: str
    date: str
    record_id: str


def load_originals(paths: Sequence[str | Path]) -> dict[str, Original]:
    """Payload digest -> the first complete response holding it, over all files.
    Reads record heads only (and hashes a payload that came without its digest)."""
    from linkcheck.archive.replay import index_warc

    found: dict[str, Original] = {}
    for path in paths:
        if not Path(path).is_file():
            raise InputError(f"--dedup-against {path}: cannot read: no such file")
        try:
            index = index_warc(path)
        except InputError as exc:
            raise InputError(f"--dedup-against {path}: {_reason(str(exc))}") from None
        if index.ended_early:
            raise InputError(f"--dedup-against {path}: {index.ended_early}; new records "
                             "must not refer to a damaged file (repair it or leave it out)")
        for stored in index.records:
            if stored.rec_type != "response" or stored.partial or stored.status == 0:
                continue  # a partial payload is no substitute for the whole
            try:
                digest = stored.digest or stored.payload_sha1()
            except (OSError, StopIteration):
                continue
            if digest == EMPTY_SHA1:
                continue
            found.setdefault(digest, Original(stored.url, stored.date, stored.record_id))
    return found


def _reason(message: str) -> str:
    return message.split(": ", 2)[-1] if message.startswith("cannot read WARC") else message
