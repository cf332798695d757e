"""Archive behaviour pywb does not show, from a small local fake: the Wayback
Machine's 302 TimeGate, archive.today's CAPTCHA page served with 200, and 429
with Retry-After (honoured; after repeated 429s the archive is not asked again
and the report says so)."""

from __future__ import annotations

import asyncio
from datetime import date
from urllib.parse import unquote

import httpx
import pytest

from linkcheck.mend.archives import parse_archive
from linkcheck.mend.memento import ArchiveClient
from linkcheck.mend.select import Wanted, find_copy
from linkcheck.mend.step import MendOptions
from linkcheck.pipeline import AuditOptions, run_audit
from linkcheck.resolve.settings import ResolveSettings
from tests.support.mementos import FakeArchive, LoopbackOnly

CITED = "https://news.wire.test/2021/12/harbour-reopens"
PAGE = (b"<!DOCTYPE html><html><head><title>Harbour reopens after strike</title></head>"
        b"<body><h1>Harbour reopens after strike</h1></body></html>")
CAPTCHA = (b"<!DOCTYPE html><html><head><title>archive.today</title></head><body>"
           b"<form><div class=\"g-recaptcha\" data-sitekey=\"x\"></div></form></body></html>")
HTML = [("Content-Type", "text/html; charset=utf-8")]


def client(**kw) -> ArchiveClient:
    return ArchiveClient(LoopbackOnly(), user_agent="test",
                         per_minute=kw.pop("per_minute", 0), **kw)


def run(coro):
    return asyncio.run(coro)


async def _find(spec: str, wanted: Wanted, **kw):
    c = client(**kw)
    try:
        return await find_copy(c, parse_archive(spec), wanted), c
    finally:
        await c.aclose()


def test_a_wayback_style_302_timegate_is_followed_to_its_memento():
    def wayback(target, headers):
        path = unquote(target)
        if path.startswith("/web/timemap/"):
            return 501, [], b""  # no TimeMap offered here: the TimeGate must do
        if path == f"/web/{CITED}":
            assert headers.get("accept-datetime") == "Fri, 17 Dec 2021 23:59:59 GMT"
            return 302, [("Location", f"/web/20211216080000/{CITED}")], b""
        if path == f"/web/20211216080000/{CITED}":
            return 200, [*HTML, ("Memento-Datetime", "Thu, 16 Dec 2021 08:00:00 GMT")], PAGE
        return 404, [], b""

    with FakeArchive(wayback) as fake:
        (archived, note), _ = run(_find(f"{fake.base}/web/", Wanted(
            CITED, date(2021, 12, 17), "Harbour reopens after strike", "Related article line")))
    assert archived is not None, note
    assert archived.url == f"{fake.base}/web/20211216080000/{CITED}"
    assert archived.datetime == "2021-12-16T08:00:00Z"
    assert "title matches the Related article line" in archived.why


def test_a_200_timegate_with_content_location_is_accepted_with_a_url_placeholder():
    def gate(target, headers):
        path = unquote(target)
        if path == f"/memento?u={CITED}":
            return 200, [*HTML, ("Memento-Datetime", "Wed, 15 Dec 2021 08:00:00 GMT"),
                         ("Content-Location", f"/m/20211215080000/{CITED}")], PAGE
        if path == f"/m/20211215080000/{CITED}":
            return 200, [*HTML, ("Memento-Datetime", "Wed, 15 Dec 2021 08:00:00 GMT")], PAGE
        return 404, [], b""

    with FakeArchive(gate) as fake:
        archive = parse_archive(f"{fake.base}/memento?u={{url}}")
        assert archive.timemap is None
        (archived, note), _ = run(_find(archive.spec, Wanted(CITED, date(2021, 12, 17))))
    assert archived is not None, note
    assert archived.url == f"{fake.base}/m/20211215080000/{CITED}"


def test_an_archive_today_captcha_served_with_200_is_not_an_archived_copy():
    def today(target, headers):
        path = unquote(target)
        if path == f"/timemap/{CITED}":
            return 200, [("Content-Type", "application/link-format")], (
                f'<{CITED}>; rel="original",\n<http://127.0.0.1/20211216080000/{CITED}>; '
                'rel="memento"; datetime="Thu, 16 Dec 2021 08:00:00 GMT"').encode()
        return 200, HTML, CAPTCHA  # every memento: the CAPTCHA page

    with FakeArchive(today) as fake:
        def local(target, headers):  # the TimeMap names mementos on the fake's own host
            return today(target, headers)
        fake.handler = lambda t, h: (lambda r: (r[0], r[1], r[2].replace(
            b"http://127.0.0.1/", f"{fake.base}/".encode())))(local(t, h))
        (archived, note), _ = run(_find(f"{fake.base}/timegate/{{url}}",
                                        Wanted(CITED, date(2021, 12, 17))))
    assert archived is None
    assert "bot wall" in note and "CAPTCHA" in note


