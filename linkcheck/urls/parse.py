"""Shared URL handling for every extractor: trimming, skip reasons, validity."""

from __future__ import annotations

import re
from bisect import bisect_right
from urllib.parse import urlsplit

_URL_CHAR = (r"""[^\s<>"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u2014\u2026\u203a\u3001\u3002"""
             r"""\uff09\uff0c\[\]{}|\\^`]""")
# A bare URL in prose: scheme or www., then anything that is not space or an
# obvious delimiter. Trailing punctuation is trimmed afterwards, since a
# sentence-ending "." or a closing ")" is usually not part of the URL.
# An IPv6 literal host ([2001:db8::1], [fe80::1%25eth0] with its zone id) is
# the one place square brackets belong to a URL. A backslash before ASCII
# punctuation is a Markdown-style escape ("a\_b", written by converters).
BARE_URL = re.compile(
    r"(?:\b(?:https?|ftp)://(?:[^\s/?#@\[\]]*@)?(?:\[[0-9A-Fa-f:.]+(?:%(?:25)?[\w.~-]+)?\]|(?="
    + _URL_CHAR + r"))|\bwww\.)"
    # An apostrophe belongs to the URL only between word characters (Ender's_Game);
    # elsewhere it is a quote around the URL. (A run of ordinary characters is
    # one step: the same matches, several times faster on long drafts.)
    r"(?:" + _URL_CHAR + r"""+|(?<=\w)'(?=\w)|\\[!-/:-@\[-`{-~])*""",
    re.IGNORECASE,
)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def unescape_bare(raw: str) -> str:
    """A bare URL as written ("a\\_b") to the URL it means ("a_b")."""
    return _ESCAPE.sub(r"\1", raw) if "\\" in raw else raw


