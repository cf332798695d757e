"""An HTML file that is a whole web page is audited by its article body, as a
published page is; drafts and CMS fragments are audited whole; the site's
navigation, header and footer are never citations."""

import subprocess
import sys
from datetime import date
from pathlib import Path

from linkcheck.extract import extract
from linkcheck.inputs.files import load_file
from linkcheck.model import Article, Hop, Outcome, Resolution, StoryDate
from linkcheck.rules import RuleContext, run_rules

PAGES = Path(__file__).parent / "fixtures" / "pages"
BODY_LINKS = [
    "https://www.portauthority-north.example/consultations/2021/inner-harbour-dredging-eia.pdf",
    "https://www.portauthority-north.example/reports/2020/seabed-survey",
    "https://www.northern-ledger.example/environment",
    "https://twitter.com/HarbourWatchN/status/1456201934455123968",
    "https://www.harbourwatch-north.example/petition-2021-11.pdf",
]


def ok(url):
    return Resolution(url, Outcome.OK, final_url=url, status=200, hops=[Hop(url, 200)])


def test_saved_page_is_audited_by_its_article_body():
    article = load_file(PAGES / "saved-story.html")
    citations = extract(article)
    assert [c.url for c in citations] == BODY_LINKS
    # the section link is in the nav, the body and the footer: cited once, in the body
    assert [(c.line, c.column) for c in citations][2] == (37, 10)
    assert article.body["mode"] == "article body"
    assert article.body["extractor"].startswith("trafilatura")
    assert article.body["links_in_page"] == 23


def test_related_rail_dated_after_the_story_is_not_a_citation():
    article = load_file(PAGES / "saved-story.html")
    citations = extract(article)
    ctx = RuleContext(article, citations, {c.url: ok(c.url) for c in citations},
                      StoryDate(date(2021, 11, 4), "metadata"))
    findings = run_rules(ctx)
    assert not [f for f in findings if f.rule in ("date-after-story", "duplicate-link",
                                                  "tracking-params", "url-shortener")]


def test_whole_page_option_audits_every_link():
    article = load_file(PAGES / "saved-story.html")
    article.whole_page = True
    urls = [c.url for c in extract(article)]
    assert len(urls) == 21 and urls.count("https://www.northern-ledger.example/news") == 2
    assert article.body["mode"] == "whole file"
    citations = extract(article)
    ctx = RuleContext(article, citations, {c.url: ok(c.url) for c in citations},
                      StoryDate(date(2021, 11, 4), "metadata"))
    fired = {f.rule for f in run_rules(ctx)}
    assert {"date-after-story", "duplicate-link"} <= fired  # what the body audit avoids


def test_cms_fragment_is_kept_whole():  # near miss: a footer note is not site furniture
    article = load_file(PAGES / "cms-fragment.html")
    assert len(extract(article)) == 3
    assert article.body["mode"] == "whole file"


def test_structure_is_the_fallback_when_the_extractor_finds_no_body(monkeypatch):
    import linkcheck.pages.article as pages_article

    monkeypatch.setattr(pages_article, "extract_body", lambda html, url: None)
    article = load_file(PAGES / "saved-story.html")
    assert [c.url for c in extract(article)] == BODY_LINKS
    assert article.body == {"mode": "structure", "extractor": "<article>",
                            "links_in_page": 23, "links_in_body": 7}


def test_densest_text_block_when_the_page_has_no_article_element(monkeypatch):
    import linkcheck.pages.article as pages_article

    monkeypatch.setattr(pages_article, "extract_body", lambda html, url: None)
    html = (PAGES / "saved-story.html").read_text()
    html = html.replace("<main>", "<div id='content'>").replace("</main>", "</div>")
    html = html.replace("<article>", "<div class='story'>").replace("</article>", "</div>")
    article = Article("page.html", html, "html")
    urls = [c.url for c in extract(article)]
    assert article.body["extractor"] == "densest text block"
    assert urls == BODY_LINKS


def test_page_without_a_body_audits_all_but_its_furniture_so_no_nav_duplicates():
    article = load_file(PAGES / "thin-listing.html")
    citations = extract(article)
    assert article.body["mode"] == "whole page"
    checked = [c for c in citations if not c.skipped]
    assert [c.url for c in checked] == [
        "https://www.harbourwatch-north.example/petition-2021-11.pdf"]
    assert sum(1 for c in citations if c.skipped and "furniture" in c.skipped) == 10
    ctx = RuleContext(article, citations, {c.url: ok(c.url) for c in citations},
                      StoryDate(None, "unknown"))
    assert not [f for f in run_rules(ctx) if f.rule == "duplicate-link"]


