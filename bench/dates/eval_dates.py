"""Page publication dates: linkcheck against htmldate alone, on tests/fixtures/dates.

For every page with a gold date: the right date is a true positive, no date a
false negative, a wrong date a false positive; for an undated page no date is
a true negative and any date a false positive (htmldate's own evaluation
counts the same way). Prints precision, recall, F1, accuracy and the
milliseconds of page analysis per page (one timed call each, after a warm-up:
htmldate caches results by input, so a repeated call would time its cache),
overall and per pattern, and lists linkcheck's misses.

    python bench/dates/eval_dates.py [--corpus DIR] [--misses]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, os.environ.get("LINKCHECK_SRC", str(ROOT)))


def linkcheck_date(html: str, url: str, headers: dict) -> str | None:
    """The date linkcheck's timeline gives a link: the page's own publication
    date, else the day written in its URL (htmldate, given the URL, does the same
    the other way round: the URL's date first)."""
    from linkcheck.pages.metadata import extract_meta
    from linkcheck.urls.dates import url_date

    found = extract_meta(html, url, headers, with_text=False).published
    if found is None and (ud := url_date(url)) is not None and ud.precision == "day":
        found = ud.date
    return found.isoformat() if found else None


def htmldate_fast(html: str, url: str, headers: dict) -> str | None:
    from htmldate import find_date

    return find_date(html, url=url, original_date=True, extensive_search=False)


def htmldate_extensive(html: str, url: str, headers: dict) -> str | None:
    from htmldate import find_date

    return find_date(html, url=url, original_date=True, extensive_search=True)


SYSTEMS = [("linkcheck", linkcheck_date), ("htmldate fast", htmldate_fast),
           ("htmldate extensive", htmldate_extensive)]


class Score:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = self.tn = 0
        self.seconds = 0.0
        self.pages = 0

    def add(self, found: str | None, gold: str | None) -> None:
        if found is None and gold is None:
            self.tn += 1
        elif found is None:
            self.fn += 1
        elif found == gold:
            self.tp += 1
        else:
            self.fp += 1

    def figures(self) -> dict[str, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        n = self.tp + self.fp + self.fn + self.tn
        acc = (self.tp + self.tn) / n if n else 0.0
        ms = 1000 * self.seconds / self.pages if self.pages else 0.0
        return {"precision": p, "recall": r, "f1": f1, "accuracy": acc, "ms_per_page": ms}


def _normal(value) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        return None


def evaluate(corpus: Path, repeats: int = 1):
    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    totals = {name: Score() for name, _ in SYSTEMS}
    per_pattern: dict[str, dict[str, Score]] = defaultdict(lambda: {n: Score() for n, _ in SYSTEMS})
    misses = []
    for _name, fn in SYSTEMS:  # warm imports outside the timing
        fn("<html><body><p>x</p></body></html>", "https://warm.up/", {})
    for item in gold:
        html = (corpus / item["file"]).read_text(encoding="utf-8")
        for name, fn in SYSTEMS:
            best = float("inf")
            found = None
            for _ in range(repeats):
                t = time.perf_counter()
                found = _normal(fn(html, item["url"], item.get("headers") or {}))
                best = min(best, time.perf_counter() - t)
            for score in (totals[name], per_pattern[item["pattern"]][name]):
                score.add(found, item["published"])
                score.seconds += best
                score.pages += 1
            if name == "linkcheck" and found != item["published"]:
                misses.append((item["file"], item["published"], found))
    return gold, totals, per_pattern, misses


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "tests" / "fixtures" / "dates")
    ap.add_argument("--misses", action="store_true", help="list every page linkcheck gets wrong")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    gold, totals, per_pattern, misses = evaluate(args.corpus)
    dated = sum(1 for g in gold if g["published"])
    where = args.corpus.resolve().relative_to(ROOT)
    print(f"page dates: {len(gold)} pages ({dated} dated) in {where}")
    head = f"{'system':<20}{'precision':>10}{'recall':>8}{'F1':>7}{'accuracy':>10}{'ms/page':>9}"
    print(head)
    for name, score in totals.items():
        f = score.figures()
        print(f"{name:<20}{f['precision']:>10.3f}{f['recall']:>8.3f}{f['f1']:>7.3f}"
              f"{f['accuracy']:>10.3f}{f['ms_per_page']:>9.2f}")
    print("\naccuracy per pattern: " + " / ".join(n for n, _ in SYSTEMS))
    for pattern in sorted(per_pattern):
        row = per_pattern[pattern]
        n = next(iter(row.values())).pages
        print(f"  {pattern:<18} ({n:>2} pages) " + "  ".join(
            f"{row[name].figures()['accuracy']:.2f}" for name, _ in SYSTEMS))
    if args.misses:
        print(f"\nlinkcheck misses ({len(misses)}):")
        for file, want, got in misses:
            print(f"  {file}: gold {want}, found {got}")
    if args.json:
        args.json.write_text(json.dumps({n: s.figures() for n, s in totals.items()}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
