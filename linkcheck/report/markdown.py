"""A compact Markdown summary for a pull-request comment or a job summary
($GITHUB_STEP_SUMMARY): counts, a table of findings, and per article a
collapsed table of its links.

Page titles and URLs come from the web, so every cell is escaped: HTML is
neutralised, '|' cannot split a cell, and '@name' / '#123' cannot ping people
or cross-reference issues from a comment.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from linkcheck.model import AuditReport, Finding, Severity
from linkcheck.report.mending import message, notes_for

ICONS = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.INFO: "ℹ️"}
_SPECIAL = re.compile(r"([\\`*_\[\]~|])")
_MENTION = re.compile(r"(?<!\w)([@#])(?=\w)")
TITLE_MAX = 80


def text(value: object) -> str:
    """Untrusted text for a table cell."""
    s = " ".join(str(value).split())  # a newline would end the table row
    s = _MENTION.sub("\\1\u2060", s)  # a word joiner keeps the text, breaks the link
    return _SPECIAL.sub(r"\\\1", html.escape(s, quote=False))


def code(value: str) -> str:
    """An inline code span that survives backticks and pipes in the value."""
    s = " ".join(value.split()).replace("|", "\\|")
    runs = [len(r) for r in re.findall(r"`+", s)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if runs else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def link(url: str | None) -> str:
    if not url:
        return ""
    if not re.match(r"https?://", url, re.IGNORECASE):
        return text(url)  # no javascript:/data: hrefs, even if GitHub would strip them
    href = quote(url, safe="!#$%&'()*+,-./:;=?@[]^_`{}~")  # no space, <, >, | or "
    return f"[{text(url)}](<{href}>)"


def _noun(n: int, word: str) -> str:
    return word if n == 1 or word == "info" else f"{word}s"


def _plural(n: int, word: str) -> str:
    return f"{n} {_noun(n, word)}"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: list[str], rows: list[list[str]], max_rows: int) -> list[str]:
    out = [_row(header), _row(["---"] * len(header))]
    out += [_row(r) for r in rows[:max_rows]]
    if len(rows) > max_rows:  # PR comments stop at 65,536 characters
        out += ["", f"…and {len(rows) - max_rows} more (see the full report)."]
    return out


def _title(value: str | None) -> str:
    if not value:
        return ""
    value = " ".join(value.split())
    return value if len(value) <= TITLE_MAX else value[: TITLE_MAX - 1] + "…"


def render(report: AuditReport, max_rows: int = 200, **_) -> str:
    findings: list[tuple[int, str, Finding]] = [
        (i, ar.article.path, f) for i, ar in enumerate(report.articles) for f in ar.findings]
    notes: dict[int, list[str]] = {}
    for ar in report.articles:
        notes.update(notes_for(ar))
    findings.sort(key=lambda t: (-t[2].severity.rank, t[0], t[2].line, t[2].column,
                                 t[2].rule, t[2].url, t[2].message))
    counts = {s: sum(1 for _i, _p, f in findings if f.severity is s) for s in Severity}
    links = sum(len(ar.links) for ar in report.articles)
    out = ["## linkcheck report", ""]
    out.append(" · ".join([
        _plural(len(report.articles), "article"), _plural(links, "link"),
        *(f"{ICONS[s]} **{counts[s]}** {_noun(counts[s], s.value)}" for s in Severity)]))
    out += ["", *(f"> **Note:** {text(n)}" for n in report.notices)] if report.notices else []
    for note in report.archive_notes:
        out += ["", f"> **Archives:** {text(note)}"]
    if report.interrupted:
        out += ["", "> **Interrupted:** the report covers only the links finished before the stop."]
    out.append("")
    if findings:
        out += ["### Findings", ""]
        out += _table(["severity", "location", "rule", "link", "message"], [
            [f"{ICONS[f.severity]} {f.severity.value}", code(f"{path}:{f.line}:{f.column}"),
             code(f.rule), link(f.url), text(message(f, notes, "; "))]
            for _i, path, f in findings], max_rows)
    else:
        out.append("No findings.")
    for ar in report.articles:
        story = ar.story
        when = story.date.isoformat() if story.date else "unknown"
        summary = (f"<code>{html.escape(ar.article.path)}</code>: "
                   f"{_plural(len(ar.links), 'link')}, story date {when} "
                   f"({html.escape(story.source)})")
        # Markdown inside <details> renders only with blank lines around it.
        out += ["", f"<details><summary>{summary}</summary>", ""]
        if story.explanation:
            out += [f"Story date: {text(story.explanation)}", ""]
        out += _table(["outcome", "status", "URL", "final URL", "title", "date"], [
            [res.outcome.value, str(res.status or ""), link(url),
             link(res.final_url) if res.final_url and res.final_url != url else "",
             text(_title(res.meta.title)),
             res.meta.published.isoformat() if res.meta.published else ""]
            for url, res in ar.links.items()], max_rows)
        skipped = sorted({c.skipped for c in ar.citations if c.skipped})
        if skipped:
            n = sum(1 for c in ar.citations if c.skipped)
            out += ["", f"Not fetched: {n} ({text(', '.join(skipped))})"]
        out += ["", "</details>"]
    if report.warc:
        out += ["", f"Snapshot: {code(report.warc)}"]
    if report.not_captured:
        out += ["", f"Not captured in this snapshot ({len(report.not_captured)}, answered "
                    "from the cache): " + ", ".join(code(e["url"]) for e in report.not_captured)]
    return "\n".join(out) + "\n"
