"""The catalogue report as one self-contained HTML page: inline CSS, the rot
curve as inline SVG, no script and no network asset."""

from __future__ import annotations

import math
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the data comes from report.py, which calls render()
    from linkcheck.catalogue.report import Catalogue, YearRot

CSS = """
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;
max-width:1100px;padding:0 1rem;color:#1d232a}
h1{font-size:1.6rem;margin:0 0 .3rem}h2{font-size:1.2rem;margin:2rem 0 .6rem}
.muted{color:#5d6873}.figures{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.figure{border:1px solid #d8dee4;border-radius:6px;padding:.6rem 1rem;min-width:9rem}
.figure b{display:block;font-size:1.5rem}.dead{color:#b42318}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;
border-bottom:1px solid #eaeef2;vertical-align:top}td.n,th.n{text-align:right}
svg text{font:12px system-ui,sans-serif;fill:#1d232a}svg .axis{stroke:#8c959f}
svg rect.year{fill:#d1495b}svg .grid{stroke:#eaeef2}code{font-size:.85em;word-break:break-all}
ul.dead-links{margin:.2rem 0;padding-left:1.1rem}
"""


def rot_svg(curve: list[YearRot], width: int = 900, height: int = 320) -> str:
    if not curve:
        return '<p class="muted">No dated article with deep links has been audited yet.</p>'
    left, bottom, top, right = 48, 40, 24, 12
    plot_w, plot_h = width - left - right, height - top - bottom
    highest = max(y.share for y in curve)
    peak = min(1.0, max(0.2, math.ceil(highest * 1.05 / 0.2) * 0.2))  # 0.2, 0.4 ... 1.0
    step = plot_w / len(curve)
    bar = max(2.0, step * 0.7)
    parts = [f'<svg class="rot-curve" xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
             'aria-label="Share of dead deep links by year of publication">']
    for i in range(5):
        value = peak * i / 4
        y = top + plot_h - plot_h * value / peak
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" '
                     f'y2="{y:.1f}"/><text x="{left - 6}" y="{y + 4:.1f}" '
                     f'text-anchor="end">{value:.0%}</text>')
    label_every = max(1, len(curve) // 20)
    for i, year in enumerate(curve):
        h = plot_h * year.share / peak
        x = left + i * step + (step - bar) / 2
        y = top + plot_h - h
        parts.append(f'<rect class="year" data-year="{escape(year.year)}" '
                     f'data-share="{year.share:.4f}" x="{x:.1f}" y="{y:.1f}" '
                     f'width="{bar:.1f}" height="{h:.1f}"><title>{escape(year.year)}: '
                     f'{year.dead} of {year.links} deep links dead ({year.share:.0%})'
                     '</title></rect>')
        if i % label_every == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" '
                         f'text-anchor="middle">{escape(year.year)}</text>')
        if len(curve) <= 30 and year.links:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" '
                         f'text-anchor="middle">{year.share:.0%}</text>')
    parts.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{top + plot_h}" '
                 f'y2="{top + plot_h}"/>')
    parts.append(f'<text x="{left + plot_w / 2}" y="{height - 4}" text-anchor="middle">'
                 'year of the article\'s publication</text></svg>')
    return "".join(parts)


def render(cat: Catalogue) -> str:
    s = cat.summary
    share = f"{s.articles_with_dead / s.articles_with_deep:.0%}" if s.articles_with_deep else "–"
    figures = [("articles", s.articles), ("audited", s.audited), ("distinct links", s.links),
               ("dead links", s.dead), ("confirmed dead (monitor)", s.confirmed_dead),
               ("articles with a dead deep link", share)]
    out = ["<!doctype html><html lang='en'><head><meta charset='utf-8'>",
           "<meta name='viewport' content='width=device-width,initial-scale=1'>",
           "<title>linkcheck catalogue report</title><style>", CSS, "</style></head><body>",
           "<h1>Catalogue report</h1>",
           f"<p class='muted'>Generated {escape(s.generated[:19].replace('T', ' '))} UTC. "
           "A link is dead when its latest check failed (4xx/5xx or no answer).</p>",
           "<section id='summary'><div class='figures'>"]
    for label, value in figures:
        cls = " dead" if "dead" in label else ""
        out.append(f"<div class='figure'><b class='{cls.strip()}'>{escape(str(value))}</b>"
                   f"{escape(label)}</div>")
    out.append("</div></section>")
    out += ["<section id='rot-curve'><h2>Rot curve: dead deep links by year of publication"
            "</h2>", rot_svg(cat.rot_curve), "</section>"]
    out += ["<section id='sites'><h2>Dead links by site cited</h2><table><thead><tr>"
            "<th>site</th><th class='n'>links</th><th class='n'>dead</th></tr></thead><tbody>"]
    out += [f"<tr><td>{escape(x['site'])}</td><td class='n'>{x['links']}</td>"
            f"<td class='n dead'>{x['dead']}</td></tr>" for x in cat.sites]
    out.append("</tbody></table></section>")
    out += ["<section id='articles'><h2>Articles with the most dead links</h2><table><thead>"
            "<tr><th>article</th><th>published</th><th class='n'>dead</th></tr></thead><tbody>"]
    for a in cat.articles:
        items = []
        for link in a["links"]:
            snap = link["snapshot"]
            where = (f" — archived {escape(snap['checked_at'][:10])} in "
                     f"<code>{escape(snap['warc'])}</code>") if snap else ""
            items.append(f"<li><code>{escape(link['url'])}</code> "
                         f"({escape(str(link['status'] or link['outcome']))}){where}</li>")
        out.append(f"<tr class='article'><td><a href='{escape(a['url'], quote=True)}'>"
                   f"{escape(a['url'])}</a><ul class='dead-links'>{''.join(items)}</ul></td>"
                   f"<td>{escape(a['published'] or 'undated')}</td>"
                   f"<td class='n dead'>{a['dead']}</td></tr>")
    out.append("</tbody></table></section>")
    if s.findings:
        out += ["<section id='findings'><h2>Findings by rule</h2><table><tbody>"]
        out += [f"<tr><td>{escape(rule)}</td><td class='n'>{n}</td></tr>"
                for rule, n in s.findings.items()]
        out.append("</tbody></table></section>")
    out.append("</body></html>\n")
    return "".join(out)
