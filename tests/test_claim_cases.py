"""The editor-marked claim cases (tests/fixtures/claims/cases.toml): every case's
findings of the evaluated rules are exactly the marked ones. `make eval-claims`
prints the same as precision and recall per rule."""

import importlib.util
import tomllib
from pathlib import Path

import pytest

from linkcheck.model import Severity

ROOT = Path(__file__).resolve().parents[1]
CASES = tomllib.loads((ROOT / "tests" / "fixtures" / "claims" / "cases.toml")
                      .read_text(encoding="utf-8"))["case"]
_spec = importlib.util.spec_from_file_location("eval_claims",
                                               ROOT / "bench" / "claims" / "eval_claims.py")
eval_claims = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(eval_claims)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_findings_are_the_ones_an_editor_marks(case):
    found = sorted(f"{f.rule}@{f.line}" for f in eval_claims.run_case(case))
    assert found == sorted(case.get("expect", []))


def test_a_slug_only_title_mismatch_is_never_an_error():
    case = next(c for c in CASES if c["name"].startswith("read-more headline"))
    from linkcheck.extract import extract
    from linkcheck.model import Article, StoryDate
    from linkcheck.rules import RuleContext, run_rules

    article = Article("a.md", case["text"], "md")
    cites = extract(article)
    links = {c.url: eval_claims._resolution(c.url, case["links"][c.url]) for c in cites}
    ctx = RuleContext(article, cites, links, StoryDate(None, "unknown"),
                      severities={"title-mismatch": Severity.ERROR})
    (f,) = [f for f in run_rules(ctx) if f.rule == "title-mismatch"]
    assert f.severity == Severity.WARNING and f.evidence["slug_only"] is True
