"""The terminal report: a table of links per article, then findings grouped
by severity as file:line:column. Colour only on a terminal."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from linkcheck.model import ArticleBody, AuditReport, Outcome, Severity
from linkcheck.report.mending import message, notes_for

OUTCOME_STYLE = {Outcome.OK: "green", Outcome.REDIRECTED: "cyan", Outcome.BROKEN: "red",
                 Outcome.BLOCKED: "yellow", Outcome.ERROR: "red", Outcome.SKIPPED: "dim"}
SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def render(report: AuditReport, color: bool = False, width: int | None = None, **_) -> str:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=color, no_color=not color,
                      width=width or 110, highlight=False, soft_wrap=False)
    for ar in report.articles:
        story = ar.story
        console.print(Text(_printable(ar.article.path), style="bold"))
        date = story.date.isoformat() if story.date else "unknown"
        how = story.source if story.source != "unknown" else ""
        why = ": ".join(x for x in (how, story.explanation) if x)
        console.print(Text(f"  story date: {date}" + (f" ({why})" if why else "")), soft_wrap=True)
        if ar.article.body and ar.article.body.get("mode"):
            console.print(Text("  audited: " + describe_body(ar.article.body)), soft_wrap=True)
        table = Table(show_edge=False, pad_edge=False, expand=False)
        for col in ("outcome", "status", "url", "title / error", "date"):
            table.add_column(col, overflow="fold")
        for res in ar.links.values():
            detail = res.error or res.blocked_reason or res.meta.title or ""
            if res.final_url and res.final_url != res.url:
                detail = f"-> {res.final_url}" + (f"\n{detail}" if detail else "")
            table.add_row(Text(res.outcome.value, style=OUTCOME_STYLE[res.outcome]),
                          str(res.status or ""), Text(_printable(res.url)),
                          Text(_printable(detail)),
                          res.meta.published.isoformat() if res.meta.published else "")
        console.print(table)
        skipped = [c for c in ar.citations if c.skipped]
        if skipped:
            console.print(f"  skipped: {len(skipped)} (" + ", ".join(
                sorted({c.skipped or "" for c in skipped})) + ")")
        notes = notes_for(ar)
        for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO):
            group = [f for f in ar.findings if f.severity is sev]
            if not group:
                continue
            label = {"error": "errors", "warning": "warnings", "info": "notes"}[sev.value]
            console.print(Text(f"\n  {label} ({len(group)})", style=SEVERITY_STYLE[sev]))
            for f in group:
                msg = message(f, notes, "\n      ")
                loc = f"{ar.article.path}:{f.line}:{f.column}"
                line = Text("    ")
                line.append(loc, style="bold")
                line.append(f" [{f.rule}] ", style=SEVERITY_STYLE[sev])
                line.append(_printable(f"{f.url}\n      {msg}" if f.url else msg))
                console.print(line, soft_wrap=True)  # URLs and locations stay whole
        console.print()
    counts = {s: sum(1 for a in report.articles for f in a.findings if f.severity is s)
              for s in Severity}
    links = sum(len(a.links) for a in report.articles)
    console.print(f"{len(report.articles)} article(s), {links} link(s): "
                  f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), "
                  f"{counts[Severity.INFO]} info")
    if report.warc:
        console.print(f"snapshot: {report.warc}")
    for notice in report.notices:
        console.print(Text(_printable(f"note: {notice}")), soft_wrap=True)
    for note in report.archive_notes:
        console.print(f"archives: {_printable(note)}", soft_wrap=True)
    if report.not_captured:
        where = "this snapshot" if report.warc else "any snapshot of this run"
        console.print(Text(f"not captured in {where}: {len(report.not_captured)} link(s) "
                           "answered from the cache (--no-cache fetches them again)",
                           style="yellow"), soft_wrap=True)
        for entry in report.not_captured:
            when = f"checked {entry['checked']}" if entry.get("checked") else ""
            place = f"captured in {entry['warc']}" if entry.get("warc") else "not archived then"
            about = ", ".join(x for x in (when, place) if x)
            console.print(Text(f"  {_printable(entry['url'])} ({about})"), soft_wrap=True)
    if report.interrupted:
        console.print("interrupted: the report covers the links finished before the stop")
    return buf.getvalue()


def describe_body(body: ArticleBody) -> str:
    """Which links of a page were audited, in words."""
    mode = body.get("mode")
    if mode in ("article body", "structure"):
        return (f"the article body ({body.get('extractor')}): {body.get('links_in_body')} of "
                f"the page's {body.get('links_in_page')} links; --whole-page audits them all")
    return f"{mode}: {body.get('note', '')}".rstrip(": ")


_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10))
_CONTROL[127] = None


def _printable(value: str) -> str:
    """Titles and URLs come from the network: no escape sequences reach the terminal."""
    return value.translate(_CONTROL)
