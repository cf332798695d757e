"""Claim rules against an editor's marks: precision and recall per rule.

Reads tests/fixtures/claims/cases.toml (articles, the cited pages' answers and
HTML, the findings an editor marks as right), runs the rules offline and
counts, per rule, the findings that match a mark (rule and line), those that
match none (false positives) and the marks no finding matched (false negatives).

    python bench/claims/eval_claims.py [--cases FILE] [-v]
"""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, os.environ.get("LINKCHECK_SRC", str(ROOT)))

RULES = ("unsourced-attribution", "title-mismatch", "url-shortener", "soft-404")


def _resolution(url: str, spec: dict):
    from linkcheck.model import Hop, Outcome, PageMeta, Resolution
    from linkcheck.pages.metadata import extract_meta

    hops = [Hop(u, s) for u, s in spec.get("hops", [])] or [Hop(url, spec.get("status", 200))]
    status = hops[-1].status or 200
    if status in (401, 403, 429):
        outcome = Outcome.BLOCKED
    elif status >= 400:
        outcome = Outcome.BROKEN
    else:
        outcome = Outcome.REDIRECTED if len(hops) > 1 else Outcome.OK
    html = spec.get("html", "")
    meta = extract_meta(html, hops[-1].url, {}, with_text="plain") if html else PageMeta()
    return Resolution(url, outcome, final_url=hops[-1].url, status=status, hops=hops, meta=meta,
                      content_type="text/html")


def run_case(case: dict) -> list:
    from linkcheck.extract import extract
    from linkcheck.model import Article, Outcome, Resolution, StoryDate
    from linkcheck.rules import RuleContext, run_rules

    kind = case.get("kind", "txt")
    article = Article(f"{case['name']}.{kind}", case["text"], kind,
                      publisher=case.get("publisher"))
    cites = extract(article)
    specs = case.get("links", {})
    links = {}
    for c in cites:
        if c.skipped or c.invalid or c.url in links:
            continue
        links[c.url] = _resolution(c.url, specs[c.url]) if c.url in specs else \
            _resolution(c.url, {"html": "<html><head><title>Page</title></head><body>"
                                "<p>Text.</p></body></html>"})
    options = {"outlet": case["outlet"]} if case.get("outlet") else {}
    ctx = RuleContext(article, cites, links, StoryDate(date(2021, 12, 17), "explicit"),
                      options=options)
    del Outcome, Resolution
    return [f for f in run_rules(ctx) if f.rule in RULES]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=Path, default=ROOT / "tests" / "fixtures" / "claims" /
                    "cases.toml")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = ap.parse_args(argv)
    cases = tomllib.loads(args.cases.read_text(encoding="utf-8"))["case"]
    tp, fp, fn = Counter(), Counter(), Counter()
    misses = []
    for case in cases:
        marks = Counter(tuple(e.split("@")) for e in case.get("expect", []))
        found = Counter((f.rule, str(f.line)) for f in run_case(case))
        for key in set(marks) | set(found):
            hit = min(marks[key], found[key])
            tp[key[0]] += hit
            if found[key] > hit:
                fp[key[0]] += found[key] - hit
                misses.append((case["name"], "false positive", key))
            if marks[key] > hit:
                fn[key[0]] += marks[key] - hit
                misses.append((case["name"], "missed", key))
    print(f"claim rules: {len(cases)} cases, {sum(len(c.get('expect', [])) for c in cases)} "
          "marked findings")
    print(f"{'rule':<24}{'marked':>7}{'found':>7}{'right':>7}{'precision':>11}{'recall':>8}")
    for rule in RULES:
        marked, got = tp[rule] + fn[rule], tp[rule] + fp[rule]
        p = tp[rule] / got if got else float("nan")
        r = tp[rule] / marked if marked else float("nan")
        print(f"{rule:<24}{marked:>7}{got:>7}{tp[rule]:>7}{p:>11.2f}{r:>8.2f}")
    if args.verbose:
        for name, what, (rule, line) in misses:
            print(f"  {what}: {rule} line {line} in \u201c{name}\u201d")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
