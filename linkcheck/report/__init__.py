"""Report formats: one module per format, one line here each."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from linkcheck.model import AuditReport

FORMATS = {
    "text": "linkcheck.report.text",
    "json": "linkcheck.report.json",
}
EXTENSIONS = {"text": "txt", "json": "json"}


def renderer(name: str) -> Callable[..., str]:
    return importlib.import_module(FORMATS[name]).render


def render(name: str, report: AuditReport, **kwargs) -> str:
    return renderer(name)(report, **kwargs)
