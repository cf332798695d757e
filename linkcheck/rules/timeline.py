"""date-after-story: a cited source dated after the story it supports."""

from __future__ import annotations

from linkcheck.model import Severity
from linkcheck.rules.base import Rule, RuleContext
from linkcheck.urls.dates import url_date


def _story_phrase(ctx: RuleContext) -> str:
    s = ctx.story
    if s.source == "explicit":
        return f"the story date {s.date} (given with --published)"
    if s.source == "metadata":
        return f"the story date {s.date} (from the article's {s.explanation or 'metadata'})"
    return f"the story date {s.date} (inferred: {s.explanation})"


def _after_story(rule: Rule, ctx: RuleContext):
    end, story = ctx.story.window_end, ctx.story.date
    if end is None or story is None:
        return
    for c in ctx.citations:
        if not c.checkable:
            continue
        found = []
        ud = url_date(c.url)
        if ud and ud.date > end:
            found.append((f"the URL's date {ud.describe()}", ud.date, "url"))
        res = ctx.links.get(c.url)
        if res and res.meta.published and res.meta.published > end:
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


RULES = [
    Rule("date-after-story", Severity.ERROR,
         "a date in the cited URL, or the page's publication date, is after the story's date",
         _after_story, "A source published after the story cannot be what the story relied "
         "on: the link was probably swapped, recycled or mistyped. Tolerance: one day."),
]