def test_retry_after_is_honoured_and_repeated_429s_stop_the_archive():
    def limited(target, headers):
        return 429, [("Retry-After", "1")], b"slow down"

    from linkcheck.mend.politeness import ArchiveUnavailable

    c = client()
    with FakeArchive(limited) as fake:
        with pytest.raises(ArchiveUnavailable, match="429"):
            run(find_copy(c, parse_archive(f"{fake.base}/web/"),
                          Wanted(CITED, date(2021, 12, 17))))
        with pytest.raises(ArchiveUnavailable):  # and it is not asked again
            run(find_copy(c, parse_archive(f"{fake.base}/web/"),
                          Wanted(CITED + "-2", date(2021, 12, 17))))
        times = [t for t, _, _ in fake.requests]
    assert len(times) == 3  # the third 429 ends it: nothing more is sent
    assert all(b - a >= 0.95 for a, b in zip(times, times[1:], strict=False))
    gate = next(iter(c.gates.values()))
    assert gate.stopped and "not asked again" in gate.stopped


def test_the_audit_report_says_an_archive_was_given_up(tmp_path):
    def limited(target, headers):
        return 429, [("Retry-After", "0")], b""

    article = tmp_path / "a.txt"
    urls = [f"https://news.wire.test/2021/12/story-number-{i}" for i in range(4)]
    article.write_text("\n".join(urls) + "\n", encoding="utf-8")
    with FakeArchive(limited) as fake:
        report = run(run_audit([str(article)], AuditOptions(
            settings=ResolveSettings(retries=0), published=date(2021, 12, 17),
            transport=httpx.MockTransport(lambda r: httpx.Response(404)),
            mend=MendOptions(archives=[f"{fake.base}/web/"], per_minute=0, candidates=False,
                             transport=LoopbackOnly()))))
        sent = len(fake.requests)
    assert sent == 3  # four links wanted copies; the archive was asked three times in all
    assert len(report.archive_notes) == 1 and "not asked again" in report.archive_notes[0]
    from linkcheck.report import render

    assert "archives: 127.0.0.1 answered 429" in render("text", report, width=200)
    assert "Archives: 127.0.0.1 answered 429" in render("html", report)
    assert "**Archives:** 127.0.0.1 answered 429" in render("markdown", report)
    import json

    assert json.loads(render("json", report))["archive_notes"] == report.archive_notes


def test_requests_to_one_archive_are_spaced_by_the_rate_limit():
    def ok(target, headers):
        return 404, [], b""

    with FakeArchive(ok) as fake:
        async def three():
            c = client(per_minute=120)  # one request every 0.5 s
            gate = c.gate("127.0.0.1", "fake")
            try:
                for i in range(3):
                    await c.get(gate, f"{fake.base}/web/timemap/link/{CITED}{i}")
            finally:
                await c.aclose()
        run(three())
        times = [t for t, _, _ in fake.requests]
    assert all(b - a >= 0.45 for a, b in zip(times, times[1:], strict=False))


@pytest.mark.parametrize("spec,timegate,timemap,cdx", [
    ("https://web.archive.org/web/", "https://web.archive.org/web/{url}",
     "https://web.archive.org/web/timemap/link/{url}", "https://web.archive.org/cdx/search/cdx"),
    ("http://127.0.0.1:8080/coll/", "http://127.0.0.1:8080/coll/{url}",
     "http://127.0.0.1:8080/coll/timemap/link/{url}", "http://127.0.0.1:8080/coll/cdx"),
    ("https://archive.ph/timegate/{url}", "https://archive.ph/timegate/{url}",
     "https://archive.ph/timemap/{url}", None),
    ("http://127.0.0.1:8080/coll/timemap/link/{url}", "http://127.0.0.1:8080/coll/{url}",
     "http://127.0.0.1:8080/coll/timemap/link/{url}", "http://127.0.0.1:8080/coll/cdx"),
])
def test_archive_specs_give_their_endpoints(spec, timegate, timemap, cdx):
    a = parse_archive(spec)
    assert (a.timegate, a.timemap, a.cdx) == (timegate, timemap, cdx)


