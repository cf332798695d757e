"""The story's date: given, read from the article, or inferred from the dates
of the evidence it cites.

In order: `--published`; the article's own metadata (front matter, its HTML
metadata, or for an article audited by URL its page's metadata, visible
dateline or htmldate on the article itself); the date in the article's own URL;
a dateline at the top of the text ("Published 17 December 2021"); and only
then the cited sources.

Inference needs real agreement, because a wrong story date turns every later
source into a false error. Sources predate the story, so the story sits at
the top of a cluster: at least three distinct sources dated within one week
(a news cycle), outnumbering the sources dated after that week. Two sources
suffice only when they agree within the week and are a majority of every dated
source (the reference case: the cited page and its URL agree, a second source
the day before, and one recycled link years later). Anything weaker is
`unknown`, and the timeline rule says what it could not judge instead of
reporting a guess as an error.

The date printed is the publisher's local calendar date ("2020-06-28T23:30+03:00"
is the 28th); the instant, when one is known, is kept beside it so that the
timeline rule can compare two timestamps across time zones.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from linkcheck.model import Article, Citation, DateEvidence, Resolution, StoryDate
from linkcheck.urls.dates import url_date
from linkcheck.urls.parse import host_of

NEWS_CYCLE = timedelta(days=7)
MIN_CLUSTER = 3


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
    """The story date the cited sources agree on, or None and why not."""
    per = _one_date_per_source(evidence)
    if not per:
        return None, "no cited source carries a date"
    n = len(per)
    dates = sorted(per.values())
    best: tuple[int, date] | None = None  # (sources in the week up to it, its end)
    for end in dates:
        inside = sum(1 for d in dates if end - NEWS_CYCLE <= d <= end)
        if best is None or (inside, end) > best:
            best = (inside, end)
    assert best is not None
    inside, story = best
    later = [u for u, d in per.items() if d > story]
    shown_later = ", ".join(f"{_host(u)} {per[u]}" for u in later)
    strong = inside >= MIN_CLUSTER and inside > len(later)
    pair = inside == 2 and 2 * inside > n
    if not (strong or pair):
        if n == 1:
            u = next(iter(per))
            return None, (f"only one cited source is dated ({_host(u)} {per[u]}): too weak to "
                          "infer the story's date")
        return None, (f"the {n} dated sources do not agree: at most {inside} fall within one "
                      f"week (up to {story}); inference needs {MIN_CLUSTER} that outnumber the "
                      "later ones")
    parts = [f"{inside} of {n} dated sources cluster in the week up to {story}"]
    if pair:
        parts[0] += " (two agreeing sources are a majority of the dated ones)"
    if later:
        parts.append(f"{len(later)} later date(s) set aside as outliers ({shown_later})")
    return story, "; ".join(parts)


def _host(url: str) -> str:
    return host_of(url) or url


def article_cues(article: Article | None) -> tuple[date | None, str | None]:
    """The article's own date when its metadata gave none: the date in its own URL,
    else a dateline at the top of its text."""
    if article is None:
        return None, None
    for where in (article.path, article.base_url):
        if where and where.startswith(("http://", "https://")):
            ud = url_date(where)
            if ud is not None and ud.precision == "day":
                return ud.date, f"the article's own URL ({ud.text})"
    from linkcheck.pages.dates import dateline_in_text

    if article.kind in ("txt", "md") and (found := dateline_in_text(article.text[:2000])):
        return found.date, f"the article's {found.source}"
    return None, None


def story_date(explicit: date | None, article_date: date | None, article_evidence: str | None,
               citations: list[Citation], links: dict[str, Resolution],
               tolerance_days: int = 1, article: Article | None = None,
               instant: datetime | None = None) -> StoryDate:
    """instant: the story's timestamp with its offset, when the date came with one
    (`--published 2020-06-28T23:30:00+03:00`, or the article's own metadata)."""
    evidence = gather_evidence(citations, links)
    if instant is None and article is not None and not explicit:
        instant = parse_instant(article.published_at)
    if explicit:
        return StoryDate(explicit, "explicit", evidence, "given with --published", tolerance_days,
                         instant=instant)
    if article_date:
        return StoryDate(article_date, "metadata", evidence, article_evidence or "metadata",
                         tolerance_days, instant=instant)
    own, why_own = article_cues(article)
    if own is not None:
        return StoryDate(own, "metadata", evidence, why_own or "", tolerance_days)
    inferred, why = infer(evidence)
    if inferred is None:
        return StoryDate(None, "unknown", evidence, why, tolerance_days)
    return StoryDate(inferred, "inferred", evidence, why, tolerance_days)


def parse_instant(value: str | None) -> datetime | None:
    """A timestamp with its offset ("2020-06-28T23:30:00+03:00"), else None."""
    if not value or "T" not in value and " " not in value.strip():
        return None
    try:
        found = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return found if found.tzinfo is not None else None
