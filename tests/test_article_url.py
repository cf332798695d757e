"""`linkcheck audit https://…`: a published article is fetched through the
resolver (and archived), its article body found, and only the body's links
audited, with line/column in the extracted body and the page's own date as the
story date. Fixture pages (tests/fixtures/articles, reconstructions) put a
short story inside heavy navigation, ads, rails, comments and footers; respx
serves them, and any request for a link outside the body fails the test."""

import asyncio
import json
from pathlib import Path

import httpx
import pytest
import respx
from warcio.archiveiterator import ArchiveIterator

from linkcheck.pages.article import extract_body
from linkcheck.pipeline import AuditOptions, run_audit
from linkcheck.report.json import report_dict

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTICLES = FIXTURES / "articles"
SITE = FIXTURES / "sites" / "nato-grushko"
STORY = "https://www.example-dailywire.net/2021/12/17/kremlin-rejects-nato-offer"
NATO = "https://www.nato.int/cps/en/natohq/opinions_190292.htm"
RIA = "https://ria.ru/20211217/nato-1764165844.html"
READ_MORE = "https://www.example-dailywire.net/2021/12/16/russia-sends-security-proposals-to-us"
OLD_CMS = "https://www.example-wire.net/news/ryabkov-warns"
TASS = "https://tass.com/politics/1374351"
MID = "https://mid.ru/en/foreign_policy/news/1790792/"
HTML = {"Content-Type": "text/html; charset=utf-8"}


def html_page(title: str, published: str | None = None) -> bytes:
    date = f'<meta property="article:published_time" content="{published}">' if published else ""
    return (f"<html><head><title>{title}</title>{date}</head><body><h1>{title}</h1>"
            f"<p>{title}.</p></body></html>").encode()


def audit_url(url: str, pages: dict[str, bytes], tmp_path=None):
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        for u, body in pages.items():
            router.route(method="GET", url__eq=u).respond(200, headers=HTML, content=body)
        options = AuditOptions(transport=httpx.AsyncHTTPTransport())
        if tmp_path is not None:
            options.warc = tmp_path / "snap.warc.gz"
        report = asyncio.run(run_audit([url], options))
        requested = [str(call.request.url) for call in router.calls]
    return report, requested


@pytest.fixture(scope="module")
def heavy():
    pages = {
        STORY: (ARTICLES / "heavy-nav.html").read_bytes(),
        NATO: (SITE / "nato-opinions_190292.html").read_bytes(),
        RIA: (SITE / "ria-20211217.html").read_bytes(),
        READ_MORE: html_page("Russia sends security proposals to U.S.", "2021-12-16"),
    }
    return audit_url(STORY, pages)


def test_only_the_article_bodys_links_are_audited(heavy):
    report, requested = heavy
    (ar,) = report.articles
    assert [c.url for c in ar.citations] == [NATO, RIA, READ_MORE]
    assert list(ar.links) == [NATO, RIA, READ_MORE]
    # navigation, share buttons, ads, rails, most-read, newsletter and footer: never fetched
    assert sorted(set(requested)) == sorted({STORY, NATO, RIA, READ_MORE})
    assert ar.article.body["links_in_page"] == 51 and ar.article.body["links_in_body"] == 3
    assert ar.article.body["extractor"].startswith("trafilatura")


def test_line_and_column_are_positions_in_the_extracted_body(heavy):
    ar = heavy[0].articles[0]
    lines = ar.article.text.splitlines()
    assert lines[0] == "# Kremlin rejects NATO offer of talks"
    for c in ar.citations:
        assert lines[c.line - 1][c.column - 1:].startswith(c.url), c
    nato = ar.citations[0]
    assert (nato.line, nato.text) == (4, "called on Moscow to de-escalate")


def test_the_pages_own_date_is_the_story_date(heavy):
    ar = heavy[0].articles[0]
    assert (str(ar.story.date), ar.story.source) == ("2021-12-17", "metadata")
    assert "article:published_time" in ar.story.explanation
    assert ar.article.publisher == "Example Daily Wire"


def test_body_links_get_supports_by_position_and_the_json_says_how_the_body_was_found(heavy):
    ar = heavy[0].articles[0]
    (nato,) = ar.supports[NATO]
    assert nato.confidence == 0.95 and "Stoltenberg called on Moscow to de-escalate" in (
        nato.sentence)
    (more,) = ar.supports[READ_MORE]
    assert more.sentence == "Read more: Russia sends security proposals to U.S."
    art = report_dict(heavy[0])["articles"][0]
    assert art["body"]["links_in_body"] == 3 and art["path"] == STORY
    assert not {f.rule for f in ar.findings} & {"title-mismatch", "unsourced-attribution",
                                                 "unlinked-citation"}


def test_an_older_layout_without_article_element(tmp_path):
    pages = {OLD_CMS: (ARTICLES / "div-soup.html").read_bytes(),
             TASS: html_page("Ryabkov warns of military response"),
             MID: html_page("Briefing by Deputy Foreign Minister Sergei Ryabkov")}
    report, requested = audit_url(OLD_CMS, pages, tmp_path)
    (ar,) = report.articles
    assert list(ar.links) == [TASS, MID]  # not menus, tags, partners, comments or ads
    assert sorted(set(requested)) == sorted(pages)
    assert str(ar.story.date) == "2021-12-13"  # <meta name="pubdate">
    # the article page itself is in the same WARC as its links
    with open(tmp_path / "snap.warc.gz", "rb") as f:
        uris = {r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(f)
                if r.rec_type == "response"}
    assert {OLD_CMS, TASS, MID} <= uris


def test_a_page_without_a_body_to_tell_apart_is_audited_whole():
    assert extract_body("<html><body><nav><a href='/a'>A</a></nav></body></html>",
                        "https://x.example-news.org/") is None
    page = (b"<html><head><title>Links</title></head><body>"
            b"<a href='https://a.example-news.org/1'>One</a></body></html>")
    report, _ = audit_url("https://x.example-news.org/links",
                          {"https://x.example-news.org/links": page,
                           "https://a.example-news.org/1": html_page("One")})
    ar = report.articles[0]
    assert ar.article.kind == "html" and ar.article.body["extractor"] is None
    assert [c.url for c in ar.citations] == ["https://a.example-news.org/1"]
    json.dumps(report_dict(report), default=str)
