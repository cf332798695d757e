"""The story's date: given, read from the article, or inferred from the dates
of the evidence it cites.

Inference model: sources predate the story, so the story date sits at the top
of the evidence; but some evidence is wrong (a recycled link, a mistyped URL),
and wrong dates are what the timeline rules exist to catch. So the top third
of the dated sources is allowed to be wrong: we take the date below which at
least two thirds of them lie, then extend it across sources dated within a
week above it (the same news cycle). One outlier cannot move the result, and
nor can a third of the evidence.
"""

from __future__ import annotations

from datetime import date, timedelta

from linkcheck.model import Citation, DateEvidence, Resolution, StoryDate
from linkcheck.urls.dates import url_date
from linkcheck.urls.parse import host_of

NEWS_CYCLE = timedelta(days=7)


def gather_evidence(citations: list[Citation], links: dict[str, Resolution]) -> list[DateEvidence]:
    """Dated evidence per distinct cited URL: the URL's own date and the page's."""
    out: list[DateEvidence] = []
    seen: set[str] = set()
    for c in citations:
        if not c.checkable or c.url in seen:
            continue
        seen.add(c.url)
        ud = url_date(c.url)
        if ud and ud.precision == "day":
            out.append(DateEvidence(c.url, ud.date, "url"))
        res = links.get(c.url)
        if res and res.meta.published:
            how = res.meta.sources.get("published", "metadata")
            out.append(DateEvidence(c.url, res.meta.published, f"page:{how}"))
    return out


def _one_date_per_source(evidence: list[DateEvidence]) -> dict[str, date]:
    """A source counts once: its page date when it has one, else its URL date."""
    per: dict[str, date] = {}
    for ev in evidence:
        if ev.source.startswith("page:") or ev.url not in per:
            per[ev.url] = ev.date
    return per


def infer(evidence: list[DateEvidence]) -> tuple[date | None, str]:
    per = _one_date_per_source(evidence)
    if not per:
        return None, "no cited source carries a date"
    dates = sorted(per.values())
    n = len(dates)
    may_be_wrong = max(1, n // 3) if n >= 2 else 0
    story = dates[n - 1 - may_be_wrong]
    for d in dates[n - may_be_wrong:]:
        if d <= story + NEWS_CYCLE:
            story = d
    agreeing = [u for u, d in per.items() if story - NEWS_CYCLE <= d <= story]
    ignored = [u for u, d in per.items() if d > story]
    parts = [f"{len(agreeing)} of {n} dated sources cluster in the week up to {story}"]
    if ignored:
        shown = ", ".join(f"{_host(u)} {per[u]}" for u in ignored)
        parts.append(f"{len(ignored)} later date(s) set aside as outliers ({shown})")
    if n == 1:
        parts = [f"only one dated source ({_host(next(iter(per)))} {story}): weak evidence"]
    return story, "; ".join(parts)


def _host(url: str) -> str:
    return host_of(url) or url


def story_date(explicit: date | None, article_date: date | None, article_evidence: str | None,
               citations: list[Citation], links: dict[str, Resolution],
               tolerance_days: int = 1) -> StoryDate:
    evidence = gather_evidence(citations, links)
    if explicit:
        return StoryDate(explicit, "explicit", evidence, "given with --published", tolerance_days)
    if article_date:
        return StoryDate(article_date, "metadata", evidence, article_evidence or "metadata",
                         tolerance_days)
    inferred, why = infer(evidence)
    if inferred is None:
        return StoryDate(None, "unknown", evidence, why, tolerance_days)
    return StoryDate(inferred, "inferred", evidence, why, tolerance_days)
