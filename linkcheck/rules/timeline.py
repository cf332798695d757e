"""date-after-story: a cited source dated after the story it supports."""

from __future__ import annotations

from datetime import date, timedelta

from linkcheck.analysis.story_date import parse_instant
from linkcheck.model import Severity
from linkcheck.rules.base import Rule, RuleContext
from linkcheck.urls.dates import url_date


def _story_phrase(ctx: RuleContext) -> str:
    s = ctx.story
    if s.source == "explicit":
        return f"the story date {s.date} (given with --published)"
    if s.source == "metadata":
        return f"the story date {s.date} (from {s.explanation or 'the article metadata'})"
    return f"the story date {s.date} (inferred: {s.explanation})"


def _within_by_instant(ctx: RuleContext, page_instant: str | None) -> bool:
    """Whether two timestamps say the source is not after the story beyond the
    tolerance, whatever their local calendar dates ("2020-06-29T01:00+03:00" is
    before "2020-06-28T23:30-05:00")."""
    story = ctx.story.instant
    page = parse_instant(page_instant)
    if story is None or page is None:
        return False
    return page - story <= timedelta(days=ctx.story.tolerance_days)


def _after_story(rule: Rule, ctx: RuleContext):
    end, story = ctx.story.window_end, ctx.story.date
    if end is None or story is None:
        yield from _not_judged(rule, ctx)
        return
    for c in ctx.citations:
        if not c.checkable:
            continue
        found = []
        ud = url_date(c.url)
        if ud and ud.date > end:
            found.append((f"the URL's date {ud.describe()}", ud.date, "url"))
        res = ctx.links.get(c.url)
        if res and res.meta.published and res.meta.published > end \
                and not _within_by_instant(ctx, res.meta.published_at):
            how = res.meta.sources.get("published", "page metadata")
            found.append((f"the page's own publication date {res.meta.published} ({how})",
                          res.meta.published, "page"))
        for what, when, source in found:
            days = (when - story).days
            yield rule.finding(
                ctx, c, f"{what} is {days} days after {_story_phrase(ctx)}: a source cannot "
                "postdate the story; the link is probably wrong or recycled",
                date=when.isoformat(), date_source=source, story_date=story.isoformat(),
                story_source=ctx.story.source, days_after=days)


def _not_judged(rule: Rule, ctx: RuleContext):
    """With no story date, one note that says which dated sources went unjudged."""
    dated: dict[str, date] = {}
    for ev in ctx.story.evidence:
        dated.setdefault(ev.url, ev.date)
    if not dated:
        return
    shown = ", ".join(f"{u} ({d})" for u, d in list(dated.items())[:5])
    more = f" and {len(dated) - 5} more" if len(dated) > 5 else ""
    note = rule.finding_at(
        ctx, 1, 1,
        f"not judged: the story's date is unknown ({ctx.story.explanation}), so the dates of "
        f"{len(dated)} cited source(s) could not be checked against it: {shown}{more}. Give "
        "it with --published, or a date in the front matter",
        {"story_source": ctx.story.source, "why": ctx.story.explanation,
         "unjudged": [{"url": u, "date": d.isoformat()} for u, d in dated.items()],
         "key": "story-date-unknown"})
    note.severity = Severity.INFO  # a note of what was not checked, never a verdict
    yield note


RULES = [
    Rule("date-after-story", Severity.ERROR,
         "a date in the cited URL, or the page's publication date, is after the story's date",
         _after_story, "A source published after the story cannot be what the story relied "
         "on: the link was probably swapped, recycled or mistyped. Tolerance: one day; two "
         "timestamps with their offsets are compared as instants. With no story date (none "
         "given, none in the article, no agreement among the sources) it reports, at info "
         "level, which dated sources it could not judge."),
]
