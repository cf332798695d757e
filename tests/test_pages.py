"""linkcheck.pages: body decoding and page metadata, on hand-written fixture pages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from linkcheck.model import PageMeta
from linkcheck.pages import decode_body, extract_meta
from linkcheck.pages.metadata import looks_not_found

PAGES = Path(__file__).parent / "fixtures" / "pages"


def page(name: str, url: str = "https://site.example/story", content_type: str | None = None,
         headers: dict[str, str] | None = None) -> PageMeta:
    text, _ = decode_body((PAGES / name).read_bytes(), content_type)
    return extract_meta(text, url, headers)


# --- decode_body ---------------------------------------------------------------

RUSSIAN_H1 = "В Приморске открыли новый мост через реку Волчью"


@pytest.mark.parametrize("name", ["cyrillic_1251_meta.html", "cyrillic_1251_nometa.html"])
@pytest.mark.parametrize("content_type", [None, "text/html"])
def test_windows_1251_page_decodes_to_cyrillic(name, content_type):
    text, encoding = decode_body((PAGES / name).read_bytes(), content_type)
    assert encoding == "cp1251"
    assert RUSSIAN_H1 in text


def test_windows_1251_page_mislabelled_utf8_by_the_server():
    # The header is wrong; the bytes contradict it, so the page's own <meta> wins.
    text, encoding = decode_body((PAGES / "cyrillic_1251_meta.html").read_bytes(),
                                 "text/html; charset=utf-8")
    assert (encoding, RUSSIAN_H1 in text) == ("cp1251", True)


def test_1251_page_wrongly_declaring_utf8_with_little_cyrillic():
    # Few bad bytes overall, but every non-ASCII one is bad: the label is wrong.
    html = '<meta charset="utf-8"><title>Голосование совета</title>' + "<p>text " * 20000
    assert decode_body(html.encode("cp1251"), "text/html")[1] == "cp1251"


def test_utf8_page_with_one_stray_byte_stays_utf8():
    body = ("<meta charset=utf-8>" + "<p>Привет, как дела</p>" * 50).encode() + b"\x97"
    text, encoding = decode_body(body, None)
    assert encoding == "utf-8" and text.count("\ufffd") == 1


def test_undeclared_1251_page_with_much_ascii_markup():
    raw = (PAGES / "cyrillic_1251_nometa.html").read_bytes()
    raw = raw.replace(b"</body>", b'<div class="nav"><a href="/x">more</a></div>' * 3000
                      + b"</body>")
    assert decode_body(raw, None)[1] == "cp1251"


def test_undeclared_short_cyrillic_title():
    assert decode_body("<title>Привет, мир</title>".encode("cp1251"), None) == (
        "<title>Привет, мир</title>", "cp1251")


def test_order_bom_then_header_then_meta():
    assert decode_body(b"\xef\xbb\xbf<p>caf\xc3\xa9</p>", "text/html; charset=latin-1") == (
        "<p>café</p>", "utf-8")
    assert decode_body(b"\xff\xfe" + "<p>café</p>".encode("utf-16-le"), None) == (
        "<p>café</p>", "utf-16-le")
    meta_says_1252 = '<meta charset="windows-1252"><p>café</p>'.encode("cp1252")
    assert decode_body(meta_says_1252, 'text/html; charset="ISO-8859-1"') == (
        '<meta charset="windows-1252"><p>café</p>', "cp1252")  # latin-1 read as windows-1252
    assert decode_body(meta_says_1252, None)[1] == "cp1252"


def test_bogus_charset_names_fall_through():
    body = '<meta charset="no-such-charset"><p>Привет</p>'.encode()
    assert decode_body(body, "text/html; charset=base64") == (body.decode(), "utf-8")


def test_utf8_body_cut_mid_character_keeps_declared_charset():
    body = ("<p>" + "é" * 2000).encode()[:-1]
    text, encoding = decode_body(body, "text/html; charset=utf-8")
    assert encoding == "utf-8" and text.endswith("é\ufffd")


@pytest.mark.parametrize("body", [b"", b"\x00\x01\x02\xff\xfe\xfd" * 50, b"\x81" * 10,
                                  b"<meta charset=>", b"<meta charset='utf-16'>\xff"])
def test_decode_never_raises(body):
    text, encoding = decode_body(body, "garbage; charset=")
    assert isinstance(text, str) and encoding


# --- extract_meta: one fixture per source ---------------------------------------


def test_opengraph_page():
    meta = page("opengraph.html", "https://valleycourier.example/news/2021/x?utm_source=feed")
    assert meta.title == "Missing hiker found alive after three days"
    assert meta.publisher == "The Valley Courier"
    assert meta.canonical == "https://valleycourier.example/news/2021/missing-hiker-found-alive"
    assert meta.author == "Jane Reporter"  # not the article:author profile URL
    assert meta.language == "en-GB"
    # 23:30 at -05:00 is already the 18th in UTC: the page's own day counts
    assert (meta.published, meta.modified) == (date(2021, 12, 17), date(2021, 12, 18))
    assert meta.headings == ["Missing hiker found alive after three days"]
    assert "reflective blanket" in meta.text
    assert meta.sources == {
        "title": "og:title", "publisher": "og:site_name", "canonical": "link[rel=canonical]",
        "language": "<html lang>", "author": "meta[name=author]",
        "published": "article:published_time", "modified": "article:modified_time",
    }


def test_json_ld_graph_page():
    meta = page("jsonld_graph.html", headers={"content-language": "en-US, en"})
    assert meta.title == "Council approves \u2018tight\u2019 budget"
    assert meta.publisher == "Harbour Times"  # an @id reference into the graph
    assert meta.author == "Ana Ruiz, Sam Lee"
    # the NewsArticle's date, not the WebPage's
    assert (meta.published, meta.modified) == (date(2021, 12, 17), date(2021, 12, 19))
    assert meta.language == "en-US"
    assert {meta.sources[f] for f in ("title", "publisher", "author", "published", "modified")} \
        == {"json-ld"}
    assert meta.sources["language"] == "http:content-language"


def test_plain_meta_tags_page():
    meta = page("meta_tags.html", "https://lokalanzeiger.example/lokales/index.html")
    assert meta.title == "Neue Brücke eröffnet"  # " – Lokalanzeiger Nord" is the publisher
    assert meta.publisher == "Lokalanzeiger Nord"
    assert meta.canonical == "https://lokalanzeiger.example/lokales/neue-bruecke.html"
    assert meta.author == "Petra Schmidt"
    assert meta.published == date(2021, 12, 17)
    assert meta.sources["published"] == "meta[name=dc.date.issued]"
    assert meta.sources["title"] == "<title>"
    assert meta.sources["publisher"] == "meta[name=application-name]"


def test_title_suffix_kept_when_it_is_not_the_publisher():
    meta = extract_meta("<title>Budget vote - live updates</title>"
                        '<meta property="og:site_name" content="Harbour Times">', "")
    assert meta.title == "Budget vote - live updates"


def test_microdata_page():
    meta = page("microdata.html")
    assert (meta.published, meta.sources["published"]) == (date(2021, 12, 17),
                                                           "itemprop=datePublished")


def test_time_element_inside_the_article_wins_over_the_header_widget():
    meta = page("time_element.html")
    assert meta.published == date(2021, 12, 17)
    assert meta.sources["published"] == "<time> (published)"  # after "Posted"


def test_undated_page_has_no_published_date():
    meta = page("no_date.html")
    assert meta.published is None and "published" not in meta.sources
    assert meta.title == "About us"


def test_date_only_in_the_url_is_not_the_pages_date():
    url = "https://islandpost.example/2021/12/17/ferry-timetable-winter/"
    meta = page("url_date_only.html", url)
    assert meta.published is None
    assert meta.canonical == url


def test_a_visible_dateline_with_a_publication_cue_is_read():
    html = ('<html><head><title>T</title></head><body><h1>T</h1>'
            '<div class="byline">Published 17 December 2021</div><p>Text.</p></body></html>')
    meta = extract_meta(html, "https://x.example/a")
    assert (meta.published, meta.sources["published"]) == (date(2021, 12, 17),
                                                           "dateline (\u201cPublished\u201d)")


def test_htmldate_fallback_reads_a_byline_date():
    html = ('<html><head><title>T</title></head><body><h1>T</h1>'
            '<div class="byline">By Ann Lee, 2021-12-17</div><p>Text.</p></body></html>')
    meta = extract_meta(html, "https://x.example/a")
    assert (meta.published, meta.sources["published"]) == (date(2021, 12, 17), "htmldate")


@pytest.mark.parametrize("written", ["2021-12-17T23:30:00-05:00", "2021-12-17", "2021/12/17",
                                     "20211217", "17.12.2021", "Fri, 17 Dec 2021 23:30:00 -0500"])
def test_date_forms_in_meta_tags(written):
    meta = extract_meta(f'<meta name="date" content="{written}"><title>x</title>', "")
    assert (meta.published, meta.sources["published"]) == (date(2021, 12, 17), "meta[name=date]")


def test_last_modified_header_and_bad_dates():
    html = ('<meta property="article:published_time" content="1970-01-01T00:00:00Z">'
            '<meta name="pubdate" content="not a date"><title>x</title>')
    meta = extract_meta(html, "", {"last-modified": "Sat, 18 Dec 2021 07:00:00 GMT"})
    assert meta.published is None
    assert (meta.modified, meta.sources["modified"]) == (date(2021, 12, 18), "http:last-modified")


def test_cyrillic_pages_metadata():
    meta = page("cyrillic_1251_meta.html")
    assert meta.title == "Новый мост через Волчью открыт"  # " - Вечерний Приморск" stripped
    assert meta.published == date(2021, 12, 17)
    assert meta.language == "ru"
    nometa = page("cyrillic_1251_nometa.html")
    assert nometa.headings == [RUSSIAN_H1]
    assert nometa.published is None


def test_text_falls_back_to_body_text_without_scripts():
    meta = extract_meta("<html><body><script>var x = 1;</script><style>p{}</style>"
                        "<p>Short note.</p></body></html>", "")
    assert meta.text == "Short note."


def test_text_is_capped():
    meta = extract_meta("<html><body><p>" + "word " * 100_000 + "</p></body></html>", "")
    assert meta.text and len(meta.text) == 200_000


def test_broken_json_ld_is_ignored():
    meta = extract_meta('<script type="application/ld+json">{"headline": </script>'
                        '<script type="application/ld+json">{"@id": "a", "name": {"@id": "a"},'
                        ' "@type": "NewsArticle", "author": {"@id": "a"}}</script>'
                        "<title>Still here</title>", "")
    assert meta.title == "Still here" and meta.author is None


@pytest.mark.parametrize("html", [
    "", "   ", "\x00\x01\x02", "<", "<<<>>>", "http://example.com/", "\ud800 lone surrogate",
    '<?xml version="1.0" encoding="utf-8"?><html><title>x</title></html>',
    "<html><body>" + "<div>" * 5000 + "deep", "<svg><title>icon</title></svg>",
    '<html lang=""><link rel="canonical" href="http://[::1"><time datetime="2021-13-45">',
])
def test_garbage_never_raises(html):
    assert isinstance(extract_meta(html, "not a url", {"last-modified": "garbage"}), PageMeta)


def test_empty_input_gives_empty_meta():
    assert extract_meta("", "https://x.example/") == PageMeta()


# --- looks_not_found --------------------------------------------------------------


def test_not_found_page_fixture():
    meta = page("not_found.html")
    assert meta.title == "Page not found"
    assert looks_not_found(meta)


@pytest.mark.parametrize("title", [
    "Page not found | Example", "404 Not Found", "Not Found", "Error 404 (Not Found)!!1", "404",
    "Oops! That page can\u2019t be found.", "This article is no longer available",
    "The page you are looking for doesn't exist", "Story not found - Example",
    "Страница не найдена", "Ошибка 404", "Seite nicht gefunden – Beispiel", "Nicht gefunden",
    "Page introuvable", "Página no encontrada", "Sorry, can't be found",
])
def test_not_found_titles(title):
    assert looks_not_found(PageMeta(title=title))


def test_not_found_in_first_heading():
    assert looks_not_found(PageMeta(title="Example News", headings=["404 - Page Not Found"]))


@pytest.mark.parametrize("title", [
    "Missing hiker found alive", "Missing plane not found after ten days of searching",
    "Police seize 404 kilograms of cocaine", "Lost and found: a dog's journey home",
    "Evidence can't be found, prosecutors say", "Vermisster Wanderer lebend gefunden",
    "Scientists found a new species of frog", "Pipeline no longer available to exporters, says EU",
])
def test_ordinary_headlines_are_not_not_found(title):
    assert not looks_not_found(PageMeta(title=title, headings=[title]))


def test_real_article_fixture_is_not_not_found():
    assert not looks_not_found(page("opengraph.html"))
    assert not looks_not_found(PageMeta())
