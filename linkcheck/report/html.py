"""One self-contained HTML page: opens offline, mails as one attachment, reads
on a phone. No scripts and no external assets; a Content-Security-Policy says
so, because titles and URLs on the page come from the web."""

from __future__ import annotations

import json
from datetime import date, timedelta
from html import escape
from pathlib import Path
from urllib.parse import quote, urlsplit

from linkcheck.inputs.files import is_url
from linkcheck.model import ArticleReport, AuditReport, DateEvidence, Finding, Severity
from linkcheck.report.mending import notes_for

ANOMALY_COLOR = "#d1242f"
POINT_COLOR = "#0969da"
STORY_COLOR = "#1f2328"

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;
max-width:72rem;padding:1rem;color:#1f2328;background:#fff}
h1{font-size:1.4rem}h2{font-size:1.15rem;word-break:break-all;margin-top:2rem}
h3{font-size:1rem}
.counts{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0}
.counts li{border:1px solid #d0d7de;border-radius:6px;padding:.25rem .6rem}
.error{color:#d1242f}.warning{color:#9a6700}.info{color:#0969da}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;min-width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.url{word-break:break-all;min-width:14rem}
.timeline svg{width:100%;height:auto;max-width:44rem}
.timeline text{font-size:11px;fill:#57606a}
dl.evidence{margin:0;font-size:.8rem;color:#57606a}
dl.evidence dt{display:inline;font-weight:600}dl.evidence dd{display:inline;margin:0 .6rem 0 .2rem}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _a(url: str | None) -> str:
    """A link for http(s) URLs only: a javascript: href must never be clickable."""
    if not url:
        return ""
    if urlsplit(url).scheme.lower() in ("http", "https"):
        return f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(url)}</a>'
    return _e(url)


def _file_href(path: str) -> str:
    if is_url(path):
        return path
    p = Path(path)
    return p.as_uri() if p.is_absolute() else quote(p.as_posix())


def _date(d: date | None) -> str:
    return d.isoformat() if d else ""


def _anomalous(ar: ArticleReport, ev: DateEvidence) -> bool:
    """A point is red when a date-after-story finding names its URL and, if the
    finding records which date was late, this very date."""
    for f in (*ar.findings, *ar.suppressed):
        if f.rule == "date-after-story" and f.url == ev.url:
            late = f.evidence.get("date")
            if late is None or str(late) == ev.date.isoformat():
                return True
    return False


def timeline_svg(ar: ArticleReport) -> str:
    story = ar.story
    points = sorted(story.evidence, key=lambda e: (e.date, e.url, e.source))
    dates = [e.date for e in points] + ([story.date] if story.date else [])
    if not dates:
        return '<p class="timeline empty">No dates to plot: neither the story nor any ' \
               "cited source carries one.</p>"
    first, last = min(dates), max(dates)
    pad = max(timedelta(days=3), (last - first) * 0.05)  # one date alone still gets a span
    lo = first - pad if first > date.min + pad else date.min
    hi = last + pad if last < date.max - pad else date.max
    width, left, right, top, row = 640, 12, 12, 30, 20
    height = top + row * max(len(points), 1) + 28
    span = (hi - lo).days or 1

    def x(d: date) -> float:
        return round(left + (d - lo).days / span * (width - left - right), 1)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="Timeline of cited dates for {_e(ar.article.path)}">']
    axis_y = height - 22
    parts.append(f'<line class="axis" x1="{left}" y1="{axis_y}" x2="{width - right}" '
                 f'y2="{axis_y}" stroke="#d0d7de"/>')
    parts.append(f'<text x="{left}" y="{height - 6}">{_e(_date(first))}</text>')
    parts.append(f'<text x="{width - right}" y="{height - 6}" text-anchor="end">'
                 f'{_e(_date(last))}</text>')
    if story.date:
        sx = x(story.date)
        if story.window_end and story.window_end > story.date:
            parts.append(f'<rect class="tolerance" x="{sx}" y="{top - 8}" '
                         f'width="{round(x(story.window_end) - sx, 1)}" '
                         f'height="{axis_y - top + 8}" fill="#eaeef2"/>')
        anchor = "start" if sx < width / 2 else "end"
        parts.append(f'<line class="story" x1="{sx}" y1="{top - 8}" x2="{sx}" y2="{axis_y}" '
                     f'stroke="{STORY_COLOR}" stroke-width="2"><title>Story date '
                     f'{_e(_date(story.date))} ({_e(story.source)})</title></line>')
        parts.append(f'<text class="story-label" x="{sx}" y="{top - 14}" '
                     f'text-anchor="{anchor}">story {_e(_date(story.date))}</text>')
    for i, ev in enumerate(points):
        cx, cy = x(ev.date), top + row * i + row / 2
        bad = _anomalous(ar, ev)
        tip = f"{ev.url}\n{ev.date.isoformat()} ({ev.source})"
        if bad:
            tip += "\nafter the story date"
        parts.append(f'<circle class="point{" anomaly" if bad else ""}" cx="{cx}" cy="{cy}" '
                     f'r="5" fill="{ANOMALY_COLOR if bad else POINT_COLOR}">'
                     f"<title>{_e(tip)}</title></circle>")
        host = urlsplit(ev.url).hostname or ev.url
        # Labels sit on the side with more room, so none runs off the picture.
        tx, anchor = (cx + 9, "start") if cx < width / 2 else (cx - 9, "end")
        parts.append(f'<text x="{tx}" y="{cy + 4}" text-anchor="{anchor}">'
                     f"{_e(ev.date.isoformat())} {_e(host)}</text>")
    parts.append("</svg>")
    note = "" if points else "<figcaption>No cited source carries a date.</figcaption>"
    return f'<figure class="timeline">{"".join(parts)}{note}</figure>'


def _evidence(f: Finding) -> str:
    if not f.evidence:
        return ""
    items = "".join(
        f"<dt>{_e(k)}</dt><dd>{_e(v if isinstance(v, str) else json.dumps(v, default=str))}</dd>"
        for k, v in sorted(f.evidence.items()))
    return f'<dl class="evidence">{items}</dl>'


def _mending(lines: list[str] | None) -> str:
    if not lines:
        return ""
    return '<ul class="mending">' + "".join(f"<li>{_e(x)}</li>" for x in lines) + "</ul>"


def _findings_table(ar: ArticleReport, findings: list[Finding], cls: str) -> str:
    notes = notes_for(ar)
    rows = "".join(
        f'<tr class="{f.severity.value}"><td class="{f.severity.value}">{f.severity.value}</td>'
        f"<td>{f.line}:{f.column}</td><td><code>{_e(f.rule)}</code></td>"
        f'<td class="url">{_a(f.url)}</td><td>{_e(f.message)}{_mending(notes.get(id(f)))}'
        f"{_evidence(f)}</td></tr>"
        for f in sorted(findings, key=lambda f: (-f.severity.rank, f.line, f.column, f.rule)))
    return (f'<div class="scroll"><table class="{cls}"><thead><tr><th>severity</th>'
            "<th>line:col</th><th>rule</th><th>link</th><th>message and evidence</th></tr>"
            f"</thead><tbody>{rows}</tbody></table></div>")


def _links_table(ar: ArticleReport) -> str:
    rows = []
    for url, res in ar.links.items():
        final = res.final_url if res.final_url and res.final_url != url else ""
        detail = res.meta.title or res.error or res.blocked_reason or ""
        rows.append(
            f'<tr class="{_e(res.outcome.value)}"><td>{_e(res.outcome.value)}</td>'
            f"<td>{_e(res.status or '')}</td><td class=\"url\">{_a(url)}</td>"
            f'<td class="url">{_a(final)}</td><td>{_e(detail)}</td>'
            f"<td>{_e(res.meta.publisher or '')}</td><td>{_date(res.meta.published)}</td></tr>")
    return ('<div class="scroll"><table class="links"><thead><tr><th>outcome</th>'
            "<th>status</th><th>URL</th><th>final URL</th><th>title / error</th>"
            f"<th>publisher</th><th>date</th></tr></thead><tbody>{''.join(rows)}</tbody>"
            "</table></div>")


def _article(i: int, ar: ArticleReport) -> str:
    story = ar.story
    when = f"<strong>{_date(story.date)}</strong>" if story.date else "<strong>unknown</strong>"
    out = [f'<section class="article" id="article-{i}"><h2>{_e(ar.article.path)}</h2>',
           f'<p class="story-date">Story date: {when} ({_e(story.source)}'
           + (f": {_e(story.explanation)}" if story.explanation else "")
           + f"); tolerance {story.tolerance_days} day(s).</p>",
           timeline_svg(ar), f"<h3>Links ({len(ar.links)})</h3>", _links_table(ar)]
    skipped = sorted({c.skipped for c in ar.citations if c.skipped})
    if skipped:
        out.append(f"<p>Not fetched: {_e(', '.join(skipped))}.</p>")
    out.append(f"<h3>Findings ({len(ar.findings)})</h3>")
    out.append(_findings_table(ar, ar.findings, "findings") if ar.findings
               else '<p class="findings none">No findings.</p>')
    if ar.suppressed:
        out.append(f"<details><summary>{len(ar.suppressed)} suppressed</summary>"
                   f"{_findings_table(ar, ar.suppressed, 'suppressed')}</details>")
    out.append("</section>")
    return "\n".join(out)


def render(report: AuditReport, **_) -> str:
    counts = {s: sum(1 for a in report.articles for f in a.findings if f.severity is s)
              for s in Severity}
    links = sum(len(a.links) for a in report.articles)
    summary = ['<section id="summary"><ul class="counts">',
               *(f'<li class="{s.value}"><strong>{counts[s]}</strong> {s.value}</li>'
                 for s in Severity),
               f"<li>{len(report.articles)} article(s)</li><li>{links} link(s)</li></ul>"]
    if report.warc:
        summary.append(f'<p class="warc">Snapshot: <a href="{_e(_file_href(report.warc))}">'
                       f"{_e(report.warc)}</a></p>")
    summary += [f'<p class="notice">Note: {_e(n)}</p>' for n in report.notices]
    for note in report.archive_notes:
        summary.append(f'<p class="archives">Archives: {_e(note)}</p>')
    if report.interrupted:
        summary.append('<p class="interrupted">Interrupted: the report covers only the links '
                       "finished before the stop.</p>")
    summary.append("</section>")
    head = ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta http-equiv="Content-Security-Policy" '
            "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
            '<meta name="referrer" content="no-referrer">\n'
            f"<title>linkcheck report</title><style>{CSS}</style></head>\n<body>\n"
            "<h1>linkcheck report</h1>")
    body = [_article(i, ar) for i, ar in enumerate(report.articles, start=1)]
    return "\n".join([head, *summary, *body, "</body></html>"]) + "\n"
