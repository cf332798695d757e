"""A memento is checked the way a live page is: it must answer 2xx, not be a
soft 404, not a bot wall or CAPTCHA (archive.today serves those with 200), not
an archived redirect to the site's home page, and, where the citation names a
headline, not a different story."""

from __future__ import annotations

from dataclasses import dataclass

from linkcheck.mend.memento import Answer, original_of

TITLE_MATCH = 0.4  # as title-mismatch: at or above, the same story
_CAPTCHA_MARKERS = (b"g-recaptcha", b"h-captcha", b"hcaptcha.com", b"cf-turnstile",
                    b"recaptcha/api.js", b"challenges.cloudflare.com")


@dataclass
class Verdict:
    ok: bool
    status: int | None
    why: str  # "200, title matches the ..." or the reason it was refused
    title: str | None = None
    title_match: bool | None = None  # None: no headline to compare with


def check_capture(chain: list[Answer], cited: str, headline: str | None,
                  headline_source: str | None) -> Verdict:
    from linkcheck.resolve.classify import challenge_reason
    from linkcheck.rules.soft404 import is_home

    last = chain[-1]
    status = last.status
    if len(chain) > 1:
        landed = original_of(last.url) or last.url
        if is_home(landed) and not is_home(cited):
            return Verdict(False, status, f"an archived redirect to the home page {landed}")
    if not 200 <= status < 300:
        return Verdict(False, status, f"the capture itself is an HTTP {status}")
    meta = _meta(last, original_of(last.url) or cited)
    challenge = challenge_reason(status, last.headers, meta, last.body)
    if challenge is None and _has_captcha(last.body):
        challenge = "a CAPTCHA page"
    if challenge is None and "captcha" in (meta.title or "").lower():
        challenge = f"a CAPTCHA page (title {meta.title!r})"
    if challenge:
        return Verdict(False, status, f"the archive served a bot wall: {challenge}",
                       meta.title)
    from linkcheck.pages.metadata import looks_not_found

    if looks_not_found(meta):
        said = meta.title or (meta.headings[0] if meta.headings else "")
        return Verdict(False, status, f"a soft 404 (the capture says {said!r})", meta.title)
    if headline and meta.title:
        from linkcheck.analysis.textmatch import similarity

        score = similarity(headline, meta.title)
        if score < TITLE_MATCH:
            return Verdict(False, status, f"a different story (title {meta.title!r}, "
                           f"{score:.2f} alike with the {headline_source or 'citation'})",
                           meta.title, False)
        return Verdict(True, status, f"{status}, title matches the "
                       f"{headline_source or 'citation'}", meta.title, True)
    return Verdict(True, status, f"{status}, not a soft 404 or bot wall"
                   + (f" (title {meta.title!r})" if meta.title else ""), meta.title)


def _has_captcha(body: bytes) -> bool:
    head = body[:200_000].lower()
    return any(m in head for m in _CAPTCHA_MARKERS)


def _meta(answer: Answer, url: str):
    from linkcheck.model import PageMeta
    from linkcheck.pages import decode_body, extract_meta

    ctype = answer.header("content-type") or ""
    head = answer.body[:512].lstrip().lower()
    if "html" not in ctype.lower() and not head.startswith((b"<!doctype html", b"<html")):
        return PageMeta()
    text, _ = decode_body(answer.body, ctype or None)
    return extract_meta(text, url, answer.headers, with_text=False)
