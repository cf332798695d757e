"""The WARC snapshot: every exchange written as response and request records
the moment it completes, into `NAME.warc.gz.open`, renamed when closed.

Each record is its own gzip member, built whole and written with one call,
then flushed, so a killed process leaves a file whose complete records all
read back. A payload already archived (earlier in this file, or in a WARC
given with --dedup-against) is written as a `revisit` record instead.
"""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from linkcheck import __version__
from linkcheck.archive import records
from linkcheck.archive.dedup import Original, load_originals
from linkcheck.model import Exchange
from linkcheck.urls.normalise import redact_userinfo

OPEN_SUFFIX = ".open"
# Never stored: credentials and cookies of the request.
REDACTED_REQUEST_HEADERS = {"authorization", "proxy-authorization", "cookie"}


def default_snapshot_path(directory: str | Path = "linkcheck-snapshots") -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return Path(directory) / f"linkcheck-{stamp}.warc.gz"


class WarcSnapshot:
    """Writes one WARC/1.1 file. Not thread-safe; one per audit."""

    def __init__(self, path: str | Path, info: dict[str, object] | None = None,
                 dedup_against: Sequence[str | Path] | None = None):
        # Read the earlier WARCs first: a bad one must fail before a file is created.
        self.originals: dict[str, Original] = load_originals(dedup_against or [])
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.open_path = self.path.with_name(self.path.name + OPEN_SUFFIX)
        self._file = open(self.open_path, "wb")  # noqa: SIM115 - closed by close()
        self.records = 0
        self.closed = False
        self.response_ids: dict[str, str] = {}  # URL -> its latest response/revisit record
        self.captured: dict[str, str] = {}  # URL -> WARC-Date of that record
        self.warcinfo_id = records.new_record_id()
        fields: list[tuple[str, object]] = [
            ("software", f"linkcheck/{__version__} (Python {platform.python_version()})"),
            ("format", "WARC File Format 1.1"),
            ("conformsTo", "https://iipc.github.io/warc-specifications/specifications/"
                           "warc-format/warc-1.1/"),
        ]
        fields += list((info or {}).items())
        self._write("warcinfo", [
            ("WARC-Record-ID", self.warcinfo_id), ("WARC-Date", records.warc_date()),
            ("WARC-Filename", self.path.name),
            ("Content-Type", "application/warc-fields")], _warc_fields(fields))

    def _write(self, rec_type: str, headers: list[tuple[str, str]], block: bytes,
               payload_offset: int | None = None) -> None:
        self._file.write(records.build(rec_type, headers, block, payload_offset))
        self._file.flush()
        self.records += 1

    def _common(self, record_id: str, date: str, uri: str) -> list[tuple[str, str]]:
        return [("WARC-Record-ID", record_id), ("WARC-Date", date), ("WARC-Target-URI", uri),
                ("WARC-Warcinfo-ID", self.warcinfo_id)]

    def write_exchange(self, ex: Exchange) -> str:
        """Write the response (or revisit) and then its request, adjacent and
        linked both ways by WARC-Concurrent-To, as indexers expect. Returns the
        response record id."""
        date = records.warc_date(ex.started)
        response_id, request_id = records.new_record_id(), records.new_record_id()

        # The body is stored de-chunked, so the framing header must not stay
        # active: replay tools would try to de-chunk it again.
        headers = [(("X-Orig-" + k) if k.lower() == "transfer-encoding" else k, v)
                   for k, v in ex.response_headers]
        head = records.http_head(f"{ex.http_version} {ex.status} {ex.reason}".rstrip(),
                                 headers)
        warc = self._common(response_id, date, ex.url)
        warc.append(("WARC-Concurrent-To", request_id))
        if ex.ip:
            warc.append(("WARC-IP-Address", ex.ip))
        digest = records.sha1_digest(ex.body)
        original = self.originals.get(digest) if ex.body and not ex.truncated else None
        if original is not None:
            warc += [("WARC-Profile", records.REVISIT_PROFILE),
                     ("WARC-Refers-To", original.record_id),
                     ("WARC-Refers-To-Target-URI", original.uri),
                     ("WARC-Refers-To-Date", original.date),
                     ("WARC-Payload-Digest", digest),
                     ("Content-Type", records.HTTP_RESPONSE)]
            self._write("revisit", warc, head)  # the headers only: the payload is elsewhere
        else:
            if ex.truncated:
                warc.append(("WARC-Truncated", "length"))
            warc.append(("Content-Type", records.HTTP_RESPONSE))
            self._write("response", warc, head + ex.body, payload_offset=len(head))
            if ex.body and not ex.truncated:
                self.originals.setdefault(digest, Original(ex.url, date, response_id))
        self.response_ids[ex.url] = response_id
        self.captured[ex.url] = date

        req_headers = [(k, v) for k, v in ex.request_headers
                       if k.lower() not in REDACTED_REQUEST_HEADERS]
        req_head = records.http_head(f"{ex.method} {ex.request_target} {ex.http_version}",
                                     req_headers)
        warc = self._common(request_id, date, ex.url)
        warc.append(("WARC-Concurrent-To", response_id))
        if ex.ip:
            warc.append(("WARC-IP-Address", ex.ip))
        warc.append(("Content-Type", records.HTTP_REQUEST))
        self._write("request", warc, req_head)
        return response_id

    def write_resource(self, uri: str, content: bytes, content_type: str) -> str:
        """Store a document as it was (the audited article itself)."""
        record_id = records.new_record_id()
        headers = self._common(record_id, records.warc_date(), uri)
        headers.append(("Content-Type", content_type))
        self._write("resource", headers, content, payload_offset=0)
        return record_id

    def write_metadata(self, uri: str, data: dict, refers_to: str | None = None) -> str:
        """A JSON document about `uri` (a link's verdict), pointing at the
        record it describes."""
        record_id = records.new_record_id()
        headers = self._common(record_id, records.warc_date(), redact_userinfo(uri))
        if refers_to:
            headers.append(("WARC-Refers-To", refers_to))
        headers.append(("Content-Type", "application/json"))
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
        body = redact_userinfo(text).encode()  # no credentials from cited URLs
        self._write("metadata", headers, body)
        return record_id

    def write_warcinfo(self, fields: list[tuple[str, object]]) -> str:
        """A further warcinfo record: what the crawl learnt too late for the first
        one (links answered from the resolution cache, with no capture here)."""
        record_id = records.new_record_id()
        self._write("warcinfo", [
            ("WARC-Record-ID", record_id), ("WARC-Date", records.warc_date()),
            ("WARC-Filename", self.path.name),
            ("Content-Type", "application/warc-fields")],
            redact_userinfo(_warc_fields(fields).decode("utf-8")).encode("utf-8"))
        return record_id

    def close(self) -> Path:
        if not self.closed:
            self.closed = True
            os.fsync(self._file.fileno())  # the rename must never expose a partial file
            self._file.close()
            os.replace(self.open_path, self.path)
        return self.path


def settings_info(settings) -> dict[str, object]:
    """warcinfo fields for the crawl settings (a ResolveSettings). Per-domain
    headers are named but their values are never written: they may be tokens."""
    from dataclasses import asdict

    values = asdict(settings)
    values["headers_by_domain"] = {d: sorted(h) for d, h in settings.headers_by_domain.items()}
    return {"http-header-user-agent": settings.user_agent, "linkcheck-settings": values}


def _warc_fields(fields: list[tuple[str, object]]) -> bytes:
    """application/warc-fields: `name: value` lines; a list value repeats the name."""
    lines = []
    for name, value in fields:
        for v in value if isinstance(value, list | tuple) else [value]:
            if v is None:
                continue
            text = v if isinstance(v, str) else json.dumps(v, sort_keys=True, default=str)
            lines.append(f"{name}: {' '.join(text.split())}\r\n")
    return "".join(lines).encode("utf-8")
