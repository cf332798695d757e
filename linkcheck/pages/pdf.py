"""What a PDF says about itself: title, author, creation and modification dates,
from its document information dictionary (pypdf), or from the raw bytes when the
file was cut at the size cap and cannot be opened as a whole."""

from __future__ import annotations

import io
import re
from datetime import date

from linkcheck.model import PageMeta

_PDF_DATE = re.compile(rb"D:(\d{4})(\d{2})?(\d{2})?")
_RAW_FIELD = re.compile(rb"/(Title|Author|CreationDate|ModDate)\s*\(((?:[^()\\]|\\.){0,500})\)")


def pdf_date(value: str | bytes | None) -> date | None:
    """A PDF date string (D:YYYYMMDDHHmmSS...) as a date."""
    if not value:
        return None
    raw = value.encode("latin-1", "replace") if isinstance(value, str) else value
    m = _PDF_DATE.search(raw)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


def extract_pdf_meta(body: bytes) -> PageMeta:
    """Never raises: a PDF that cannot be read gives what the raw bytes show."""
    fields = _with_pypdf(body) or _from_raw(body)
    meta = PageMeta()
    if title := (fields.get("Title") or "").strip():
        meta.title, meta.sources["title"] = title, "pdf:Title"
    if author := (fields.get("Author") or "").strip():
        meta.author, meta.sources["author"] = author, "pdf:Author"
    if created := pdf_date(fields.get("CreationDate")):
        meta.published, meta.sources["published"] = created, "pdf:CreationDate"
    if modified := pdf_date(fields.get("ModDate")):
        meta.modified, meta.sources["modified"] = modified, "pdf:ModDate"
    return meta


def _with_pypdf(body: bytes) -> dict[str, str] | None:
    try:
        import logging

        from pypdf import PdfReader

        logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged PDFs are expected

        info: dict = PdfReader(io.BytesIO(body)).metadata or {}
        return {k.lstrip("/"): str(v) for k, v in info.items() if v is not None}
    except Exception:  # truncated or damaged: fall back to the raw bytes
        return None


def _from_raw(body: bytes) -> dict[str, str]:
    fields: dict[str, str] = {}
    for m in _RAW_FIELD.finditer(body[:2_000_000]):
        fields.setdefault(m.group(1).decode(), m.group(2).decode("latin-1", "replace"))
    return fields
