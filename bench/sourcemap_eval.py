"""Source-map accuracy: which sentence each cited link supports, against an editor's
answers (tests/fixtures/sourcemap/cases.toml).

An answer is right when the link's best-ranked sentence is the editor's (or, for
an answer of 0, when the link backs no sentence). Also counted: mappings at
confidence 0.8 or more that are wrong (the target is none).

    python bench/sourcemap_eval.py [-v]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, os.environ.get("LINKCHECK_SRC", str(ROOT)))
_spec = importlib.util.spec_from_file_location("eval_claims", ROOT / "bench" / "claims" /
                                               "eval_claims.py")
assert _spec is not None and _spec.loader is not None
eval_claims = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(eval_claims)


def supports(case: dict) -> dict[str, list]:
    from linkcheck.analysis.sourcemap import build
    from linkcheck.extract import extract
    from linkcheck.model import Article

    kind = case.get("kind", "txt")
    article = Article(f"{case['name']}.{kind}", case["text"], kind)
    cites = extract(article)
    specs = case.get("links", {})
    links = {c.url: eval_claims._resolution(c.url, specs.get(c.url, {"status": 404, "html": ""}))
             for c in cites if not c.skipped and not c.invalid}
    return build(article, cites, links).supports


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=Path, default=ROOT / "tests" / "fixtures" / "sourcemap" /
                    "cases.toml")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    cases = tomllib.loads(args.cases.read_text(encoding="utf-8"))["case"]
    right = total = confident_wrong = 0
    for case in cases:
        found = supports(case)
        for url, line in case["support"].items():
            total += 1
            sups = found.get(url, [])
            ok = (not sups) if line == 0 else bool(sups) and sups[0].line == line
            right += ok
            wrong = [s for s in sups if s.confidence >= 0.8 and s.line != line]
            confident_wrong += len(wrong)
            if args.verbose and (not ok or wrong):
                got = [(s.line, s.confidence) for s in sups]
                print(f"  {case['name']}: {url} expected line {line}, got {got}")
    print(f"source map: {right} of {total} answers right ({right / total:.0%}); "
          f"{confident_wrong} wrong mapping(s) at confidence >= 0.8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
