"""Turning a fetched body into text: BOM, then the header, then the page's own
<meta>, then valid utf-8, then detection. Declarations that are unknown, or that the bytes
plainly contradict, fall through to the next step, because mislabelled pages
(a windows-1251 page served as utf-8) are common and a wrong guess garbles
every title we compare."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_BOMS = [  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:+-]+)", re.IGNORECASE)
# Both <meta charset="x"> and <meta http-equiv=... content="text/html; charset=x">.
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([\w.:+-]+)", re.IGNORECASE)
_SNIFF_BYTES = 4096

# Labels browsers read as a superset encoding (WHATWG Encoding Standard): pages
# labelled latin-1 routinely contain windows-1252 quotes, gb2312 pages gb18030.
_SUPERSETS = {
    "ascii": "cp1252",
    "iso8859_1": "cp1252",
    "iso8859_9": "cp1254",
    "iso8859_11": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
}

# What a browser can decode (WHATWG), minus Mac/DOS code pages no site serves,
# in the order ties are broken: this beat reads many undeclared Cyrillic pages.
_WEB_CODECS = [
    "utf_8", "cp1251", "cp1252", "koi8_r", "cp1250", "koi8_u", "iso8859_5",
    "cp1253", "cp1254", "cp1257", "cp1255", "cp1256", "cp1258", "cp874",
    "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_6", "iso8859_7", "iso8859_8",
    "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16",
    "gb18030", "big5", "euc_jp", "iso2022_jp", "shift_jis", "euc_kr",
]
_HIGH_WORDS = re.compile(rb"[^\s<>\"'=&;]*[\x80-\xff][^\s<>\"'=&;]*")
_SCAN_BYTES, _SAMPLE_BYTES = 1 << 20, 1 << 16

# A declared charset is kept if at most one character, or this share of the
# non-ASCII ones, fails to decode: that tolerates a body cut off mid-character
# or a stray byte, not a wrong label (where nearly every non-ASCII one fails).
_MAX_BAD_SHARE = 0.05


def decode_body(body: bytes, content_type: str | None) -> tuple[str, str]:
    """(text, Python codec name used). Never raises."""
    body = bytes(body or b"")
    if not body:
        return "", "utf-8"
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(codec, errors="replace"), codec

    header = _HEADER_CHARSET.search(content_type or "")
    meta = _META_CHARSET.search(body[:_SNIFF_BYTES])
    declared = [
        _codec(header.group(1)) if header else None,
        # A <meta> we could read as ASCII cannot be UTF-16/32: browsers take utf-8.
        _codec(meta.group(1).decode("ascii", "replace"), in_page=True) if meta else None,
    ]
    for label in declared:
        if label and (text := _decode_if_fits(body, label)) is not None:
            return text, label

    try:  # legacy-encoded text is almost never valid utf-8 by chance
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    guessed = _detect(body)
    if guessed:
        return body.decode(guessed, errors="replace"), guessed
    return body.decode("utf-8", errors="replace"), "utf-8"


def _codec(label: str, in_page: bool = False) -> str | None:
    """The Python codec for a charset label, or None if unknown or not text."""
    try:
        info = codecs.lookup(label.strip())
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True):  # base64, rot13, ...
        return None
    name = info.name.replace("-", "_")
    if in_page and name.startswith(("utf_16", "utf_32")):
        return "utf-8"
    return _SUPERSETS.get(name, info.name)


def _decode_if_fits(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except UnicodeDecodeError:
        pass
    text = body.decode(codec, errors="replace")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return text if text.count("\ufffd") <= max(1, non_ascii * _MAX_BAD_SHARE) else None


def _detect(body: bytes) -> str | None:
    """charset-normalizer's verdict, first on the words that hold non-ASCII
    bytes, then (if that is too little to judge) on the start of the body.

    The words alone, because on a page of ASCII markup with a little Cyrillic
    the markup drowns the signal (a windows-1251 page came out as cp1250).
    """
    words = b" ".join(_HIGH_WORDS.findall(body[:_SCAN_BYTES]))[:_SAMPLE_BYTES]
    for sample in (words, body[:_SAMPLE_BYTES]):
        try:
            matches = list(charset_normalizer.from_bytes(sample, cp_isolation=_WEB_CODECS))
        except Exception:  # a detector bug must not lose the page
            continue
        if matches:
            best = matches[0]
            # Short samples (a title) often tie several code pages: take the likeliest.
            tied = [m for m in matches if abs(m.chaos - best.chaos) <= 0.01
                    and abs(m.coherence - best.coherence) <= 0.01]
            return _codec(min(tied, key=lambda m: _rank(m.encoding)).encoding)
    return None


def _rank(codec: str) -> int:
    return _WEB_CODECS.index(codec) if codec in _WEB_CODECS else len(_WEB_CODECS)
