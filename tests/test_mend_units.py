"""Mending without a network: our own snapshots come first, the archive cache
keeps hits longer than misses, and the edit plan for each kind of fix, per
syntax, from hand-made audit results."""

from __future__ import annotations

import asyncio
import time
from datetime import date

import httpx

from linkcheck.mend.cache import ArchiveCache
from linkcheck.mend.edits import KINDS, plan
from linkcheck.mend.step import MendOptions
from linkcheck.model import (
    Archived,
    Article,
    ArticleReport,
    Finding,
    Hop,
    Outcome,
    Resolution,
    Severity,
    StoryDate,
)
from linkcheck.pipeline import AuditOptions, run_audit
from linkcheck.resolve.settings import ResolveSettings
from tests.support.mementos import Capture, FakeArchive, LoopbackOnly, write_warc

GONE = "https://news.wire.test/2021/12/harbour-reopens"


def test_our_own_snapshot_is_used_before_any_public_archive(tmp_path):
    earlier = write_warc(tmp_path / "earlier.warc.gz", [
        Capture(GONE, "2021-12-12T10:00:00Z", title="Harbour reopens after strike")])
    article = tmp_path / "a.txt"
    article.write_text(f"The harbour reopened, {GONE} says.\n", encoding="utf-8")
    with FakeArchive(lambda t, h: (404, [], b"")) as fake:
        report = asyncio.run(run_audit([str(article)], AuditOptions(
            settings=ResolveSettings(retries=0), published=date(2021, 12, 17),
            compare=str(earlier), transport=httpx.MockTransport(lambda r: httpx.Response(404)),
            mend=MendOptions(archives=[f"{fake.base}/web/"], per_minute=0, candidates=False,
                             transport=LoopbackOnly()))))
        asked = len(fake.requests)
    a = report.articles[0].links[GONE].archived
    assert a is not None and a.archive == "snapshot earlier.warc.gz"
    assert a.url.startswith("<urn:uuid:") or a.url.startswith("urn:uuid:")
    assert a.why.startswith("our own snapshot, captured 2021-12-12 before the story date")
    assert asked == 0


def test_the_archive_cache_keeps_hits_longer_than_misses(tmp_path):
    cache = ArchiveCache(tmp_path / "a.sqlite3", hit_ttl=100, miss_ttl=0.2)
    hit = Archived("https://web.archive.org/web/20211210/x", "2021-12-10T00:00:00Z",
                   "Wayback Machine", 200, True, "closest capture before ...")
    cache.put_copy("hit", hit, "")
    cache.put_copy("miss", None, "Wayback Machine: no capture")
    assert cache.copy("hit") == (hit, "") and cache.copy("miss") == (None,
                                                                      "Wayback Machine: no capture")
    time.sleep(0.3)
    assert cache.copy("hit") == (hit, "") and cache.copy("miss") is None
    cache.close()


def test_a_second_run_answers_from_the_archive_cache(tmp_path):
    page = b"<html><head><title>Harbour reopens after strike</title></head></html>"

    def archive(target, headers):
        if "/timemap/" in target:
            return 200, [("Content-Type", "application/link-format")], (
                f'<{fake.base}/web/20211210000000/{GONE}>; rel="memento"; '
                'datetime="Fri, 10 Dec 2021 00:00:00 GMT"').encode()
        return 200, [("Content-Type", "text/html")], page

    article = tmp_path / "a.txt"
    article.write_text(f"See {GONE}\n", encoding="utf-8")
    with FakeArchive(archive) as fake:
        def once():
            return asyncio.run(run_audit([str(article)], AuditOptions(
                settings=ResolveSettings(retries=0), published=date(2021, 12, 17),
                transport=httpx.MockTransport(lambda r: httpx.Response(404)),
                mend=MendOptions(archives=[f"{fake.base}/web/"], per_minute=0,
                                 candidates=False, cache_path=tmp_path / "archives.sqlite3",
                                 transport=LoopbackOnly()))))
        first = once().articles[0].links[GONE].archived
        asked = len(fake.requests)
        second = once().articles[0].links[GONE].archived
        assert len(fake.requests) == asked == 2  # TimeMap and memento, once
    assert first is not None and second == first


def _report(kind: str, text: str, links: dict[str, Resolution], findings=()) -> ArticleReport:
    from linkcheck.extract import extract

    article = Article("draft." + kind, text, kind)
    cites = extract(article)
    return ArticleReport(article, cites, links, StoryDate(date(2021, 12, 17), "explicit"),
                         list(findings))


def _finding(rule, url, line, column, **evidence):
    return Finding(rule, Severity.INFO, url, line, column, "", evidence)


def _apply(text: str, edits) -> str:
    for start, end, new in sorted((r for e in edits for r in e.replacements), reverse=True):
        text = text[:start] + new + text[end:]
    return text


