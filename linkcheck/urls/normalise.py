"""URL normalisation: two spellings of one source compare equal.

Case of scheme and host, default ports, trailing slashes, fragments and
tracking parameters do not make a different source. Path case and the order
of meaningful query parameters may, so they are kept (only sorted).
"""

from __future__ import annotations

import re
import string
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
TRACKING_PARAMS = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
    "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "ocid", "cmpid", "smid", "ref_src",
    "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "__twitter_impression",
}
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_param(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def tracking_params(url: str) -> list[str]:
    return [k for k, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)
            if is_tracking_param(k)]


def strip_tracking(url: str) -> str:
    """The URL without tracking parameters, otherwise as written."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not is_tracking_param(k)]
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))


def normalize(url: str) -> str:
    """A comparison key for "is this the same source?"."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = canonical_escapes(parts.path) or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not is_tracking_param(k))
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")


def canonical_escapes(path: str) -> str:
    """One spelling of a path's escapes (RFC 3986 6.2.2): a path written as
    text (/Москва) and the same path percent-encoded (/%D0%9C...) come out equal;
    escapes of unreserved characters are decoded and hex digits upper-cased."""
    encoded = quote(path, safe="/:@!$&'()*+,;=-._~%")

    def one(m: re.Match[str]) -> str:
        char = chr(int(m[1], 16))
        return char if char in _UNRESERVED else "%" + m[1].upper()

    return _ESCAPE.sub(one, encoded)


_USERINFO = re.compile(r"(?<=://)[^/?#@\s]*@")


def strip_userinfo(url: str) -> str:
    """The URL without "user:password@": credentials written into a cited URL are
    never sent, stored in a snapshot, or shown as a fetched address."""
    return _USERINFO.sub("", url, count=1)


def redact_userinfo(text: str) -> str:
    """Every URL in text with its "user:password@" removed."""
    return _USERINFO.sub("", text)
