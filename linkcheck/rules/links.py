"""Rules about whether a link answers: broken-link, blocked, redirected,
private-address, malformed-url."""

from __future__ import annotations

from linkcheck.model import Outcome, Severity
from linkcheck.resolve.classify import PERMANENT_REDIRECTS
from linkcheck.rules.base import Rule, RuleContext


def _broken(rule: Rule, ctx: RuleContext):
    for c, res in ctx.checked():
        if res.error_kind in ("private-address",):
            continue
        if res.outcome is Outcome.BROKEN:
            what = f"HTTP {res.status}" if res.error is None else res.error
            where = f" (after redirects, at {res.final_url})" if len(res.hops) > 1 else ""
            yield rule.finding(ctx, c, f"broken: {what}{where}", status=res.status,
                               error=res.error, final_url=res.final_url)
        elif res.outcome is Outcome.ERROR:
            yield rule.finding(ctx, c, f"could not be checked: {res.error}", error=res.error)


def _blocked(rule: Rule, ctx: RuleContext):
    for c, res in ctx.checked():
        if res.outcome is Outcome.BLOCKED:
            yield rule.finding(
                ctx, c, f"could not be verified: {res.blocked_reason}; the site refuses "
                "automated checks, so open it in a browser", reason=res.blocked_reason,
                status=res.status)


def _redirected(rule: Rule, ctx: RuleContext):
    for c, res in ctx.checked():
        if res.outcome not in (Outcome.REDIRECTED,) or not res.final_url:
            continue
        permanent = [h for h in res.redirects if h.status in PERMANENT_REDIRECTS]
        if permanent:
            chain = " -> ".join(f"{h.status}" for h in res.redirects)
            yield rule.finding(
                ctx, c, f"permanently redirected ({chain}); cite {res.final_url} instead",
                final_url=res.final_url, redirects=[[h.url, h.status] for h in res.redirects])


def _private(rule: Rule, ctx: RuleContext):
    for c, res in ctx.checked():
        if res.error_kind == "private-address":
            yield rule.finding(ctx, c, f"{res.error} (no request was sent; use "
                               "--allow-private to check internal links)",
                               address=res.private_address)


def _malformed(rule: Rule, ctx: RuleContext):
    for c in ctx.citations:
        if c.invalid:
            yield rule.finding(ctx, c, c.invalid, **(
                {"suggestion": c.suggestion} if c.suggestion else {}))


RULES = [
    Rule("broken-link", Severity.ERROR,
         "the link answers 4xx/5xx, or fails (DNS, TLS, refused, timeout) after retries",
         _broken, "Readers following this citation get nothing. Find the page's new "
         "address or an archived copy (the WARC snapshot keeps what was fetched)."),
    Rule("blocked", Severity.WARNING,
         "401/403/429/999 or a bot challenge: the link could not be verified",
         _blocked, "Blocked is not broken: the site refused an automated client. "
         "Check the link by hand; add the domain's accepted statuses in config if routine."),
    Rule("redirected", Severity.INFO,
         "the citation goes through a permanent redirect; cite the final URL",
         _redirected, "A permanent redirect means the publisher moved the page. "
         "Citing the final URL saves a hop and survives the old URL's retirement."),
    Rule("private-address", Severity.ERROR,
         "the URL or a redirect hop points at a loopback, private or link-local address",
         _private, "Such links cannot work for readers and must not be fetched by CI. "
         "No request is sent; --allow-private lifts the guard."),
    Rule("malformed-url", Severity.ERROR,
         "a cited URL cannot be parsed (bad host, port or characters), has a mistyped "
         "scheme (https;// htps:// http//), or is cut at a line break",
         _malformed, "The URL as written cannot be opened; correct it. For a mistyped "
         "scheme the message (and `suggestion` in the evidence) gives the URL most likely "
         "meant; a URL cut at the end of a line is named with both lines. It is never "
         "fetched, so a typo cannot pass as a skipped relative link."),
]