def test_shorteners_https_and_tracking_edits_in_plain_text():
    short, final = "https://bit.ly/3xYz", "https://news.wire.test/story"
    insecure = "http://gov.wire.test/report?utm_medium=social&page=2"
    text = f"Read {short} and {insecure} today.\n"
    links = {
        short: Resolution(short, Outcome.REDIRECTED, final_url=final, status=200,
                          hops=[Hop(short, 301, final), Hop(final, 200)]),
        insecure: Resolution(insecure, Outcome.OK, final_url=insecure, status=200,
                             hops=[Hop(insecure, 200)]),
    }
    findings = [_finding("url-shortener", short, 1, 6, final_url=final),
                _finding("redirected", short, 1, 6, final_url=final),
                _finding("insecure-link", insecure, 1, 30, https_url=None),
                _finding("tracking-params", insecure, 1, 30)]
    ar = _report("txt", text, links, findings)
    edits, skipped = plan(ar, set(KINDS))
    assert _apply(text, edits) == ("Read https://news.wire.test/story and "
                                   "https://gov.wire.test/report?page=2 today.\n")
    assert [e.kinds for e in edits] == [("shortener",), ("https", "tracking-params")]
    assert skipped == []
    only, _ = plan(ar, {"tracking-params"})
    assert _apply(text, only) == f"Read {short} and http://gov.wire.test/report?page=2 today.\n"


def test_a_redirect_to_a_home_page_is_not_followed_by_an_edit():
    old, home = "https://news.wire.test/2021/old-story", "https://news.wire.test/"
    text = f"See {old}\n"
    links = {old: Resolution(old, Outcome.REDIRECTED, final_url=home, status=200,
                             hops=[Hop(old, 301, home), Hop(home, 200)])}
    ar = _report("txt", text, links, [_finding("redirected", old, 1, 5, final_url=home),
                                      _finding("soft-404", old, 1, 5)])
    edits, skipped = plan(ar, set(KINDS))
    assert edits == []
    assert skipped[0].reason.startswith("no archived copy")


def test_markdown_reference_definitions_and_code_are_left_alone():
    gone = GONE
    text = (f"See [the story][1] and `{gone}` in code.\n\n    {gone}\n\n[1]: {gone}\n")
    links = {gone: Resolution(gone, Outcome.BROKEN, status=404, hops=[Hop(gone, 404)],
                              archived=Archived(f"https://web.archive.org/web/2021/{gone}",
                                                "2021-12-10T00:00:00Z", "Wayback Machine",
                                                200, True, "closest before"))}
    ar = _report("md", text, links, [_finding("broken-link", gone, c.line, c.column)
                                     for c in _report("md", text, {}).citations])
    edits, skipped = plan(ar, set(KINDS))
    assert edits == []
    assert {s.reason for s in skipped} <= {"the position given is inside a code span",
                                           "a reference definition: add the archived copy "
                                           "where the link is used, by hand"}


def test_html_robust_links_are_not_added_twice():
    gone, m = GONE, f"https://web.archive.org/web/2021/{GONE}"
    text = (f'<p><a href="{gone}" data-originalurl="{gone}" data-versionurl="{m}" '
            'data-versiondate="2021-12-10">story</a></p>\n')
    links = {gone: Resolution(gone, Outcome.BROKEN, status=404, hops=[Hop(gone, 404)],
                              archived=Archived(m, "2021-12-10T00:00:00Z", "Wayback Machine",
                                                200, True, "closest before"))}
    ar = _report("html", text, links, [_finding("broken-link", gone, 1, 13)])
    assert ar.citations[0].version_url == m
    edits, _ = plan(ar, set(KINDS))
    assert edits == []


def test_a_reference_definition_gets_no_inline_archived_copy():
    gone = GONE
    text = f"See [the story][1].\n\n[1]: {gone}\n"
    links = {gone: Resolution(gone, Outcome.BROKEN, status=404, hops=[Hop(gone, 404)],
                              archived=Archived(f"https://web.archive.org/web/2021/{gone}",
                                                "2021-12-10T00:00:00Z", "Wayback Machine",
                                                200, True, "closest before"))}
    (c,) = _report("md", text, {}).citations
    assert c.line == 3
    ar = _report("md", text, links, [_finding("broken-link", gone, c.line, c.column)])
    edits, skipped = plan(ar, set(KINDS))
    assert edits == [] and "reference definition" in skipped[0].reason


def test_a_relative_href_keeps_its_absolute_url_as_the_original():
    text = ('<html><head><base href="https://news.wire.test/"></head><body>'
            '<a href="2021/12/harbour-reopens">story</a></body></html>\n')
    m = f"https://web.archive.org/web/2021/{GONE}"
    links = {GONE: Resolution(GONE, Outcome.BROKEN, status=404, hops=[Hop(GONE, 404)],
                              archived=Archived(m, "2021-12-10T00:00:00Z", "Wayback Machine",
                                                200, True, "closest before"))}
    article = Article("draft.html", text, "html", base_url="https://news.wire.test/")
    from linkcheck.extract import extract

    ar = ArticleReport(article, extract(article), links,
                       StoryDate(date(2021, 12, 17), "explicit"), [])
    ar.findings = [_finding("broken-link", GONE, c.line, c.column) for c in ar.citations]
    edits, _ = plan(ar, set(KINDS))
    assert _apply(text, edits) == text.replace(
        '">story', f'" data-originalurl="{GONE}" data-versionurl="{m}" '
        'data-versiondate="2021-12-10">story')
