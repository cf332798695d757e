"""GitHub Actions workflow commands: one annotation per finding, shown on the
pull request's diff at the cited line and in the job log."""

from __future__ import annotations

from linkcheck.model import AuditReport, Severity
from linkcheck.report.mending import message, notes_for
from linkcheck.report.sarif import article_path

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The message part: a raw newline would end the command early, and '%'
    must go first so the other escapes are not escaped twice."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Property values also end at ',' and the properties at '::'."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: AuditReport, **_) -> str:
    lines = []
    for ar in report.articles:
        path = escape_property(article_path(ar.article.path))
        notes = notes_for(ar)
        for f in ar.findings:
            msg = message(f, notes)
            props = f"file={path},line={f.line},col={f.column},title={escape_property(f.rule)}"
            lines.append(f"::{COMMANDS[f.severity]} {props}::"
                         f"{escape_data(f'{f.url}: {msg}' if f.url else msg)}")
    return "".join(line + "\n" for line in lines)
