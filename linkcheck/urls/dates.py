"""Dates written in URLs: /2025/03/28/, /20211217/, /2021-12-17-slug, /2021/03/.

Ours rather than htmldate's: htmldate needs a full Y-M-D with separators and
drops dates after today, while the timeline rules need every form, future
dates included (a future date is exactly the anomaly to report).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import unquote, urlsplit

MIN_YEAR, MAX_YEAR = 1990, 2100

_PATTERNS = [
    # /2025/03/28/ or /2025/3/28-slug
    ("day", re.compile(r"(?<![0-9])((?:19|20)\d\d)/(\d\d|\d(?=/))/(\d\d|\d(?=/|$))(?![0-9])")),
    # 2021-12-17 or 2021_12_17 anywhere in a segment
    ("day", re.compile(r"(?<![0-9])((?:19|20)\d\d)[-_.](\d\d)[-_.](\d\d)(?![0-9])")),
    # /20211217/ or -20211217- or 20211217.html: exactly 8 digits
    ("day", re.compile(r"(?<![0-9])((?:19|20)\d\d)(\d\d)(\d\d)(?![0-9])")),
    # /2021/03/ or /2021/3/ (month precision)
    ("month", re.compile(r"(?<![0-9])((?:19|20)\d\d)/(\d{1,2})(?=/|$)")),
]


@dataclass(frozen=True)
class UrlDate:
    date: date  # for month precision, the first of the month (the earliest it can mean)
    precision: str  # "day" | "month"
    text: str  # as written in the URL

    def describe(self) -> str:
        return self.date.isoformat() if self.precision == "day" else self.date.strftime("%Y-%m")


# Web archives put the capture date in the URL, not the page's: an archived
# copy made after the story is normal and says nothing about the source's date.
ARCHIVE_HOSTS = ("web.archive.org", "archive.org", "archive.ph", "archive.today", "archive.is",
                 "archive.li", "archive.vn", "archive.md", "webcitation.org", "perma.cc",
                 "ghostarchive.org", "webarchive.nationalarchives.gov.uk", "arquivo.pt")


def url_date(url: str) -> UrlDate | None:
    """The date written in a URL's path (or query), or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if any(host == h or host.endswith("." + h) for h in ARCHIVE_HOSTS):
        return None
    haystack = unquote(parts.path) + ("?" + unquote(parts.query) if parts.query else "")
    for precision, pattern in _PATTERNS:
        for m in pattern.finditer(haystack):
            year, month = int(m.group(1)), int(m.group(2))
            day = int(m.group(3)) if precision == "day" else 1
            if not MIN_YEAR <= year <= MAX_YEAR:
                continue
            try:
                found = date(year, month, day)
            except ValueError:
                continue
            return UrlDate(found, precision, m.group(0))
    return None
