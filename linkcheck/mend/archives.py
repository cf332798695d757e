"""Which archives to ask, and where their TimeGate, TimeMap and capture index are.

An archive is given as a TimeGate base to which the cited URL is appended
(`http://HOST:PORT/COLL/` for a pywb collection, `https://web.archive.org/web/`),
or as a template with `{url}` where the URL goes. A template containing
`/timemap/` is taken as a TimeMap. For the layouts pywb and the Wayback Machine
share (`BASE/URL` TimeGate, `BASE/timemap/link/URL` TimeMap, a CDX server) the
other endpoints are derived; for any other archive the TimeGate's own `Link`
header names its TimeMap (RFC 7089).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from linkcheck.errors import InputError

WAYBACK = "https://web.archive.org/web/"
ARCHIVE_TODAY = "https://archive.ph/timegate/{url}"
DEFAULT_ARCHIVES = (WAYBACK, ARCHIVE_TODAY)

_NAMES = {"web.archive.org": "Wayback Machine", "archive.ph": "archive.today",
          "archive.today": "archive.today", "archive.is": "archive.today",
          "perma.cc": "Perma.cc"}


@dataclass(frozen=True)
class Archive:
    spec: str  # as the user gave it
    name: str
    timegate: str | None  # templates with {url}
    timemap: str | None
    cdx: str | None  # a CDX server's query URL (no parameters), if the archive has one

    @property
    def host(self) -> str:
        return (urlsplit(self.timegate or self.timemap or self.spec).hostname or "").lower()

    def timegate_for(self, url: str) -> str | None:
        return self.timegate.replace("{url}", url) if self.timegate else None

    def timemap_for(self, url: str) -> str | None:
        return self.timemap.replace("{url}", url) if self.timemap else None


def parse_archive(spec: str) -> Archive:
    """One archive from its TimeGate (or TimeMap) base or template; InputError if unusable."""
    spec = spec.strip()
    try:
        parts = urlsplit(spec)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"--archive {spec!r}: give an http(s) TimeGate such as "
                         "https://web.archive.org/web/ or http://HOST:PORT/COLLECTION/")
    host = parts.hostname.lower()
    name = _NAMES.get(host.removeprefix("www."), host)
    template = spec if "{url}" in spec else spec + ("" if spec.endswith("/") else "/") + "{url}"
    timegate: str | None
    timemap: str | None
    if "/timemap/" in template:
        timemap, timegate = template, None
        if "/timemap/link/" in template:  # pywb / Wayback layout: the TimeGate is BASE/URL
            timegate = template.replace("timemap/link/", "", 1)
        elif host.removeprefix("www.") in ("archive.ph", "archive.today", "archive.is"):
            timegate = template.replace("/timemap/", "/timegate/", 1)
        return Archive(spec, name, timegate, timemap, _cdx(template, host))
    timegate, timemap = template, None
    if template.endswith("/{url}"):
        base = template[: -len("{url}")]
        if base.endswith("/timegate/"):  # archive.today's layout
            timemap = base[: -len("timegate/")] + "timemap/{url}"
        else:
            timemap = base + "timemap/link/{url}"
    return Archive(spec, name, timegate, timemap, _cdx(template, host))


def _cdx(template: str, host: str) -> str | None:
    if host == "web.archive.org":
        return "https://web.archive.org/cdx/search/cdx"
    if "archive.ph" in host or "archive.today" in host or "archive.is" in host:
        return None  # no capture index to query
    # a pywb collection serves its CDX at BASE/COLL/cdx
    base = template.split("{url}")[0].replace("timemap/link/", "")
    parts = urlsplit(base)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) != 1:
        return None
    return f"{parts.scheme}://{parts.netloc}/{segments[0]}/cdx"


def archives_from(specs: list[str]) -> list[Archive]:
    seen: dict[str, Archive] = {}
    for spec in specs:
        archive = parse_archive(spec)
        seen.setdefault(archive.timegate or archive.timemap or spec, archive)
    return list(seen.values())
