"""Applying edits to a draft's bytes: every byte outside the edited spans stays
as it was, line endings (CRLF, CR) and encoding included. The article text the
extractors saw has its line endings normalised; offsets in it are mapped back
to the file's own text by line and column, and the file is edited only when
its encoding round-trips exactly."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from linkcheck.errors import InputError
from linkcheck.urls.parse import LineIndex

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"),
         (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"),
         (b"\xfe\xff", "utf-16-be"))
_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass
class Draft:
    path: str
    raw: bytes
    bom: bytes
    codec: str
    text: str  # the file's text, line endings as written


def load(path: str, raw: bytes, kind: str, article_text: str) -> Draft:
    """The draft as text that re-encodes to exactly its bytes (InputError if not)."""
    bom, codec = b"", None
    for mark, name in _BOMS:
        if raw.startswith(mark):
            bom, codec = mark, name
            break
    body = raw[len(bom):]
    if codec is None:
        try:
            body.decode("utf-8")
            codec = "utf-8"
        except UnicodeDecodeError:
            from linkcheck.pages import decode_body

            _, codec = decode_body(body, None if kind == "html" else "text/plain")
    try:
        text = body.decode(codec)
        exact = text.encode(codec) == body
    except (UnicodeError, LookupError):
        exact = False
    if not exact or _LINE_END.sub("\n", text) != article_text:
        raise InputError(f"{path}: cannot be edited byte for byte (its {codec} text does not "
                         "round-trip); edit it by hand")
    return Draft(path, raw, bom, codec, text)


def apply(draft: Draft, article_text: str, replacements: list[tuple[int, int, str]]) -> bytes:
    """The draft's bytes with the replacements (offsets in the normalised text) made."""
    norm_starts = LineIndex(article_text).starts
    raw_starts = [0] + [m.end() for m in _LINE_END.finditer(draft.text)]
    index = LineIndex(article_text)

    def to_raw(offset: int) -> int:
        line, col = index(offset)
        return raw_starts[line - 1] + (offset - norm_starts[line - 1])

    out, last = [], 0
    for start, end, new in sorted(replacements):
        a, b = to_raw(start), to_raw(end)
        if a < last:
            raise InputError(f"{draft.path}: two edits overlap at offset {start}")
        out.append(draft.text[last:a])
        out.append(new.replace("\n", _line_end(draft.text)))
        last = b
    out.append(draft.text[last:])
    try:
        return draft.bom + "".join(out).encode(draft.codec)
    except UnicodeEncodeError:
        raise InputError(f"{draft.path}: an edit cannot be written in {draft.codec}") from None


def _line_end(text: str) -> str:
    m = _LINE_END.search(text)
    return m.group(0) if m else "\n"


def _lines(text: str) -> list[str]:
    """Lines with their own endings: only CR, LF and CRLF end a line (as for patch)."""
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)


def unified_diff(draft: Draft, new: bytes) -> str:
    new_text = new[len(draft.bom):].decode(draft.codec)
    lines = difflib.unified_diff(_lines(draft.text), _lines(new_text),
                                 fromfile=draft.path, tofile=draft.path)
    out = []
    for line in lines:
        if not line.endswith(("\n", "\r")):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)
