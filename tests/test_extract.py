from linkcheck.extract import extract
from linkcheck.model import Article


def cites(text: str, kind: str):
    return extract(Article("draft", text, kind))


def test_reference_article_lists_four_urls_with_positions():
    with open("examples/nato-grushko.txt", encoding="utf-8") as f:
        text = f.read()
    found = [(c.line, c.column, c.url) for c in cites(text, "txt")]
    assert [f[:2] for f in found] == [(15, 1), (16, 1), (17, 1), (18, 1)]
    assert found[1][2] == found[2][2] == "https://www.nato.int/cps/en/natohq/opinions_190292.htm"


def test_text_trims_sentence_punctuation_but_keeps_balanced_parentheses():
    text = ("See https://a.org/x. Or (https://b.org/y), or <https://c.org/z>; "
            "also https://en.wikipedia.org/wiki/Foo_(bar)!")
    urls = [c.url for c in cites(text, "txt")]
    assert urls == ["https://a.org/x", "https://b.org/y", "https://c.org/z",
                    "https://en.wikipedia.org/wiki/Foo_(bar)"]


def test_text_gives_the_sentence_around_a_bare_url():
    text = "First sentence. The ministry said so at https://a.org/x in a statement. Next one."
    (c,) = cites(text, "txt")
    assert c.text == "The ministry said so at in a statement."
    assert (c.line, c.column) == (1, 41)


def test_url_alone_on_its_line_has_no_sentence():
    (c,) = cites("Intro.\n\nhttps://a.org/x\n", "txt")
    assert c.text == "" and c.line == 3


def test_markdown_inline_reference_autolink_and_bare():
    md = ("---\ndate: 2021-12-17\n---\n"
          "Read [the report](https://a.org/r?utm_source=x) and <https://b.org/b>.\n"
          "Also [ref][r1] and https://c.org/c.\n\n"
          "`https://code.org/span`\n\n    https://code.org/block\n\n"
          "[r1]: https://d.org/d\n")
    got = {c.url: (c.line, c.column, c.text) for c in cites(md, "md")}
    assert got["https://a.org/r?utm_source=x"] == (4, 19, "the report")
    assert got["https://b.org/b"][:2] == (4, 54)
    assert got["https://c.org/c"][:2] == (5, 20)
    assert got["https://d.org/d"] == (11, 7, "ref")
    assert not any("code.org" in u for u in got)


def test_markdown_same_link_twice_on_a_line_gets_two_columns():
    md = "[a](https://a.org/x) and [b](https://a.org/x)\n"
    assert [c.column for c in cites(md, "md")] == [5, 30]


def test_html_links_resolve_against_base_and_decode_entities():
    html = ('<html><head><base href="https://news.org/section/"></head><body>\n'
            '<p>See <a class="x"\n   href="story?a=1&amp;b=2">the <b>story</b></a> and '
            '<a href="https://b.org/">B</a> <a href="#top">top</a> '
            '<a href="mailto:x@y.z">mail</a></p></body></html>')
    got = cites(html, "html")
    assert got[0].url == "https://news.org/section/story?a=1&b=2"
    assert (got[0].line, got[0].column) == (3, 10)
    assert got[0].text == "the story"
    assert got[1].url == "https://b.org/" and got[1].skipped is None
    assert got[2].skipped == "in-page fragment"
    assert got[3].skipped == "mailto: link"


def test_skipped_schemes_are_never_fetched():
    md = "[m](mailto:a@b.c) [t](tel:+123) [j](javascript:alert(1)) [f](#x)"
    assert all(c.skipped for c in cites(md, "md"))


def test_malformed_url_is_marked_invalid():
    (c,) = cites("Broken link http://exa mple.org is not it, but http://bad..host/x is.", "txt")[1:]
    assert c.invalid and "host" in c.invalid


def test_www_prefix_gets_a_scheme():
    (c,) = cites("Visit www.example-news.org/story today.", "txt")
    assert c.url == "https://www.example-news.org/story"


def test_citations_come_in_source_order_and_empty_hrefs_are_skipped():
    md = "A [ref][1] and <https://x.example-news.org/a>.\n\n[1]: https://ref.example-news.org/r\n"
    assert [c.line for c in cites(md, "md")] == [1, 3]
    html = '<base href="https://news.example-news.org/a/"><a href="">self</a>'
    (c,) = cites(html, "html")
    assert c.skipped


def test_urls_run_together_by_a_comma_are_two_citations():
    got = [(c.url, c.column) for c in cites("See https://a.org/x,https://b.org/y now", "txt")]
    assert got == [("https://a.org/x", 5), ("https://b.org/y", 21)]


def test_apostrophe_inside_a_url_is_kept_and_quotes_around_it_are_not():
    text = "See https://en.wikipedia.org/wiki/Ender's_Game and 'https://a.org/q' too."
    assert [c.url for c in cites(text, "txt")] == ["https://en.wikipedia.org/wiki/Ender's_Game",
                                                   "https://a.org/q"]
