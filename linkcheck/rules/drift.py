"""content-drift: a cited page whose main text changed materially since an
earlier snapshot (--compare WARC), or that was alive then and is broken now.

Compares the extracted main text (trafilatura, via linkcheck.pages), never
raw bytes: markup, ads and navigation are left out by the extraction, and
tokens holding digits (times, dates, counters, view counts) are dropped
before comparing, so a page whose only change is its "updated 10:42" line
stays quiet.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from difflib import SequenceMatcher

from linkcheck.model import Outcome, Severity
from linkcheck.rules.base import Rule, RuleContext

# Below this share of the earlier text kept in order, the change is material:
# a rewritten paragraph in a short story, a retraction, a different page.
THRESHOLD = 0.85
WORD_DIFF_LIMIT = 4_000  # tokens in a changed stretch compared word by word
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def tokens(text: str) -> list[str]:
    """Lower-cased words, without the ones that hold digits."""
    return [w for w in _WORD.findall(text.lower()) if not any(ch.isdigit() for ch in w)]


def similarity(old: str, new: str) -> float:
    """0..1, difflib's ratio over the texts' words (2 * matched / all), computed
    in two passes for speed: sentences first, then word by word inside the
    stretches that differ. A word-level diff of two long pages takes minutes."""
    a, b = _sentences(old), _sentences(new)
    total = sum(map(len, a)) + sum(map(len, b))
    if total == 0:
        return 1.0
    matched = 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            matched += 2 * sum(map(len, a[i1:i2]))
        elif tag == "replace":
            matched += 2 * _words_matched([w for s in a[i1:i2] for w in s],
                                          [w for s in b[j1:j2] for w in s])
    return matched / total


def _sentences(text: str) -> list[tuple[str, ...]]:
    return [t for t in (tuple(tokens(s)) for s in _SENTENCE_END.split(text)) if t]


def _words_matched(x: list[str], y: list[str]) -> int:
    if len(x) + len(y) <= WORD_DIFF_LIMIT:
        blocks = SequenceMatcher(None, x, y, autojunk=False).get_matching_blocks()
        return sum(block.size for block in blocks)
    # A long rewritten stretch: shared word trigrams estimate what survives in order.
    common = Counter(zip(x, x[1:], x[2:], strict=False)) & Counter(
        zip(y, y[1:], y[2:], strict=False))
    return min(len(x), len(y), sum(common.values()))


def _drift(rule: Rule, ctx: RuleContext):
    earlier = ctx.earlier
    seen: set[str] = set()
    for c, res in ctx.checked():
        then = earlier.get(c.url)
        if then is None or c.url in seen:
            continue
        seen.add(c.url)
        old = then.resolution
        when = (then.captured or "")[:10] or "an unknown date"
        where = f"the snapshot of {when} ({then.warc})"
        if not old.outcome.alive:
            continue
        if res.outcome in (Outcome.BROKEN, Outcome.ERROR):
            now = f"HTTP {res.status}" if res.error is None else res.error
            finding = rule.finding(
                ctx, c, f"alive in {where} (HTTP {old.status}), broken now ({now}); the "
                "archived copy is the evidence of what it said", captured=then.captured,
                snapshot=then.warc, status_then=old.status, status_now=res.status)
            # A note beside broken-link, which already carries the error.
            yield replace(finding, severity=ctx.severities.get(rule.id, Severity.INFO))
            continue
        if not res.outcome.alive or not old.meta.text or not res.meta.text:
            continue
        score = similarity(old.meta.text, res.meta.text)
        if score < THRESHOLD:
            yield rule.finding(
                ctx, c, f"the page's main text changed since {where}: {score:.0%} similar; "
                "check that it still says what the article cites it for",
                similarity=round(score, 3), captured=then.captured, snapshot=then.warc,
                final_url_then=old.final_url, final_url_now=res.final_url)


RULES = [
    Rule("content-drift", Severity.WARNING,
         "a cited page's main text changed materially since an earlier snapshot (--compare)",
         _drift, "The source no longer says what it said when the story cited it: a "
         "correction, an update or a different page. Compare the two versions (the earlier "
         "WARC holds the old one) and update the citation or the article. Changes to ads, "
         "timestamps and page furniture are ignored; a page alive then and broken now is "
         "noted too."),
]
