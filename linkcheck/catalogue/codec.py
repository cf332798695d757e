"""Resolutions to JSON-able dicts and back, for the store and for results sent
from workers. The body and the page text are left out (the snapshot keeps the
body; a store holds the text only as a monitor baseline)."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date
from typing import Any

from linkcheck.model import Hop, Outcome, PageMeta, Resolution

_DATES = ("published", "modified")


def to_dict(res: Resolution) -> dict[str, Any]:
    meta = {k: v for k, v in dataclasses.asdict(res.meta).items() if k != "text"}
    for key in _DATES:
        if meta.get(key) is not None:
            meta[key] = meta[key].isoformat()
    out = {f.name: getattr(res, f.name) for f in dataclasses.fields(res)
           if f.name not in ("body", "meta", "hops")}
    out["outcome"] = res.outcome.value
    out["hops"] = [dataclasses.asdict(h) for h in res.hops]
    out["meta"] = meta
    return out


def from_dict(data: dict[str, Any]) -> Resolution:
    data = dict(data)
    meta = dict(data.pop("meta", {}) or {})
    for key in _DATES:
        if meta.get(key):
            meta[key] = date.fromisoformat(meta[key])
    known = {f.name for f in dataclasses.fields(PageMeta)}
    hops = [Hop(**h) for h in data.pop("hops", [])]
    fields = {f.name for f in dataclasses.fields(Resolution)}
    values = {k: v for k, v in data.items() if k in fields}
    values["outcome"] = Outcome(values["outcome"])
    return Resolution(hops=hops, meta=PageMeta(**{k: v for k, v in meta.items() if k in known}),
                      **values)


def text_digest(text: str | None) -> str | None:
    """A fingerprint of a page's main text, blind to whitespace and case."""
    if not text:
        return None
    return hashlib.sha1(" ".join(text.lower().split()).encode()).hexdigest()
