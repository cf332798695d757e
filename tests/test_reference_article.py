"""The reference article, replayed from its cassette: the smallest thing the
product must do (DESIGN.md)."""

import json

from tests.support.cli import invoke

CASSETTE = "cassettes/nato-grushko.warc.gz"
ARTICLE = "examples/nato-grushko.txt"


def audit(*args):
    return invoke("audit", ARTICLE, "--replay", CASSETTE, *args)


def test_json_report_infers_the_story_date_and_flags_both_anomalies():
    proc = audit("--format", "json")
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    (article,) = report["articles"]
    assert article["published"] == {"date": "2021-12-17", "source": "inferred"}
    assert [c["line"] for c in article["citations"]] == [15, 16, 17, 18]
    assert len(article["links"]) == 3  # one entry per distinct URL
    by_rule = {}
    for f in article["findings"]:
        by_rule.setdefault(f["rule"], []).append(f)
    (dup,) = by_rule["duplicate-link"]
    assert (dup["line"], dup["column"]) == (17, 1) and "line 16" in dup["message"]
    (late,) = by_rule["date-after-story"]
    assert late["line"] == 18 and "themoscowtimes" in late["url"]
    assert "2025-03-28" in late["message"] and "2021-12-17" in late["message"]
    assert "inferred" in late["message"]
    assert [f["line"] for f in by_rule["broken-link"]] == [18]


def test_cited_pages_metadata_from_the_cassette():
    links = {lk["url"]: lk for lk in json.loads(audit("--format", "json").stdout)
             ["articles"][0]["links"]}
    ria = links["https://ria.ru/20211217/nato-1764165844.html"]
    assert ria["outcome"] == "ok" and ria["published"] == "2021-12-17"
    nato = links["https://www.nato.int/cps/en/natohq/opinions_190292.htm"]
    assert nato["published"] == "2021-12-16" and nato["redirects"][0]["status"] == 302
    assert nato["final_url"].endswith("?selectedLocale=en")


def test_explicit_date_overrides_inference():
    report = json.loads(audit("--format", "json", "--published", "2021-12-20").stdout)
    assert report["articles"][0]["published"] == {"date": "2021-12-20", "source": "explicit"}


def test_fail_on_never_exits_zero_and_text_report_names_locations():
    proc = audit("--fail-on", "never")
    assert proc.returncode == 0
    assert "examples/nato-grushko.txt:17:1" in proc.stdout
    assert "duplicate-link" in proc.stdout and "date-after-story" in proc.stdout


def test_replay_never_touches_the_network_for_a_missing_url(tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text("[new](https://not-in-the-cassette.org/x)\n")
    proc = invoke("audit", str(draft), "--replay", CASSETTE, "--format", "json")
    (link,) = json.loads(proc.stdout)["articles"][0]["links"]
    assert link["outcome"] == "error" and "nato-grushko.warc.gz" in link["error"]
