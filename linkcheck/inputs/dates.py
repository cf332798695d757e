"""Parsing dates given by users and found in metadata."""

from __future__ import annotations

import re
from datetime import date, datetime

from linkcheck.errors import InputError

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def parse_date(value: str, strict: bool = True) -> date | None:
    """An ISO 8601 date or date-time, taken as the date written (the writer's
    own time zone), between 1900 and 2100. strict: raise InputError instead of
    returning None."""
    found = _parse(value, strict)
    if found is not None and not 1900 <= found.year <= 2100:
        if strict:
            raise InputError(f"date out of range: {value!r} (a story date between 1900 and 2100)")
        return None
    return found


def _parse(value: str, strict: bool) -> date | None:
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    m = _ISO_DAY.match(text)
    if m and not strict:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    if strict:
        raise InputError(f"not a valid date: {value!r} (expected ISO 8601, e.g. 2021-12-17)")
    return None
