from linkcheck.model import (
    Article,
    ArticleReport,
    AuditReport,
    Finding,
    Severity,
    StoryDate,
)
from linkcheck.rules.suppress import (
    apply_baseline,
    apply_inline,
    inline_ignores,
    load_baseline,
    write_baseline,
)


def finding(rule, line, url="https://a.org/x"):
    return Finding(rule, Severity.WARNING, url, line, 1, "m")


def article_report(text, findings):
    return ArticleReport(Article("draft.md", text, "md"), [], {}, StoryDate(None, "unknown"),
                         findings)


def test_marker_covers_its_line_and_the_next():
    text = "a\n<!-- linkcheck: ignore[duplicate-link] -->\nb\nc\n"
    assert inline_ignores(text) == {2: {"duplicate-link"}, 3: {"duplicate-link"}}


def test_inline_marker_suppresses_only_named_rule_on_covered_lines():
    text = "x\n<!-- linkcheck: ignore[duplicate-link] -->\n[a](https://a.org/x)\nlater\n"
    ar = article_report(text, [finding("duplicate-link", 3), finding("redirected", 3),
                               finding("duplicate-link", 4)])
    apply_inline(ar)
    assert [(f.rule, f.line) for f in ar.findings] == [("redirected", 3), ("duplicate-link", 4)]
    assert ar.suppressed[0].evidence["suppressed"] == "inline"


def test_bare_marker_suppresses_every_rule():
    ar = article_report("see https://a.org/x <!-- linkcheck: ignore -->\n",
                        [finding("broken-link", 1), finding("redirected", 1)])
    apply_inline(ar)
    assert ar.findings == [] and len(ar.suppressed) == 2


def test_baseline_round_trip_ignores_moved_lines_but_not_new_findings(tmp_path):
    old = AuditReport([article_report("", [finding("broken-link", 3)])])
    path = tmp_path / "baseline.json"
    write_baseline(old, path)
    new = AuditReport([article_report("", [finding("broken-link", 9),
                                           finding("broken-link", 10, "https://b.org/")])])
    apply_baseline(new, load_baseline(path))
    assert [f.url for f in new.articles[0].findings] == ["https://b.org/"]
    assert new.articles[0].suppressed[0].evidence["suppressed"] == "baseline"
