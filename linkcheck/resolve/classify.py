"""From the final answer of a link to its outcome: ok, redirected, broken or
blocked (a bot wall or rate limit is "could not verify", not "gone")."""

from __future__ import annotations

from linkcheck.model import Hop, Outcome, PageMeta

BLOCKING_STATUSES = {401: "authentication required", 403: "forbidden",
                     429: "rate limited", 999: "bot wall (999)"}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
PERMANENT_REDIRECTS = {301, 308}

_CHALLENGE_TITLES = (
    "just a moment", "attention required", "checking your browser", "access denied",
    "verify you are human", "are you a robot", "captcha", "pardon our interruption",
    "request unsuccessful", "security check", "ddos-guard", "please verify you are a human",
    "one more step",
)
_CHALLENGE_MARKERS = (
    b"cf-chl-", b"challenge-platform", b"_incapsula_resource", b"px-captcha",
    b"captcha-delivery.com", b"geo.captcha-delivery", b"ak_bmsc", b"/_sec/cp_challenge",
    b"ddos-guard", b"awswaf",
)


def challenge_reason(status: int, headers: dict[str, str], meta: PageMeta,
                     body: bytes) -> str | None:
    """Why this answer looks like a bot challenge rather than the page, or None."""
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return "Cloudflare challenge (cf-mitigated header)"
    datadome = "x-datadome" in headers or "x-dd-b" in headers
    if datadome and (status >= 400 or b"captcha" in body[:65536].lower()):
        return "DataDome challenge"
    server = headers.get("server", "").lower()
    title = (meta.title or "").strip().lower()
    head = body[:65536].lower()
    marker = next((m for m in _CHALLENGE_MARKERS if m in head), None)
    challenge_title = any(t in title for t in _CHALLENGE_TITLES)
    if marker and (status >= 400 or challenge_title):
        return f"bot challenge page ({marker.decode()})"
    if status in (403, 503) and any(t in title for t in _CHALLENGE_TITLES):
        vendor = "Cloudflare" if "cloudflare" in server else (
            "Akamai" if "akamai" in server else "bot wall")
        return f"{vendor} challenge page (title {meta.title!r})"
    return None


def classify(hops: list[Hop], headers: dict[str, str], meta: PageMeta,
             body: bytes) -> tuple[Outcome, str | None]:
    """Outcome of a link whose last hop answered, and the blocked reason if any."""
    status = hops[-1].status or 0
    challenge = challenge_reason(status, headers, meta, body)
    if challenge:
        return Outcome.BLOCKED, challenge
    if status in BLOCKING_STATUSES:
        return Outcome.BLOCKED, f"HTTP {status} ({BLOCKING_STATUSES[status]})"
    if status >= 400 or status < 200:
        return Outcome.BROKEN, None
    if status in REDIRECT_STATUSES:  # a redirect with no usable Location
        return Outcome.BROKEN, None
    if len(hops) > 1:
        return Outcome.REDIRECTED, None
    return Outcome.OK, None
