"""soft-404: a 200 that really means "not found"."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from linkcheck.model import Resolution, Severity
from linkcheck.rules.base import Rule, RuleContext

_HOME_PATHS = re.compile(r"^/(?:[a-z]{2}(?:[-_][a-z]{2})?/?)?(?:index\.(?:html?|php|aspx?))?$",
                         re.IGNORECASE)
_NOT_FOUND_PATHS = re.compile(r"/(?:404|not[-_]?found|page[-_]?not[-_]?found|error|search)"
                              r"(?:\.[a-z]+)?/?$", re.IGNORECASE)


def _site(host: str) -> str:
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def is_home(url: str) -> bool:
    return bool(_HOME_PATHS.match(urlsplit(url).path or "/")) and not urlsplit(url).query


def soft_404_reason(res: Resolution) -> str | None:
    if not res.outcome.alive or not res.final_url:
        return None
    from linkcheck.pages.metadata import looks_not_found

    cited, final = urlsplit(res.url), urlsplit(res.final_url)
    if res.redirects and not is_home(res.url):
        same_site = _site(cited.hostname or "") == _site(final.hostname or "")
        if is_home(res.final_url) and same_site:
            return f"the deep link was redirected to the site's home page {res.final_url}"
        if _NOT_FOUND_PATHS.search(final.path) and not _NOT_FOUND_PATHS.search(cited.path):
            return f"the link was redirected to an error or search page {res.final_url}"
    if looks_not_found(res.meta):
        said = res.meta.title or (res.meta.headings[0] if res.meta.headings else "")
        return f"the page answers {res.status} but says {said!r}"
    return None


def _soft_404(rule: Rule, ctx: RuleContext):
    for c, res in ctx.checked():
        if reason := soft_404_reason(res):
            yield rule.finding(ctx, c, f"soft 404: {reason}", final_url=res.final_url)


RULES = [
    Rule("soft-404", Severity.ERROR,
         "a 200 that is really 'not found': deep link sent to the home page, or a "
         "not-found page served with 200", _soft_404,
         "The server hides a missing page behind a success status. Readers land on a "
         "home page or an error page instead of the source."),
]
