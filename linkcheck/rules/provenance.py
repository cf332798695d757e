"""Rules about which URL should be cited: tracking-params, url-shortener,
insecure-link, canonical-differs, and date-mismatch (URL date vs page date)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from linkcheck.model import Severity
from linkcheck.rules.base import Rule, RuleContext
from linkcheck.urls.dates import url_date
from linkcheck.urls.normalise import normalize, strip_tracking, strip_userinfo, tracking_params
from linkcheck.urls.parse import host_of

SHORTENERS = {
    "bit.ly", "bitly.com", "j.mp", "t.co", "tinyurl.com", "ow.ly", "buff.ly", "goo.gl",
    "is.gd", "v.gd", "rb.gy", "cutt.ly", "shorturl.at", "lnkd.in", "trib.al", "dlvr.it",
    "fb.me", "amzn.to", "tiny.cc", "t.ly", "s.id", "apple.co", "wp.me", "ift.tt", "bit.do",
    "rebrand.ly", "shorte.st", "soo.gd", "qr.ae", "po.st", "spr.ly", "tr.im", "x.co",
    "clck.ru", "vk.cc", "surl.li", "u.to", "sh.st", "adf.ly", "ln.is", "hubs.ly", "hubs.la",
    "mailchi.mp", "bl.ink", "short.io", "tinyurl.at",
}
DATE_MISMATCH_DAYS = 3  # htmldate's corpus: true URL/page disagreements are 1-6 days


def _tracking(rule: Rule, ctx: RuleContext):
    for c in ctx.citations:
        if not c.checkable:
            continue
        if params := tracking_params(c.url):
            yield rule.finding(ctx, c, f"tracking parameters ({', '.join(params)}); cite "
                               f"{strip_tracking(c.url)}", clean_url=strip_tracking(c.url),
                               params=params)


# An opaque token: letters and digits mixed (or mixed case), no words or hyphens.
_TOKEN = re.compile(r"^/(?=[A-Za-z0-9_]{4,16}/?$)(?=[^/]*(?:\d[^/]*[A-Za-z]|[A-Za-z][^/]*\d"
                    r"|[a-z][^/]*[A-Z]))[A-Za-z0-9_]+/?$")


def _site(host: str) -> str:
    """The registered part of a host, roughly: the last two labels (three under a
    two-letter second level such as co.uk)."""
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def shortener_kind(url: str, res) -> str | None:
    """Why the cited URL is a short link: a known service, or its shape (an opaque
    one-segment token on a host that only redirects it to another site, as an
    agency's own reut.rs or nyti.ms does). A same-site redirect is a moved page,
    and a short id that answers with the article itself is the article's address."""
    if host_of(url) in SHORTENERS:
        return "a URL shortener"
    parts = urlsplit(url)
    if parts.query or not _TOKEN.match(parts.path or ""):
        return None
    hops = res.hops if res is not None else []
    first = hops[0] if hops else None
    if first is None or first.status is None or not 300 <= first.status < 400 \
            or len(hops) < 2:
        return None
    if _site(host_of(hops[1].url)) == _site(host_of(url)):
        return None
    return "a short link (an opaque token on a host that only redirects elsewhere)"


def _shortener(rule: Rule, ctx: RuleContext):
    for c, res in ctx.checked():
        kind = shortener_kind(c.url, res)
        if kind is None:
            continue
        if res.final_url and host_of(res.final_url) not in SHORTENERS \
                and host_of(res.final_url) != host_of(c.url):
            msg = f"{kind} hides the source; cite {res.final_url}"
        else:
            msg = f"{kind} hides the source, and it did not lead anywhere checkable"
        yield rule.finding(ctx, c, msg, final_url=res.final_url, how=kind)


def _insecure(rule: Rule, ctx: RuleContext):
    for c, res in ctx.checked():
        if urlsplit(c.url).scheme != "http":
            continue
        upgraded = next((h.url for h in res.hops[1:] if urlsplit(h.url).scheme == "https"
                         and host_of(h.url) == host_of(c.url)), None)
        probe = ctx.probes.get(c.url)
        if upgraded:
            yield rule.finding(ctx, c, f"http:// link; the site itself moves readers to "
                               f"https (cite {res.final_url})", https_url=res.final_url)
        elif probe is not None and probe.outcome.alive:
            yield rule.finding(ctx, c, f"http:// link; the same page is served over https "
                               f"({probe.url})", https_url=probe.url)


def _canonical(rule: Rule, ctx: RuleContext):
    for c, res in ctx.checked():
        canonical = res.meta.canonical
        if not canonical or not res.outcome.alive:
            continue
        if urlsplit(canonical).path in ("", "/") and urlsplit(res.final_url or "").path not in (
                "", "/"):
            continue  # a site declaring its home page canonical everywhere is misconfigured
        same = {_schemeless(normalize(u)) for u in (c.url, res.final_url or "")}
        if _schemeless(normalize(canonical)) not in same:
            how = res.meta.sources.get("canonical", "the page")
            yield rule.finding(ctx, c, f"the page declares another canonical URL ({how}); "
                               f"cite {canonical}", canonical=canonical)


def _schemeless(url: str) -> str:
    return url.split("://", 1)[-1].removeprefix("www.")


def _credentials(rule: Rule, ctx: RuleContext):
    for c in ctx.citations:
        if not c.checkable or strip_userinfo(c.url) == c.url:
            continue
        yield rule.finding(ctx, c, "the URL carries a user name or password, which every "
                           f"reader can see; it was not sent. Cite {strip_userinfo(c.url)}",
                           url=strip_userinfo(c.url))


def _date_mismatch(rule: Rule, ctx: RuleContext):
    for c, res in ctx.checked():
        ud = url_date(c.url)
        page = res.meta.published
        if not ud or ud.precision != "day" or not page:
            continue
        gap = abs((page - ud.date).days)
        if gap > DATE_MISMATCH_DAYS:
            how = res.meta.sources.get("published", "page metadata")
            yield rule.finding(ctx, c, f"the URL says {ud.date} but the page says {page} "
                               f"({how}): {gap} days apart, a wrong or recycled link?",
                               url_date=ud.date.isoformat(), page_date=page.isoformat(),
                               page_date_source=how, days=gap)


RULES = [
    Rule("tracking-params", Severity.INFO, "utm_*, fbclid and similar in a cited URL; "
         "cite the clean URL", _tracking, "Tracking parameters leak where a reader came "
         "from and make two citations of one page look different."),
    Rule("url-shortener", Severity.WARNING, "a URL shortener hides the source; cite the "
         "resolved URL", _shortener, "Readers cannot see where a short link goes, and "
         "shorteners die or get re-pointed. Cite the destination. Known services are "
         "recognised by name, a newsroom's or agency's own short domain by its shape: an "
         "opaque one-segment token whose host redirects it to another site. A redirect "
         "within the same site (a moved page) and a short id that serves the article "
         "itself are not short links."),
    Rule("insecure-link", Severity.INFO, "http:// where the same page is served over https",
         _insecure, "An https link cannot be altered in transit; use it when the site "
         "serves one."),
    Rule("canonical-differs", Severity.INFO, "the page declares another canonical URL; "
         "cite that one", _canonical, "The canonical URL is the address the publisher "
         "stands behind; mirrors, AMP and syndicated copies declare it."),
    Rule("credentials-in-url", Severity.ERROR, "a cited URL contains a user name or "
         "password", _credentials, "Credentials in a published link leak to every reader. "
         "linkcheck never sends them, nor stores them in a snapshot."),
    Rule("date-mismatch", Severity.WARNING, "the URL's date and the page's publication date "
         f"disagree by more than {DATE_MISMATCH_DAYS} days", _date_mismatch,
         "A URL dated one day on a page dated another often means the link points at a "
         "different (older or recycled) story than intended."),
]
