"""Fetched pages: bytes to text (`decode_body`), text to what the page says
about itself (`extract_meta`). No I/O here: callers pass what they fetched."""

from linkcheck.pages.charset import decode_body
from linkcheck.pages.metadata import extract_meta

__all__ = ["decode_body", "extract_meta"]
