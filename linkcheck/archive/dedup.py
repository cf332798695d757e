"""Payloads already archived, by digest: what a new capture can point to with
a `revisit` record instead of storing the same bytes again."""

from __future__ import annotations

import hashlib
from base64 import b32encode
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from linkcheck.archive.records import sha1_digest
from linkcheck.archive.replay import looks_like_warc
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
    Reads headers only (and hashes a payload that came without its digest)."""
    found: dict[str, Original] = {}
    for path in paths:
        try:
            stream = open(path, "rb")  # noqa: SIM115 - closed by the with below
        except OSError as exc:
            raise InputError(f"--dedup-against {path}: cannot read: {exc.strerror}") from None
        with stream:
            if not looks_like_warc(stream):
                raise InputError(f"--dedup-against {path}: not a WARC file")
            try:
                for record in ArchiveIterator(stream, arc2warc=True):
                    if record.rec_type != "response" or not record.http_headers:
                        continue
                    h = record.rec_headers
                    if h.get_header("WARC-Truncated"):
                        continue  # a partial payload is no substitute for the whole
                    digest = h.get_header("WARC-Payload-Digest") or _sha1(record.raw_stream)
                    if digest == EMPTY_SHA1:
                        continue
                    found.setdefault(digest, Original(
                        h.get_header("WARC-Target-URI"), h.get_header("WARC-Date"),
                        h.get_header("WARC-Record-ID")))
            except Exception as exc:
                raise InputError(f"--dedup-against {path}: cannot read: {exc}") from None
    return found


def _sha1(stream) -> str:
    h = hashlib.sha1()
    while chunk := stream.read(65536):
        h.update(chunk)
    return "sha1:" + b32encode(h.digest()).decode("ascii")