@pytest.mark.parametrize("bad", ["web.archive.org/web/", "ftp://x/", "https://"])
def test_an_unusable_archive_is_bad_input(bad):
    from linkcheck.errors import InputError

    with pytest.raises(InputError, match="--archive"):
        parse_archive(bad)


def test_link_format_parsing_reads_timemaps_and_link_headers():
    from linkcheck.mend.memento import mementos_in, parse_links, timemap_link

    text = ('<http://a/tm>; rel="self"; type="application/link-format",\n'
            '<http://a/20211210000000/u>; rel="first memento"; datetime="Fri, 10 Dec 2021 '
            '00:00:00 GMT",\n<http://a/20211201000000/u>; rel="memento"; '
            'datetime="Wed, 01 Dec 2021 00:00:00 GMT", <http://a/timemap/link/u>; '
            'rel="timemap"')
    links = parse_links(text)
    assert [m.url for m in mementos_in(links)] == ["http://a/20211201000000/u",
                                                   "http://a/20211210000000/u"]
    assert timemap_link(links) == "http://a/timemap/link/u"


def test_the_lookups_of_a_run_stop_at_their_time_budget(tmp_path):
    def slow(target, headers):
        return 404, [], b""

    article = tmp_path / "a.txt"
    urls = [f"https://news.wire.test/2021/12/slow-story-{i}" for i in range(6)]
    article.write_text("\n".join(urls) + "\n", encoding="utf-8")
    with FakeArchive(slow) as fake:
        report = run(run_audit([str(article)], AuditOptions(
            settings=ResolveSettings(retries=0), published=date(2021, 12, 17),
            transport=httpx.MockTransport(lambda r: httpx.Response(404)),
            mend=MendOptions(archives=[f"{fake.base}/web/"], per_minute=60, budget=1.5,
                             candidates=False,
                             transport=LoopbackOnly()))))
    notes = [r.archive_note for r in report.articles[0].links.values()]
    assert sum("no capture before" in n for n in notes) in (1, 2)  # one a second
    assert sum("not looked up: the 1.5 s for archive lookups ran out" in n
               for n in notes) >= 4


def test_the_intended_url_is_found_in_the_sites_own_sitemap(tmp_path):
    def site(target, headers):
        xml = [("Content-Type", "application/xml")]
        if target == "/robots.txt":
            return 200, [("Content-Type", "text/plain")], (b"User-agent: *\n"
                                                           b"Sitemap: /map/index.xml\n")
        if target == "/map/index.xml":
            return 200, xml, (
                b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                b'sitemap/0.9"><sitemap><loc>/map/2021-11.xml</loc></sitemap>'
                b"<sitemap><loc>/map/2021-12.xml</loc></sitemap></sitemapindex>")
        if target == "/map/2021-12.xml":
            return 200, xml, (
                b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
                b"<url><loc>" + f"{fake.base}/2021/12/15/harbour-strike-ends-after-talks".encode()
                + b"</loc><news:news><news:publication_date>2021-12-15T09:00:00Z"
                b"</news:publication_date></news:news></url>"
                b"<url><loc>" + f"{fake.base}/2021/12/16/grain-deal-signed".encode()
                + b"</loc><lastmod>&e;</lastmod></url></urlset>")
        return 404, [], b""

    with FakeArchive(site) as fake:
        cited = f"{fake.base}/2025/03/28/harbour-strike-ends-after-talks"
        article = tmp_path / "a.txt"
        article.write_text(f"See {cited}\n", encoding="utf-8")
        report = run(run_audit([str(article)], AuditOptions(
            settings=ResolveSettings(retries=0, allow_private=True),
            published=date(2021, 12, 17),
            transport=httpx.MockTransport(lambda r: httpx.Response(404)),
            mend=MendOptions(archives=[f"{fake.base}/web/"], per_minute=0,
                             transport=LoopbackOnly()))))
        asked = [t for _, t, _ in fake.requests]
    res = report.articles[0].links[cited]
    assert res.candidates, (asked, res.archive_note, res.outcome)
    (best,) = res.candidates
    assert best.url == f"{fake.base}/2021/12/15/harbour-strike-ends-after-talks"
    assert best.why == "same slug in the site's sitemap, dated 2021-12-15"
    assert not best.title_match  # not seen in an archive: never used by `fix` on its own
    assert "/map/2021-11.xml" not in asked  # only the story's month is read
