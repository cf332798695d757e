"""Shared URL handling for every extractor: trimming, skip reasons, validity."""

from __future__ import annotations

import re
from bisect import bisect_right
from urllib.parse import urlsplit

# A bare URL in prose: scheme or www., then anything that is not space or an
# obvious delimiter. Trailing punctuation is trimmed afterwards, since a
# sentence-ending "." or a closing ")" is usually not part of the URL.
BARE_URL = re.compile(
    # An apostrophe belongs to the URL only between word characters (Ender's_Game);
    # elsewhere it is a quote around the URL.
    r"""(?:\b(?:https?|ftp)://|\bwww\.)(?:[^\s<>"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u2014\u2026\u203a\u3001\u3002\uff09\uff0c\[\]{}|\\^`]|(?<=\w)'(?=\w))+""",
    re.IGNORECASE,
)

_TRAILING = ".,;:!?*'\"\u2019\u201d)]}>"
_PAIRS = {")": "(", "]": "[", "}": "{"}

SKIP_SCHEMES = {
    "mailto": "mailto: link",
    "tel": "telephone link",
    "javascript": "javascript: link",
    "data": "data: URI",
    "sms": "sms: link",
    "file": "local file link",
}


def trim_bare_url(url: str) -> str:
    """Drop trailing punctuation that belongs to the sentence, keeping balanced brackets.

    "(see https://x.org/a_(b))." keeps "https://x.org/a_(b)" whole.
    """
    while url and url[-1] in _TRAILING:
        last = url[-1]
        if last in _PAIRS and url.count(_PAIRS[last]) >= url.count(last):
            break
        url = url[:-1]
    return url


def skip_reason(url: str) -> str | None:
    """Why a link is never fetched, or None when it should be checked."""
    if not url.strip():
        return "empty link"
    if url.startswith("#"):
        return "in-page fragment"
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme in SKIP_SCHEMES:
        return SKIP_SCHEMES[scheme]
    if scheme and scheme not in ("http", "https") and "//" not in url[: len(scheme) + 3]:
        return f"unsupported scheme {scheme}:"
    if scheme and scheme not in ("http", "https"):
        return f"unsupported scheme {scheme}:"
    return None


_SPACE = re.compile(r"\s")


def invalid_reason(url: str) -> str | None:
    """Why an http(s) URL cannot be fetched at all (None when it can)."""
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError on a bad port
    except ValueError as exc:
        return f"malformed URL: {exc}"
    if parts.scheme not in ("http", "https"):
        return f"not an http(s) URL: {url}"
    host = parts.hostname or ""
    if not host:
        return "malformed URL: no host name"
    if _SPACE.search(url):
        return "malformed URL: contains white space"
    if host.startswith(".") or ".." in host or host.endswith("-"):
        return f"malformed URL: bad host name {host!r}"
    if port == 0:
        return "malformed URL: port 0"
    try:
        host.encode("idna")
    except UnicodeError:
        return f"malformed URL: bad host name {host!r}"
    return None


def with_scheme(url: str) -> str:
    """"www.example.org/x" as written in prose means an http(s) URL."""
    return "https://" + url if url.lower().startswith("www.") else url




class LineIndex:
    """Line and column of many offsets in one text, without rescanning it each time."""

    def __init__(self, text: str):
        self.starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def __call__(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def host_of(url: str | None) -> str:
    """A URL's site host: lower case, without "www."; "" when there is none or the
    URL cannot be parsed. The one host helper every stage uses."""
    try:
        return (urlsplit(url or "").hostname or "").lower().removeprefix("www.")
    except ValueError:
        return ""
