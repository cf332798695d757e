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
    # /20211217/ or 20211217.html or _20211217_: exactly 8 digits. Not the
    # 8-digit article id that ends a slug (/news/world-europe-20250618, BBC-style).
    ("day", re.compile(r"(?<![0-9])(?<![A-Za-z]-)((?:19|20)\d\d)(\d\d)(\d\d)(?![0-9])")),
    # /2021/03/slug or /2021/3/slug (month precision): only in front of a slug,
    # so that a year and a number (/ukpga/2018/12, /eli/reg/2016/679) are not a month
    ("month", re.compile(r"(?:(?<=/)(?P<before>[^/]*)/)?(?<![0-9])((?:19|20)\d\d)/(\d{1,2})"
                         r"(?=/(?P<next>[^/?#]+)|/?$)")),
]
# Path segments that follow a year/number in legislation and document registries.
_NOT_SLUGS = {"contents", "section", "enacted", "made", "data", "schedule", "part",
              "article", "introduced", "oj", "regulation", "body", "notes", "annex"}
# A month archive's own address (/archive/2021/03/) is a month.
_ARCHIVES = {"archive", "archives", "blog", "news", "posts", "articles", "stories"}


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
            g = 1 if precision == "day" else 2  # the month pattern captures `before` first
            year, month = int(m.group(g)), int(m.group(g + 1))
            day = int(m.group(3)) if precision == "day" else 1
            if precision == "month" and not (
                    _is_slug(m.group("next")) if m.group("next") is not None
                    else (m.group("before") or "").lower() in _ARCHIVES):
                continue
            if not MIN_YEAR <= year <= MAX_YEAR:
                continue
            try:
                found = date(year, month, day)
            except ValueError:
                continue
            text = m.group(0) if precision == "day" else f"{m.group(2)}/{m.group(3)}"
            return UrlDate(found, precision, text)
    return None


def _is_slug(segment: str) -> bool:
    """A headline slug or page name after /YYYY/MM/, not a registry's sub-path."""
    word = segment.lower().split(".")[0]
    if word in _NOT_SLUGS or not re.search(r"[a-z]", word):
        return False
    return "-" in word or "_" in word or len(word) >= 4 or segment.lower().endswith(
        (".html", ".htm", ".php", ".aspx"))