_TRAILING = ".,;:!?*'\"\u2019\u201d)]}>\\"
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
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def __call__(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


# --- scheme typos ---------------------------------------------------------

# Schemes that are not typos of http(s) even when a letter away from one.
_REAL_SCHEMES = {"ftp", "ftps", "sftp", "ws", "wss", "file", "data", "tel", "sms", "mailto",
                 "news", "nntp", "irc", "ircs", "ssh", "git", "svn", "rtsp", "rtmp", "hxxp",
                 "hxxps", "feed", "webcal", "chrome", "about", "blob", "urn", "ipfs"}
_TYPO = re.compile(r"(?P<scheme>[a-z]{2,7})(?P<sep>[:;]{0,3}[/\\]{1,3}|[:;]{1,2}(?=[\w-]+\.))"
                   r"(?P<rest>[\w-]+(?:\.[\w-]+)*\.[a-z][\w-]*(?:[:/?#].*)?)\Z",
                   re.IGNORECASE | re.DOTALL)
_SCHEME_TYPO_IN_TEXT = re.compile(
    r"(?<![\w.@/-])[a-z]{2,7}(?:[:;]{0,3}[/\\]{1,3}|[:;]{1,2})(?=[\w-]+(?:\.[\w-]+)*\.[a-z])"
    r"(?:" + _URL_CHAR + r")+", re.IGNORECASE)


def _one_edit_apart(a: str, b: str) -> bool:
    """a and b differ by one insertion, deletion, substitution or swap of neighbours."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def scheme_typo(url: str) -> str | None:
    """The http(s) URL a mistyped one most likely means ("https;//a.org/x",
    "htps://a.org", "http//a.org"), or None when it is not such a typo."""
    m = _TYPO.match(url.strip())
    if not m:
        return None
    scheme, sep = m.group("scheme").lower(), m.group("sep")
    if scheme in ("http", "https"):
        if sep == "://":
            return None
    elif scheme in _REAL_SCHEMES or not (_one_edit_apart(scheme, "http")
                                         or _one_edit_apart(scheme, "https")):
        return None
    intended = "https" if scheme.endswith("s") or scheme == "htps" else "http"
    return f"{intended}://{m.group('rest')}"


def scheme_typos_in_text(text: str) -> list[tuple[str, int, str]]:
    """(as written, start, likely intended URL) for each mistyped http(s) URL in prose."""
    out = []
    for m in _SCHEME_TYPO_IN_TEXT.finditer(text):
        raw = trim_bare_url(m.group(0))
        if (intended := scheme_typo(raw)) is not None:
            out.append((raw, m.start(), intended))
    return out


# --- URLs broken across lines ----------------------------------------------

_CONTINUATION = re.compile(r"[A-Za-z0-9._~%/?=&#+-]+")
_BREAK_AFTER = "-/_=&?"
# The tail of a joined URL that reads as one path segment: words joined by
# hyphens or underscores, digits, an optional extension and query.
_FILE_TAIL = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\.(?:s?html?|php|aspx?|pdf|cms|jsp)")
_SLUG_TAIL = re.compile(r"/[a-z0-9]+(?:[-_][a-z0-9]+)*(?:\.[a-z0-9]{2,5})?/?(?:[?#][\w=&%.-]*)?\Z")


def line_continuation(url: str, next_line: str) -> tuple[str, str | None]:
    try:
        return _line_continuation(url, next_line)
    except ValueError:  # a URL urlsplit refuses ("http://[::1"): left as it is
        return "", None


def _line_continuation(url: str, next_line: str) -> tuple[str, str | None]:
    """Whether a URL that ends a line goes on at the start of the next one.

    ("join", joined URL) when the next line unambiguously continues it (after a
    hyphen, slash or query separator; or, inside a hyphenated slug, with the rest
    of the slug and its file extension);
    ("broken", None) when the URL is cut (it ends in a hyphen) but the next line
    does not read as its continuation; ("", None) when the URL is whole.
    """
    if not url or not next_line or next_line[0].isspace():
        return "", None
    if url[-1] not in _BREAK_AFTER:
        # a bare break inside a slug: "…/dredging-pl" then "an-faces-challenge.html"
        piece = trim_bare_url(next_line.split(None, 1)[0])
        if not _FILE_TAIL.fullmatch(piece):  # the cheap test first: most lines are prose
            return "", None
        parts = urlsplit(url) if "://" in url else None
        last = parts.path.rsplit("/", 1)[-1] if parts else ""
        if ("-" in last and parts is not None and not parts.query
                and _SLUG_TAIL.search(urlsplit(url + piece).path)):
            return "join", url + piece
        return "", None
    token = next_line.split(None, 1)[0]
    piece = trim_bare_url(token)
    hyphen = url.endswith("-")
    # News slugs are lower case: "story-\nReuters said" is not "story-Reuters".
    whole = (_CONTINUATION.fullmatch(piece) is not None and "://" not in piece
             and piece == piece.lower())
    if whole and piece:
        joined = url + piece
        looks_url = hyphen or any(ch in piece for ch in "-_/.=&") or any(
            ch.isdigit() for ch in piece)
        path = urlsplit(joined).path if "://" in joined else joined
        if looks_url and _SLUG_TAIL.search(path or "/"):
            return "join", joined
    return ("broken", None) if hyphen else ("", None)


# --- finding a decoded URL back in its source ------------------------------

_ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _entity_names() -> dict[str, list[str]]:
    from html.entities import html5

    names: dict[str, list[str]] = {}
    for name, value in html5.items():
        if len(value) == 1 and name.endswith(";"):
            names.setdefault(value, []).append(name)
    return names


_NAMES: dict[str, list[str]] = {}


def source_spelling(decoded: str) -> re.Pattern[str]:
    """A pattern matching `decoded` as it may be written in Markdown or HTML
    source: each character as itself, backslash-escaped, or as a character
    reference (&amp; &#95; &#x5F; &lowbar;)."""
    if not _NAMES:
        _NAMES.update(_entity_names())
    parts = []
    for ch in decoded:
        alts = [re.escape(ch), f"&#0*{ord(ch)};", f"&#[xX]0*(?i:{ord(ch):x});"]
        if ch in _ASCII_PUNCT:
            alts.append(re.escape("\\" + ch))
        alts += [re.escape("&" + n) for n in _NAMES.get(ch, [])]
        parts.append("(?:" + "|".join(alts) + ")")
    return re.compile("".join(parts))


def host_of(url: str | None) -> str:
    """A URL's site host: lower case, without "www."; "" when there is none or the
    URL cannot be parsed. The one host helper every stage uses."""
    try:
        return (urlsplit(url or "").hostname or "").lower().removeprefix("www.")
    except ValueError:
        return ""
