"""Archived copies found through a real Memento server: pywb serving a
collection built from WARCs written here, each capture dated on purpose
around the story date 2021-12-17. The cited pages themselves all answer 404.
"""

from __future__ import annotations

import asyncio
from datetime import date

import httpx
import pytest

from linkcheck.mend.step import MendOptions
from linkcheck.pipeline import AuditOptions, run_audit
from linkcheck.report.json import report_dict
from linkcheck.resolve.settings import ResolveSettings
from tests.support.mementos import Capture, LoopbackOnly, Wayback, write_warc

pytest.importorskip("pywb")

SITE = "https://news.wire.test"
BEFORE = f"{SITE}/2021/12/harbour-reopens"
AFTER = f"{SITE}/2021/12/grain-deal-signed"
SOFT = f"{SITE}/2021/12/port-strike-called"
HOME = f"{SITE}/2021/12/ferry-line-closes"
NONE = f"{SITE}/2021/12/never-captured-story"
OTHER = f"{SITE}/2021/12/customs-talks-stall"
TYPO = f"{SITE}/2025/03/28/harbour-strike-ends-after-talks"
MEANT = f"{SITE}/2021/12/15/harbour-strike-ends-after-talks"

ARTICLE = f"""Dockers in Odesa went back to work on Friday.

Related article: Harbour reopens after strike
{BEFORE}

Related article: Grain deal signed in Istanbul
{AFTER}

Related article: Port strike called for Monday
{SOFT}

Related article: Ferry line closes for winter
{HOME}

Related article: Never captured story about tugs
{NONE}

Related article: Customs talks stall at border
{OTHER}

Related article: Harbour strike ends after talks
{TYPO}

"""

CAPTURES = [
    Capture(BEFORE, "2021-12-10T10:00:00Z", title="Harbour reopens after strike"),
    Capture(BEFORE, "2021-12-20T10:00:00Z", title="Harbour reopens after strike"),
    Capture(AFTER, "2021-12-20T09:00:00Z", title="Grain deal signed in Istanbul"),
    Capture(SOFT, "2021-12-05T08:00:00Z", title="Port strike called for Monday"),
    Capture(SOFT, "2021-12-15T08:00:00Z", title="Page not found"),
    Capture(HOME, "2021-12-12T10:00:00Z", status=301, location=f"{SITE}/"),
    Capture(f"{SITE}/", "2021-12-12T10:00:05Z", title="News Wire: front page"),
    Capture(OTHER, "2021-12-14T10:00:00Z", title="Football results from the weekend"),
    Capture(MEANT, "2021-12-15T12:00:00Z", title="Harbour strike ends after talks"),
]


def _all_404(request: httpx.Request) -> httpx.Response:
    return httpx.Response(404, headers={"Content-Type": "text/html"},
                          content=b"<html><title>Not found</title></html>")


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mend-pywb")
    warc = write_warc(folder / "captures.warc.gz", CAPTURES)
    article = folder / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    with Wayback(folder, [warc]) as wb:
        options = AuditOptions(
            settings=ResolveSettings(retries=0), published=date(2021, 12, 17),
            transport=httpx.MockTransport(_all_404),
            mend=MendOptions(archives=[wb.coll], per_minute=0,
                             transport=LoopbackOnly()))
        report = asyncio.run(run_audit([str(article)], options))
        yield report, wb


def _link(report, url):
    return report.articles[0].links[url]


def test_the_capture_closest_before_the_story_date_is_chosen(audited):
    report, wb = audited
    a = _link(report, BEFORE).archived
    assert a is not None and a.checked and a.status == 200
    # pywb's TimeGate alone would give 2021-12-20, closer to the 17th: the TimeMap decides
    assert a.datetime == "2021-12-10T10:00:00Z"
    assert a.url == f"{wb.coll}20211210100000/{BEFORE}"
    assert a.why.startswith("closest capture before the story date 2021-12-17, 200, title "
                            "matches the Related article line")


def test_only_a_capture_after_the_story_date_is_taken_and_said_so(audited):
    report, _ = audited
    a = _link(report, AFTER).archived
    assert a is not None and a.datetime.startswith("2021-12-20")
    assert a.why.startswith("no usable capture before the story date 2021-12-17; the closest "
                            "after it, 2021-12-20")


def test_a_soft_404_capture_is_skipped_for_an_earlier_good_one(audited):
    report, _ = audited
    a = _link(report, SOFT).archived
    assert a is not None and a.datetime.startswith("2021-12-05")
    assert "skipped 2021-12-15: a soft 404" in a.why