def test_extract_command_says_how_the_page_was_read():
    proc = subprocess.run([sys.executable, "-m", "linkcheck", "extract",
                           str(PAGES / "saved-story.html")], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0
    assert "the article body (trafilatura" in proc.stderr and "--whole-page" in proc.stderr
    assert len(proc.stdout.splitlines()) == 5


def test_published_page_body_cites_the_embedded_post_not_its_markup():
    from linkcheck.extract.markdown import extract_markdown
    from linkcheck.pages.article import extract_body

    body = extract_body((PAGES / "saved-story.html").read_text(),
                        "https://www.northern-ledger.example/news/2021/11/04/harbour")
    urls = [c.url for c in extract_markdown(body["text"])]
    assert urls == BODY_LINKS
    assert "We have filed our petition." in body["text"]  # the post's words stay


def test_published_page_keeps_a_plain_blockquote_whole():  # near miss
    from linkcheck.pages.article import extract_body

    html = (PAGES / "saved-story.html").read_text().replace(
        'class="twitter-tweet"', 'class="pull-quote"')
    body = extract_body(html, "https://www.northern-ledger.example/news/2021/11/04/harbour")
    assert "https://t.co/Qx7mWd2LpA" in body["text"]


def test_draft_with_its_own_table_of_contents_is_kept_whole():  # near miss
    toc = "".join(f'<a href="#part-{i}">Part {i}</a>' for i in range(8))
    html = (f"<nav>{toc}</nav>\n<p>The council <a href=\"https://council.example/minutes\">"
            "minutes</a> show it.</p><p>unclosed<p>paragraphs<li>and<li>items "
            "https://council.example/agenda</p>")
    article = Article("draft.html", html, "html")
    urls = [c.url for c in extract(article) if not c.skipped]
    assert article.body["mode"] == "whole file"
    assert urls == ["https://council.example/minutes", "https://council.example/agenda"]


def test_an_articles_own_header_and_fact_box_are_not_site_furniture():
    html = (PAGES / "thin-listing.html").read_text().replace(
        '<div class="updates">',
        '<article><header><a href="https://www.harbourwatch-north.example/team/ailsa">Ailsa '
        'Grant</a></header><aside><a href="https://stats.gov.example/harbour">Fact box '
        'source</a></aside></article><div class="updates">')
    citations = extract(Article("page.html", html, "html"))
    checked = [c.url for c in citations if not c.skipped]
    assert "https://www.harbourwatch-north.example/team/ailsa" in checked
    assert "https://stats.gov.example/harbour" in checked
    assert "https://www.harbourwatch-north.example/about" not in checked  # the site's nav


# --- the same for a published page fetched by URL ------------------------------

STORY_URL = "https://www.northern-ledger.example/news/2021/11/04/harbour-dredging-legal-challenge"


def audit_page(page: bytes, whole_page: bool = False):
    import asyncio

    import httpx
    import respx

    from linkcheck.pipeline import AuditOptions, run_audit

    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        router.route(method="GET", url__eq=STORY_URL).respond(
            200, headers={"Content-Type": "text/html; charset=utf-8"}, content=page)
        router.route(method="GET").respond(200, headers={"Content-Type": "text/html"},
                                           content=b"<html><title>t</title></html>")
        options = AuditOptions(transport=httpx.AsyncHTTPTransport(), whole_page=whole_page)
        return asyncio.run(run_audit([STORY_URL], options)).articles[0]


def test_published_page_by_url_cites_the_post_once_and_whole_page_opts_out():
    page = (PAGES / "saved-story.html").read_bytes()
    ar = audit_page(page)
    assert [c.url for c in ar.citations] == BODY_LINKS
    assert not [f for f in ar.findings if f.rule in ("url-shortener", "tracking-params")]
    whole = audit_page(page, whole_page=True)
    assert whole.article.kind == "html" and whole.article.body["mode"] == "whole file"
    assert len(whole.citations) == 21


def test_published_page_without_body_falls_back_to_its_furniture_free_links(monkeypatch):
    import linkcheck.pages.article as pages_article

    monkeypatch.setattr(pages_article, "extract_body", lambda html, url: None)
    ar = audit_page((PAGES / "thin-listing.html").read_bytes())
    assert ar.article.body["mode"] == "whole page"
    assert [c.url for c in ar.citations if not c.skipped] == [
        "https://www.harbourwatch-north.example/petition-2021-11.pdf"]
    assert not [f for f in ar.findings if f.rule == "duplicate-link"]


def test_div_built_page_furniture_is_recognised_by_its_class_names():
    html = (PAGES / "thin-listing.html").read_text()
    html = html.replace("<header><nav>", '<div class="site-header"><div id="main-menu">')
    html = html.replace("</nav></header>", "</div></div>")
    html = html.replace("<footer><nav>", '<div class="page-footer">').replace(
        "</nav></footer>", "</div>")
    article = Article("page.html", html, "html")
    checked = [c.url for c in extract(article) if not c.skipped]
    assert article.body["mode"] != "whole file"
    assert checked == ["https://www.harbourwatch-north.example/petition-2021-11.pdf"]


def test_class_words_inside_other_words_are_not_furniture():  # near miss
    html = ('<div class="canvas-headline"><p>See <a href="https://a-gallery.example/1">one</a>'
            "</p></div>" + "".join(f'<div class="footnotes"><a href="https://refs.example/{i}">'
                                   f"{i}</a></div>" for i in range(6)))
    article = Article("draft.html", html, "html")
    assert len([c for c in extract(article) if not c.skipped]) == 7
    assert article.body["mode"] == "whole file"
