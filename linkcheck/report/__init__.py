"""Report formats: one module per format, one line here each."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from linkcheck.model import AuditReport

FORMATS = {
    "text": "linkcheck.report.text",
    "json": "linkcheck.report.json",
    "sarif": "linkcheck.report.sarif",
    "junit": "linkcheck.report.junit",
    "github": "linkcheck.report.github",
    "markdown": "linkcheck.report.markdown",
    "html": "linkcheck.report.html",
}
EXTENSIONS = {
    "text": "txt", "json": "json",
    "sarif": "sarif",
    "junit": "junit.xml",
    "github": "github.txt",
    "markdown": "md",
    "html": "html",
}


def renderer(name: str) -> Callable[..., str]:
    return importlib.import_module(FORMATS[name]).render


def render(name: str, report: AuditReport, **kwargs) -> str:
    return renderer(name)(report, **kwargs)
