"""content-drift: the cited pages compared with an earlier snapshot.

tests/fixtures/sites/drift-before is the site when the story ran;
drift-after a day later (one story corrected and rewritten, one taken down);
drift-cosmetic a day later with only page furniture changed (update time,
view count, ads, most-read list)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from linkcheck.pipeline import AuditOptions, run_audit
from linkcheck.resolve.settings import ResolveSettings
from linkcheck.rules import RULES
from linkcheck.rules.drift import THRESHOLD, similarity
from tests.support.routing import RoutingTransport
from tests.support.sites import SITES, SiteServer
from tests.support.warcs import check_warc

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = SITES / "drift-before" / "article.md"
TALKS = "https://www.baltic-ledger.test/2021/12/16/pipeline-talks.html"
STRIKE = "https://www.baltic-ledger.test/2021/12/15/harbour-strike.html"


def audit(site: str, warc: Path | None = None, compare: Path | None = None,
          article: Path = ARTICLE):
    with SiteServer(site) as server:
        options = AuditOptions(settings=ResolveSettings(retries=0), warc=warc,
                               compare=str(compare) if compare else None,
                               transport=RoutingTransport(server.base))
        return asyncio.run(run_audit([str(article)], options)).articles[0]


@pytest.fixture(scope="module")
def before(tmp_path_factory):
    warc = tmp_path_factory.mktemp("drift") / "before.warc.gz"
    audit("drift-before", warc)
    check_warc(warc)
    return warc


def drift_findings(report):
    return {f.url: f for f in report.findings if f.rule == "content-drift"}


def test_a_materially_changed_page_fires_with_its_similarity(before):
    report = audit("drift-after", compare=before)
    found = drift_findings(report)
    talks = found[TALKS]
    assert talks.severity.value == "warning" and talks.line == 3
    assert talks.evidence["similarity"] < THRESHOLD
    assert talks.evidence["snapshot"] == "before.warc.gz" and talks.evidence["captured"]
    assert "% similar" in talks.message and "before.warc.gz" in talks.message


def test_a_page_alive_then_and_broken_now_is_noted(before):
    report = audit("drift-after", compare=before)
    strike = drift_findings(report)[STRIKE]
    assert strike.severity.value == "info"
    assert "alive in the snapshot" in strike.message and "broken now" in strike.message
    assert (strike.evidence["status_then"], strike.evidence["status_now"]) == (200, 404)
    assert "broken-link" in {f.rule for f in report.findings if f.url == STRIKE}


def test_only_timestamps_ads_and_furniture_changed_stays_quiet(before):
    report = audit("drift-cosmetic", compare=before)
    assert not drift_findings(report)
    assert all(r.outcome.value == "ok" for r in report.links.values())


def test_without_compare_the_rule_is_silent():
    assert not drift_findings(audit("drift-after"))


def test_a_page_not_in_the_earlier_snapshot_is_no_evidence_of_change(before, tmp_path):
    other = tmp_path / "other.md"
    other.write_text(f"[talks]({TALKS}) and [new](https://www.baltic-ledger.test/new.html)\n")
    report = audit("drift-after", compare=before, article=other)
    assert set(drift_findings(report)) == {TALKS}


def test_compare_from_the_command_line(before, tmp_path):
    after = tmp_path / "after.warc.gz"
    audit("drift-after", after)
    proc = subprocess.run([sys.executable, "-m", "linkcheck", "audit", str(ARTICLE),
                           "--replay", str(after), "--compare", str(before), "--format",
                           "json", "--fail-on", "never"], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    findings = json.loads(proc.stdout)["articles"][0]["findings"]
    drift = {f["url"]: f for f in findings if f["rule"] == "content-drift"}
    assert set(drift) == {TALKS, STRIKE}
    assert drift[TALKS]["evidence"]["similarity"] < THRESHOLD


def test_the_rule_is_registered():
    rule = RULES["content-drift"]
    assert rule.severity.value == "warning" and rule.summary and rule.help
    out = subprocess.run([sys.executable, "-m", "linkcheck", "rules"], capture_output=True,
                         text=True, timeout=60).stdout
    assert "content-drift" in out


STORY = ("The port reopened on Thursday after a storm. The harbour master said twelve ships "
         "were waiting. Traders said prices rose two percent this week. A longer stoppage "
         "would have disrupted January deliveries. ") * 3


@pytest.mark.parametrize("changed", [
    "Updated 17 December 2021, 08:15. " + STORY,
    "Published 16 Dec 2021 10:42 · 1,204 views. " + STORY + " 9,877 views.",
    "Advertisement: Winter sale at Nordic Outlet. " + STORY + " Sponsored: spa weekends.",
    STORY.replace("twelve", "12").replace("two percent", "2 percent"),
])
def test_timestamps_counters_and_an_ad_line_keep_the_text_similar(changed):
    assert similarity(STORY, changed) >= THRESHOLD


def test_a_rewritten_text_is_not_similar():
    rewritten = ("Correction: the port did not reopen. The harbour master denied any ships "
                 "were waiting, and the talks were postponed indefinitely. ") * 3
    assert similarity(STORY, rewritten) < 0.5
    assert similarity(STORY, STORY) == 1.0
    assert similarity("", "") == 1.0
