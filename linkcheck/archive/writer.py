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
import shutil
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from linkcheck import __version__
from linkcheck.archive import records
from linkcheck.archive.dedup import Original, load_originals
from linkcheck.model import Exchange
from linkcheck.urls.normalise import redact_userinfo

OPEN_SUFFIX = ".open"
# Stored by name only, the value "<redacted>": credentials and cookies of the
# request (configured headers are redacted by the resolver, which knows them).
REDACTED_REQUEST_HEADERS = {"authorization", "proxy-authorization", "cookie"}
# Response headers that carry URLs: credentials in them are not stored (a
# redirect's Location may name user:password@ that was never sent).
URL_HEADERS = {"location", "content-location", "refresh", "link"}


def default_snapshot_path(directory: str | Path = "linkcheck-snapshots") -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return Path(directory) / f"linkcheck-{stamp}.warc.gz"


class WarcSnapshot:
    """Writes one WARC/1.1 file. Not thread-safe; one per audit."""

    def __init__(self, path: str | Path, info: dict[str, object] | None = None,
                 dedup_against: Sequence[str | Path] | None = None,
                 level: int = records.DEFAULT_LEVEL, *, warcinfo_id: str | None = None,
                 originals: dict[str, Original] | None = None):
        """warcinfo_id: write a *part* of another snapshot: no warcinfo record of
        its own, every record pointing at that one (`append_part` joins it).
        originals: payloads already archived (as `load_originals` gives), instead
        of reading `dedup_against` again."""
        # Read the earlier WARCs first: a bad one must fail before a file is created.
        self.originals: dict[str, Original] = (
            dict(originals) if originals is not None else load_originals(dedup_against or []))
        self.path = Path(path)
        self.level = level  # zlib level of each record's gzip member
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.open_path = self.path.with_name(self.path.name + OPEN_SUFFIX)
        self._file = _create_locked(self.path, self.open_path)
        self.records = 0
        self.closed = False
        self.response_ids: dict[str, str] = {}  # URL -> its latest response/revisit record
        self.captured: dict[str, str] = {}  # URL -> WARC-Date of that record
        if warcinfo_id is not None:
            self.warcinfo_id = warcinfo_id
            return
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
        self._emit(records.build(rec_type, headers, block, payload_offset, level=self.level))

    def _emit(self, record: bytes) -> None:
        self._file.write(record)
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
        headers = [(("X-Orig-" + k) if k.lower() == "transfer-encoding" else k,
                    _stored_value(k.lower(), v)) for k, v in ex.response_headers]
        head = records.http_head(f"{ex.http_version} {ex.status} {ex.reason}".rstrip(),
                                 headers)
        warc = self._common(response_id, date, redact_userinfo(ex.url))
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
            self._emit(records.build_parts("response", warc, head, ex.body, digest,
                                           level=self.level))
            if ex.body and not ex.truncated:
                self.originals.setdefault(digest, Original(ex.url, date, response_id))
        self.response_ids[ex.url] = response_id
        self.captured[ex.url] = date

        req_headers = [(k, "<redacted>" if k.lower() in REDACTED_REQUEST_HEADERS else v)
                       for k, v in ex.request_headers]
        req_head = records.http_head(f"{ex.method} {ex.request_target} {ex.http_version}",
                                     req_headers)
        warc = self._common(request_id, date, redact_userinfo(ex.url))
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

    def append_part(self, part: str | Path, captured: dict[str, str],
                    response_ids: dict[str, str], count: int) -> None:
        """Append a finished part (written with this snapshot's warcinfo_id by
        another process) and take over what it captured. Each record is its own
        gzip member, so the bytes are copied as they are; the part is removed."""
        part = Path(part)
        with open(part, "rb") as f:
            shutil.copyfileobj(f, self._file, 1024 * 1024)
        self._file.flush()
        part.unlink()
        self.records += count
        self.captured.update(captured)
        self.response_ids.update(response_ids)

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
            try:
                _publish(self.open_path, self.path)
            finally:
                self._file.close()  # and with it the lock
        return self.path


def _stored_value(name: str, value: str) -> str:
    """A response header's value as archived: URLs without credentials, and a
    cookie that was set by name and attributes, its value redacted."""
    if name in URL_HEADERS:
        return redact_userinfo(value)
    if name in ("set-cookie", "set-cookie2"):
        first, sep, attributes = value.partition(";")
        cookie_name = first.split("=", 1)[0].strip()
        return f"{cookie_name}=<redacted>" + (sep + attributes if sep else "")
    return value


def _create_locked(path: Path, open_path: Path):
    """The new NAME.warc.gz.open, created (never truncated) and locked for as long
    as this audit writes it. One that exists is another audit's, or what a
    killed run left: both are refused, and the file is left as it is."""
    import fcntl

    from linkcheck.errors import InputError

    try:
        fd = os.open(open_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise InputError(f"--warc {path}: {_holder(open_path)}") from None
    except OSError as exc:
        raise InputError(f"--warc {path}: cannot create {open_path.name} "
                         f"({exc.strerror})") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)  # another audit opened it in the same instant: it is theirs
        raise InputError(f"--warc {path}: another audit is writing it") from None
    return os.fdopen(fd, "wb")


def _holder(open_path: Path) -> str:
    """Why an existing NAME.warc.gz.open is not ours to write."""
    import fcntl

    try:
        fd = os.open(open_path, os.O_RDONLY)
    except OSError:
        return f"{open_path.name} is in the way"
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return f"another audit is writing it ({open_path.name} is locked)"
    finally:
        os.close(fd)
    return (f"{open_path.name} is left from an interrupted run; its complete records are "
            "readable (rename it to keep them, or remove it), then run again")


def _publish(open_path: Path, path: Path) -> None:
    """Rename the finished file to its name, never over a file that appeared there."""
    from linkcheck.errors import InputError

    try:
        os.link(open_path, path)  # fails if path exists: unlike a rename, never replaces
    except FileExistsError:
        raise InputError(f"--warc {path} appeared while the audit ran; this snapshot is "
                         f"kept as {open_path.name}") from None
    except OSError:  # a file system without hard links
        if path.exists():
            raise InputError(f"--warc {path} appeared while the audit ran; this snapshot "
                             f"is kept as {open_path.name}") from None
        os.replace(open_path, path)
        return
    os.unlink(open_path)


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
            text = redact_userinfo(text)  # the command line may cite user:password@ URLs
            lines.append(f"{name}: {' '.join(text.split())}\r\n")
    return "".join(lines).encode("utf-8")
