"""The WARC snapshot: every exchange written as request and response records
the moment it completes, into `NAME.warc.gz.open`, renamed when closed.

Each record is its own gzip member, flushed when written, so a killed process
leaves a file whose complete records all read back.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from linkcheck import __version__
from linkcheck.model import Exchange

OPEN_SUFFIX = ".open"
# Never stored: credentials and cookies (of the request) and cookies set by the site.
REDACTED_REQUEST_HEADERS = {"authorization", "proxy-authorization", "cookie"}


def default_snapshot_path(directory: str | Path = "linkcheck-snapshots") -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return Path(directory) / f"linkcheck-{stamp}.warc.gz"


def warc_date(ts: float) -> str:
    dt = datetime.fromtimestamp(ts, UTC).replace(tzinfo=None)
    return datetime_to_iso_date(dt, use_micros=True)


class WarcSnapshot:
    """Writes one WARC/1.1 file. Not thread-safe; one per audit."""

    def __init__(self, path: str | Path, info: dict[str, object] | None = None):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.open_path = self.path.with_name(self.path.name + OPEN_SUFFIX)
        self._file = open(self.open_path, "wb")  # noqa: SIM115 - closed by close()
        self._writer = WARCWriter(self._file, gzip=True, warc_version="1.1")
        self.records = 0
        self.closed = False
        fields: dict[str, object] = {
            "software": f"linkcheck/{__version__}",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
                          "warc-format/warc-1.1/",
        }
        fields.update(info or {})
        record = self._writer.create_warcinfo_record(self.path.name, fields)
        self.warcinfo_id = record.rec_headers.get_header("WARC-Record-ID")
        self._write(record)

    def _write(self, record) -> None:
        self._writer.write_record(record)
        self._file.flush()
        self.records += 1

    def _base_headers(self, uri: str, date: str) -> dict[str, str]:
        return {"WARC-Target-URI": uri, "WARC-Date": date, "WARC-Warcinfo-ID": self.warcinfo_id}

    def write_exchange(self, ex: Exchange) -> str:
        """Write the response and its request; returns the response record id."""
        date = warc_date(ex.started)
        response_id = _new_id()
        request_id = _new_id()

        headers = [(("X-Orig-" + k) if k.lower() == "transfer-encoding" else k, v)
                   for k, v in ex.response_headers]
        http_headers = StatusAndHeaders(f"{ex.status} {ex.reason}".strip(), headers,
                                        protocol=ex.http_version)
        warc_headers = self._base_headers(ex.url, date)
        warc_headers.update({"WARC-Record-ID": response_id, "WARC-Concurrent-To": request_id})
        if ex.ip:
            warc_headers["WARC-IP-Address"] = ex.ip
        if ex.truncated:
            warc_headers["WARC-Truncated"] = "length"
        response = self._writer.create_warc_record(
            ex.url, "response", payload=BytesIO(ex.body), length=len(ex.body),
            http_headers=http_headers, warc_headers_dict=warc_headers)
        self._write(response)

        req_headers = [(k, v) for k, v in ex.request_headers
                       if k.lower() not in REDACTED_REQUEST_HEADERS]
        request_line = f"{ex.method} {ex.request_target}"
        req_http = StatusAndHeaders(request_line, req_headers, protocol=ex.http_version,
                                    is_http_request=True)
        req_warc = self._base_headers(ex.url, date)
        req_warc.update({"WARC-Record-ID": request_id, "WARC-Concurrent-To": response_id})
        if ex.ip:
            req_warc["WARC-IP-Address"] = ex.ip
        request = self._writer.create_warc_record(
            ex.url, "request", payload=BytesIO(b""), length=0,
            http_headers=req_http, warc_headers_dict=req_warc)
        self._write(request)
        return response_id

    def write_resource(self, uri: str, content: bytes, content_type: str) -> str:
        """Store a document as it was (the audited article itself)."""
        record_id = _new_id()
        headers = self._base_headers(uri, warc_date(datetime.now(UTC).timestamp()))
        headers.update({"WARC-Record-ID": record_id, "Content-Type": content_type})
        record = self._writer.create_warc_record(uri, "resource", payload=BytesIO(content),
                                                 length=len(content),
                                                 warc_content_type=content_type,
                                                 warc_headers_dict=headers)
        self._write(record)
        return record_id

    def write_metadata(self, uri: str, data: dict, refers_to: str | None = None) -> str:
        record_id = _new_id()
        headers = self._base_headers(uri, warc_date(datetime.now(UTC).timestamp()))
        headers["WARC-Record-ID"] = record_id
        if refers_to:
            headers["WARC-Refers-To"] = refers_to
        body = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str).encode()
        record = self._writer.create_warc_record(uri, "metadata", payload=BytesIO(body),
                                                 length=len(body),
                                                 warc_content_type="application/json",
                                                 warc_headers_dict=headers)
        self._write(record)
        return record_id

    def close(self) -> Path:
        if not self.closed:
            self.closed = True
            self._file.close()
            os.replace(self.open_path, self.path)
        return self.path


def _new_id() -> str:
    return StatusAndHeadersParser.make_warc_id()
