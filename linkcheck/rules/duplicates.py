"""duplicate-link: the same source cited more than once."""

from __future__ import annotations

from linkcheck.model import Severity
from linkcheck.rules.base import Rule, RuleContext
from linkcheck.urls.normalise import normalize


def _landing(res) -> bool:
    """A redirect that ends on a home, login or not-found page."""
    from urllib.parse import urlsplit

    from linkcheck.rules.soft404 import is_home, soft_404_reason

    path = urlsplit(res.final_url).path.lower()
    redirected = res.final_url != res.url
    return redirected and (is_home(res.final_url) or any(
        w in path for w in ("login", "signin", "sign-in", "subscribe", "paywall"))
        or soft_404_reason(res) is not None)


def _duplicates(rule: Rule, ctx: RuleContext):
    first_by_key: dict[tuple[str, str], tuple] = {}
    for c in ctx.citations:
        if not c.checkable:
            continue
        keys = [("url", normalize(c.url))]
        res = ctx.links.get(c.url)
        # Two dead links that both land on a home or login page are not one source.
        if res and res.outcome.alive and res.final_url and not _landing(res):
            keys.append(("final", normalize(res.final_url)))
        earlier = next((first_by_key[k] for k in keys if k in first_by_key), None)
        if earlier is None:
            for k in keys:
                first_by_key.setdefault(k, (c, k))
            continue
        first, _ = earlier
        if c.url == first.url:
            how = "cited again, word for word"
        elif normalize(c.url) == normalize(first.url):
            how = "the same URL in another form (case, port, slash, fragment or tracking)"
        else:
            how = f"both lead to {res.final_url}" if res else "the same source"
        yield rule.finding(
            ctx, c, f"duplicate of the citation at line {first.line}, column {first.column}: "
            f"{how}", first_line=first.line, first_column=first.column, first_url=first.url)
        for k in keys:
            first_by_key.setdefault(k, (first, k))


RULES = [
    Rule("duplicate-link", Severity.WARNING,
         "the same source is cited more than once (after normalisation or redirects)",
         _duplicates, "Two citations of one source often mean a missing source: the "
         "second link was meant to point somewhere else. Check which claim each backs."),
]