def test_an_archived_redirect_to_the_home_page_is_refused(audited):
    report, _ = audited
    res = _link(report, HOME)
    assert res.archived is None
    assert "an archived redirect to the home page https://news.wire.test/" in res.archive_note


def test_no_capture_is_said_plainly(audited):
    report, _ = audited
    res = _link(report, NONE)
    assert res.archived is None
    assert "no capture before the story date 2021-12-17" in res.archive_note


def test_a_capture_of_a_different_story_is_refused(audited):
    report, _ = audited
    res = _link(report, OTHER)
    assert res.archived is None
    assert "a different story (title 'Football results from the weekend'" in res.archive_note


def test_the_intended_url_is_found_by_its_slug_in_the_capture_index(audited):
    report, wb = audited
    res = _link(report, TYPO)
    assert res.candidates, res.archive_note
    best = res.candidates[0]
    assert best.url == MEANT and best.title_match
    assert best.datetime == "2021-12-15T12:00:00Z"
    assert best.why == ("same slug in the 127.0.0.1 capture index, captured 2021-12-15, title "
                        "matches the Related article line")
    assert best.memento == f"{wb.coll}20211215120000/{MEANT}"
    # links whose slug leads nowhere get no candidates
    assert _link(report, NONE).candidates == []


def test_the_json_report_carries_archived_and_candidates(audited):
    report, _ = audited
    links = {x["url"]: x for x in report_dict(report)["articles"][0]["links"]}
    archived = links[BEFORE]["archived"]
    assert set(archived) == {"url", "datetime", "archive", "status", "checked", "why"}
    assert archived["archive"] == "127.0.0.1"
    assert links[NONE]["archived"] is None and links[NONE]["archive_note"]
    assert links[TYPO]["candidates"][0]["url"] == MEANT


def test_text_report_shows_the_copy_beside_the_finding(audited):
    from linkcheck.report import render

    report, wb = audited
    text = render("text", report, width=200)
    assert f"archived copy: {wb.coll}20211210100000/{BEFORE}" in text
    assert "no archived copy: 127.0.0.1: no capture before the story date 2021-12-17" in text
    assert f"the writer may have meant {MEANT}" in text
    sarif = render("sarif", report)
    assert f"archived copy: {wb.coll}20211210100000/{BEFORE}" in sarif
    github = render("github", report)
    assert "archived copy: " in github and "%0A" in github
    page = render("html", report)
    assert f'<ul class="mending"><li>archived copy: {wb.coll}20211210100000/{BEFORE}' in page
    assert "archived copy: " in render("markdown", report)
    assert f"archived copy: {wb.coll}20211210100000/{BEFORE}" in render("junit", report)


def test_the_lookups_are_written_to_the_snapshot_and_replay_offline(tmp_path):
    """An audit's archive answers land in its WARC; replaying that WARC answers them
    again with no archive running."""
    warc = write_warc(tmp_path / "captures.warc.gz", CAPTURES[:2])
    article = tmp_path / "a.txt"
    article.write_text(f"Related article: Harbour reopens after strike\n{BEFORE}\n",
                       encoding="utf-8")
    snapshot = tmp_path / "snap.warc.gz"
    with Wayback(tmp_path, [warc]) as wb:
        options = AuditOptions(
            settings=ResolveSettings(retries=0), published=date(2021, 12, 17), warc=snapshot,
            transport=httpx.MockTransport(_all_404),
            mend=MendOptions(archives=[wb.coll], per_minute=0,
                             transport=LoopbackOnly()))
        live = asyncio.run(run_audit([str(article)], options))
        coll = wb.coll
    assert live.articles[0].links[BEFORE].archived is not None
    replayed = asyncio.run(run_audit([str(article)], AuditOptions(
        settings=ResolveSettings(retries=0), published=date(2021, 12, 17),
        replay=[str(snapshot)], mend=MendOptions(archives=[coll], per_minute=0))))
    again = replayed.articles[0].links[BEFORE].archived
    assert again is not None and again.url == f"{coll}20211210100000/{BEFORE}"
    assert again.why == live.articles[0].links[BEFORE].archived.why


def test_wayback_style_url_parsing_round_trips():
    from linkcheck.mend.memento import original_of, timestamp_of, with_mode

    m = "http://127.0.0.1:8080/coll/20211210100000/https://news.wire.test/a"
    assert original_of(m) == "https://news.wire.test/a"
    assert timestamp_of(m) == "20211210100000"
    assert with_mode(m, "id_").endswith("/20211210100000id_/https://news.wire.test/a")
    assert original_of("https://web.archive.org/web/20211210100000mp_/http://x.org/") == \
        "http://x.org/"


