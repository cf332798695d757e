from datetime import date

import pytest

from linkcheck.urls.dates import url_date
from linkcheck.urls.normalise import normalize, strip_tracking, tracking_params


@pytest.mark.parametrize("a,b", [
    ("HTTPS://WWW.Nato.INT/cps/en/", "https://www.nato.int/cps/en"),
    ("https://a.org:443/x", "https://a.org/x"),
    ("http://a.org:80/x#section", "http://a.org/x"),
    ("https://a.org/x?utm_source=tw&id=3&fbclid=abc", "https://a.org/x?id=3"),
    ("https://a.org/x?b=2&a=1&gclid=z", "https://a.org/x?a=1&b=2"),
    ("https://a.org", "https://a.org/"),
])
def test_same_source_normalises_equal(a, b):
    assert normalize(a) == normalize(b)


@pytest.mark.parametrize("a,b", [
    ("https://a.org/x", "https://a.org/y"),
    ("https://a.org/x?id=3", "https://a.org/x?id=4"),
    ("https://a.org/Path", "https://a.org/path"),
    ("https://a.org:8443/x", "https://a.org/x"),
])
def test_different_sources_stay_different(a, b):
    assert normalize(a) != normalize(b)


def test_tracking_params_listed_and_stripped():
    url = "https://a.org/x?id=3&utm_medium=social&fbclid=1"
    assert tracking_params(url) == ["utm_medium", "fbclid"]
    assert strip_tracking(url) == "https://a.org/x?id=3"


@pytest.mark.parametrize("url,expected,precision", [
    ("https://www.themoscowtimes.com/2025/03/28/russia-sends", date(2025, 3, 28), "day"),
    ("https://ria.ru/20211217/nato-1764165844.html", date(2021, 12, 17), "day"),
    ("https://x.org/news/2021-12-17/story", date(2021, 12, 17), "day"),
    ("https://x.org/2021_12_17_story.html", date(2021, 12, 17), "day"),
    ("https://x.org/2021/3/8/story", date(2021, 3, 8), "day"),
    ("https://x.org/archive/2021/03/", date(2021, 3, 1), "month"),
    ("https://x.org/2023/10/3-fragen", date(2023, 10, 1), "month"),
])
def test_url_dates(url, expected, precision):
    found = url_date(url)
    assert found and (found.date, found.precision) == (expected, precision)


@pytest.mark.parametrize("url", [
    "https://www.nato.int/cps/en/natohq/opinions_190292.htm",
    "https://x.org/a/20211345/",  # month 13
    "https://x.org/story-1764165844",  # an id, not a date
    "https://x.org/1850/01/01/too-old",
])
def test_urls_without_dates(url):
    assert url_date(url) is None


@pytest.mark.parametrize("url", [
    "https://web.archive.org/web/20250101000000/https://x.org/a",
    "https://archive.ph/20250101/https://x.org/a",
])
def test_web_archive_capture_dates_are_not_source_dates(url):
    assert url_date(url) is None


@pytest.mark.parametrize("url", [
    "https://www.bbc.co.uk/news/world-europe-20250618",  # an article id ending a slug
    "https://www.legislation.gov.uk/ukpga/2018/12",  # year/number, not year/month
    "https://www.legislation.gov.uk/ukpga/2018/12/contents",
    "https://eur-lex.europa.eu/eli/reg/2016/6/oj",
])
def test_article_ids_and_year_number_paths_are_not_dates(url):
    assert url_date(url) is None


def test_a_year_month_before_a_slug_is_still_a_month():
    found = url_date("https://x.org/2021/3/council-approves-budget")
    assert (found.date, found.precision) == (date(2021, 3, 1), "month")


def test_a_path_written_as_text_and_percent_encoded_is_one_source():
    from linkcheck.urls.normalise import normalize

    assert normalize("https://ria.ru/Москва/новости") == normalize(
        "https://ria.ru/%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0/%d0%bd%d0%be%d0%b2%d0%be%d1%81%d1%82%d0%b8")
    assert normalize("https://a.org/%7Euser/x") == normalize("https://a.org/~user/x")


def test_different_escaped_paths_stay_different():
    from linkcheck.urls.normalise import normalize

    assert normalize("https://a.org/a%2Fb") != normalize("https://a.org/a/b")
    assert normalize("https://a.org/Moskva") != normalize("https://a.org/moskva")
