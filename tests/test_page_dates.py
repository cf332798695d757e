"""Page dates: publication told apart from modification, rails and sidebars
ignored, the URL's date and Last-Modified as votes, datelines in several languages."""

from datetime import date

import pytest

from linkcheck.pages.metadata import extract_meta

RAIL = ('<aside class="related"><h3>Related</h3><ul><li><a href="/b">Other</a> '
        '<time datetime="2024-02-01T07:00:00Z">1 Feb 2024</time></li></ul></aside>')


def html(body: str, head: str = "") -> str:
    return f"<html><head><title>T</title>{head}</head><body>{body}</body></html>"


def test_a_modified_date_is_never_the_publication_date():
    page = html('<h1>T</h1><p>Text.</p>',
                '<meta property="article:modified_time" content="2023-05-01T10:00:00Z">')
    meta = extract_meta(page, "https://x.example/story", with_text=False)
    assert meta.published is None
    assert (meta.modified, meta.sources["modified"]) == (date(2023, 5, 1), "article:modified_time")


def test_an_updated_time_before_the_published_one_is_the_modification_date():
    page = html('<article><h1>T</h1><p>Updated <time datetime="2023-05-01">1 May 2023</time>'
                ' | Published <time datetime="2019-04-03">3 April 2019</time></p></article>')
    meta = extract_meta(page, "https://x.example/story", with_text=False)
    assert (meta.published, meta.modified) == (date(2019, 4, 3), date(2023, 5, 1))


def test_a_time_in_a_related_rail_never_wins_over_the_articles_own():
    page = html(f'{RAIL}<div class="story"><h1>T</h1><p>By Sam, '
                '<time datetime="2019-04-03T08:00:00Z">3 April 2019</time></p></div>')
    assert extract_meta(page, "https://x.example/s", with_text=False).published == date(2019, 4, 3)
    nested = html(f'<article><h1>T</h1>{RAIL}<p><time datetime="2019-04-03">x</time></p></article>')
    assert extract_meta(nested, "https://x.example/s", with_text=False).published == \
        date(2019, 4, 3)


def test_a_page_whose_only_dates_are_in_its_rail_has_no_publication_date():
    page = html(f'<main><h1>Topic</h1>{RAIL}</main>')
    assert extract_meta(page, "https://x.example/topic", with_text=False).published is None


@pytest.mark.parametrize("line, want", [
    ("Veröffentlicht am 3. März 2021, 10:32 Uhr", date(2021, 3, 3)),
    ("Publié le 12 mai 2020 à 10h05", date(2020, 5, 12)),
    ("Publicado el 5 de junio de 2019", date(2019, 6, 5)),
    ("Pubblicato il 4 febbraio 2020", date(2020, 2, 4)),
    ("Опубликовано: 12 марта 2021, 12:40", date(2021, 3, 12)),
    ("Gepubliceerd op 7 januari 2022", date(2022, 1, 7)),
    ("Posted on March 3, 2021", date(2021, 3, 3)),
])
def test_visible_datelines_in_several_languages(line, want):
    page = html(f'<div><h1>T</h1><p>Aktualisiert am 05.06.2022 / Updated June 5, 2022</p>'
                f'<p>{line}</p><p>Text.</p></div>')
    meta = extract_meta(page, "https://x.example/a/1", with_text=False)
    assert meta.published == want
    assert meta.sources["published"].startswith("dateline")


def test_a_heuristic_date_far_from_the_urls_date_is_not_taken():
    page = html('<div><h1>T</h1><p>By Ann Lee, <time datetime="2016-01-09">9 Jan 2016</time>'
                '</p></div>')
    assert extract_meta(page, "https://x.example/2021/03/03/story", with_text=False
                        ).published is None
    assert extract_meta(page, "https://x.example/2016/01/08/story", with_text=False
                        ).published == date(2016, 1, 9)


def test_a_heuristic_date_after_last_modified_is_not_taken():
    page = html('<div><h1>T</h1><p>By Ann Lee, <time datetime="2024-01-09">x</time></p></div>')
    meta = extract_meta(page, "https://x.example/a", {"last-modified":
                                                     "Sat, 18 Dec 2021 07:00:00 GMT"},
                        with_text=False)
    assert meta.published is None and meta.modified == date(2021, 12, 18)


def test_explicit_metadata_keeps_its_instant_and_the_local_date():
    page = html("<p>x</p>", '<meta property="article:published_time" '
                'content="2020-06-28T23:30:00+03:00">')
    meta = extract_meta(page, "https://x.example/a", with_text=False)
    assert meta.published == date(2020, 6, 28)
    assert meta.published_at == "2020-06-28T23:30:00+03:00"


def test_rdfa_created_date_of_drupal():
    page = html('<div class="node"><span property="dc:date dc:created" '
                'content="2020-05-12T10:00:00+02:00">Tue, 05/12/2020</span></div>',
                '<meta property="og:updated_time" content="2023-01-01T00:00:00+02:00">')
    meta = extract_meta(page, "https://x.example/node/1", with_text=False)
    assert (meta.published, meta.modified) == (date(2020, 5, 12), date(2023, 1, 1))


def test_footers_and_story_lists_give_no_publication_date():
    footer = html('<div><h1>T</h1><p>Text.</p></div><div class="site-footer">Page generated '
                  '<time datetime="2024-05-01T00:00:00Z">1 May 2024</time></div>')
    assert extract_meta(footer, "https://x.example/a", with_text=False).published is None
    listing = html('<main><h1>Freight</h1><ul><li><a href="/a">A</a> <time datetime="2024-03-01">'
                   'x</time></li><li><a href="/b">B</a> <time datetime="2024-02-20">y</time></li>'
                   '</ul></main>')
    assert extract_meta(listing, "https://x.example/topic", with_text=False).published is None


def test_page_date_corpus_gold_dates():
    """The evaluation corpora (make eval-dates) are read right: a page-date change that
    loses one of their patterns fails here too."""
    import json
    from pathlib import Path

    from linkcheck.urls.dates import url_date

    root = Path(__file__).parent / "fixtures"
    wrong = []
    for corpus in ("dates", "dates-heldout"):
        for item in json.loads((root / corpus / "gold.json").read_text(encoding="utf-8")):
            page = (root / corpus / item["file"]).read_text(encoding="utf-8")
            found = extract_meta(page, item["url"], item["headers"], with_text=False).published
            if found is None and (ud := url_date(item["url"])) and ud.precision == "day":
                found = ud.date
            if (found.isoformat() if found else None) != item["published"]:
                wrong.append(item["file"])
    assert len(wrong) <= 2, wrong
