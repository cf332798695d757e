"""Extraction on the forms real copy takes: raw HTML in Markdown, IPv6 hosts,
converter escapes, IDN hosts, URLs wrapped across lines, mistyped schemes, URLs
written out in HTML, quotations' cite=, deep nesting. Each fix has a near miss
beside it that must stay as it was."""

import subprocess
import sys

import pytest

from linkcheck.extract import extract
from linkcheck.model import Article, Hop, Outcome, Resolution, StoryDate
from linkcheck.rules import RuleContext, run_rules


def cites(text: str, kind: str):
    return extract(Article("draft", text, kind))


def found(text: str, kind: str):
    return [(c.line, c.column, c.url) for c in cites(text, kind)]


# --- raw HTML inside Markdown ------------------------------------------------

def test_inline_html_link_in_markdown_is_cited_at_its_markdown_position():
    md = ("# Port talks stall\n\n"
          'Union leaders walked out, <a href="https://www.wire-desk.example/port-talks">'
          "Reuters reported</a> on Tuesday.\n")
    (c,) = cites(md, "md")
    assert (c.line, c.column, c.url) == (3, 36, "https://www.wire-desk.example/port-talks")
    assert c.text == "Reuters reported"


def test_html_block_in_markdown_is_read_by_the_html_extractor():
    md = ("Intro paragraph.\n\n"
          '<div class="factbox">\n'
          '  <p>Source: <a href="https://stats.gov.example/ports/2021">port statistics</a>'
          "</p>\n</div>\n\nAfter the box.\n")
    (c,) = cites(md, "md")
    assert (c.line, c.column) == (4, 23)
    assert c.url == "https://stats.gov.example/ports/2021" and c.text == "port statistics"


def test_html_in_code_is_not_a_citation():  # near miss
    md = ("Paste `<a href=\"https://cms.example/x\">` into the CMS.\n\n"
          "```html\n<a href=\"https://cms.example/y\">y</a>\n```\n\n"
          '<a name="top">no href</a> here.\n')
    assert cites(md, "md") == []


# --- IPv6 literals -----------------------------------------------------------

def test_ipv6_literal_urls_are_cited_in_text_and_markdown():
    text = ("The leaked file sat at http://[2001:db8::1]/report.pdf and a copy at "
            "http://[::ffff:127.0.0.1]:8080/mirror/report.pdf.\n")
    assert [u for _, _, u in found(text, "txt")] == [
        "http://[2001:db8::1]/report.pdf", "http://[::ffff:127.0.0.1]:8080/mirror/report.pdf"]
    assert found(text, "md")[1] == (1, 70, "http://[::ffff:127.0.0.1]:8080/mirror/report.pdf")


def test_ipv6_zone_id_is_kept_whole_at_its_column():
    (c,) = cites("The router page (http://[fe80::1%25eth0]/status) was open.\n", "txt")
    assert (c.column, c.url, c.invalid) == (18, "http://[fe80::1%25eth0]/status", None)


def test_brackets_around_an_ordinary_url_are_still_trimmed():  # near miss
    assert [u for _, _, u in found("[see https://a-paper.example/x] and [2001:db8::1]", "txt")] \
        == ["https://a-paper.example/x"]


def test_private_ipv6_literal_reaches_the_address_guard(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("Internal dashboard: http://[::ffff:127.0.0.1]:9/admin\n")
    proc = subprocess.run([sys.executable, "-m", "linkcheck", "audit", str(draft), "--no-warc",
                           "--format", "json"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert '"private-address"' in proc.stdout


# --- escapes in bare URLs ----------------------------------------------------

def test_escaped_bare_markdown_urls_are_cited_as_the_url_they_mean():
    md = ("Data: https://stats.example/q?region=north&amp;year=2021, "
          "https://stats.example/series&#95;a and https://stats.example/series\\_b "
          "(see https://en.wikipedia.org/wiki/Port\\_\\(disambiguation\\)).\n")
    assert found(md, "md") == [
        (1, 7, "https://stats.example/q?region=north&year=2021"),
        (1, 59, "https://stats.example/series_a"),
        (1, 98, "https://stats.example/series_b"),
        (1, 135, "https://en.wikipedia.org/wiki/Port_(disambiguation)")]


def test_escaped_underscore_in_text_does_not_cut_the_url():
    (c,) = cites("Figures at https://stats.example/port\\_traffic/2021 show it.\n", "txt")
    assert c.url == "https://stats.example/port_traffic/2021"


def test_backslash_before_a_letter_still_ends_a_text_url():  # near miss
    (c,) = cites("Log line: GET https://api.example/v1/items\\nNEXT\n", "txt")
    assert c.url == "https://api.example/v1/items"


# --- Markdown link positions and URLs as written -----------------------------

def test_markdown_link_with_idn_host_and_escape_keeps_its_position_and_spelling():
    md = ("The bakery chain's filing\n"
          "was [first reported](https://bäckerei-zeitung.example/2021/insolvenz\\_antrag) "
          "by the trade press.\n")
    (c,) = cites(md, "md")
    assert (c.line, c.column) == (2, 22)
    assert c.url == "https://bäckerei-zeitung.example/2021/insolvenz_antrag"


def test_percent_encoded_link_is_reported_as_written():  # near miss
    md = "Intro.\n[Le rapport](https://presse.example/r%C3%A9forme) says so.\n"
    assert found(md, "md") == [(2, 14, "https://presse.example/r%C3%A9forme")]


# --- URLs wrapped across lines -----------------------------------------------

WRAPPED = ("Read the original report at https://harbour-news.example/2021/11/04/dredging-\n"
           "plan-faces-challenge for the detail.\n")


@pytest.mark.parametrize("kind", ["txt", "md"])
def test_hyphen_broken_url_is_joined(kind):
    (c,) = cites(WRAPPED, kind)
    assert c.url == "https://harbour-news.example/2021/11/04/dredging-plan-faces-challenge"
    assert (c.line, c.column, c.invalid) == (1, 29, None)


@pytest.mark.parametrize("kind", ["txt", "md"])
def test_url_broken_after_a_slash_is_joined(kind):
    text = "Full text: https://harbour-news.example/2021/11/04/\ndredging-plan.html today.\n"
    (c,) = cites(text, kind)
    assert c.url == "https://harbour-news.example/2021/11/04/dredging-plan.html"


@pytest.mark.parametrize("kind", ["txt", "md"])
def test_cut_url_that_cannot_be_joined_is_malformed_with_both_lines(kind):
    text = "See https://harbour-news.example/2021/11/04/dredging-\nReuters added.\n"
    (c,) = cites(text, kind)
    assert c.invalid and "dredging-" in c.invalid and "Reuters added." in c.invalid


@pytest.mark.parametrize("kind", ["txt", "md"])
def test_url_ending_a_line_before_prose_stays_as_it_is(kind):  # near miss
    text = "The ministry's page is https://ministry.example/\nthe statement came later.\n"
    (c,) = cites(text, kind)
    assert (c.url, c.invalid) == ("https://ministry.example/", None)


# --- mistyped schemes ---------------------------------------------------------

def test_scheme_typos_are_malformed_with_the_intended_url():
    md = ("Sources: [port](https;//port.example/notice), [court](htps://court.example/case) "
          "and [union](http//union.example/statement).\n")
    got = cites(md, "md")
    assert [c.suggestion for c in got] == ["https://port.example/notice",
                                           "https://court.example/case",
                                           "http://union.example/statement"]
    assert all(c.invalid and not c.skipped for c in got)
    text = "Statement at https;//union.example/statement and htps://court.example/case.\n"
    assert [c.suggestion for c in cites(text, "txt")] == ["https://union.example/statement",
                                                          "https://court.example/case"]
    html = '<p><a href="http//union.example/statement">union</a></p>'
    assert cites(html, "html")[0].suggestion == "http://union.example/statement"


def test_defanged_ftp_and_relative_links_are_not_typos():  # near miss
    md = ("Malware host [hxxps://bad.example/x](hxxps://bad.example/x), "
          "[archive](ftp://files.example/a.zip), [earlier](2021/10/story.html).\n")
    got = cites(md, "md")
    assert [c.suggestion for c in got] == [None, None, None]
    assert [c.skipped.split(" ")[0] for c in got] == ["unsupported", "unsupported", "relative"]


def test_scheme_typo_makes_a_malformed_url_error_and_exit_1(tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text("The [notice](htps://port.example/notice) was posted.\n")
    proc = subprocess.run([sys.executable, "-m", "linkcheck", "audit", str(draft), "--no-warc"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "[malformed-url]" in proc.stdout and "did you mean https://port.example/notice" \
        in proc.stdout


# --- HTML: URLs in the text, cite=, deep Markdown nesting ---------------------

def test_unlinked_urls_in_html_body_text_are_cited():
    html = ("<html><head><title>https://title.example/no</title></head><body>\n"
            "<p>The data is at https://open-data.example/ports.csv?fmt=csv&amp;y=2021, "
            'and <a href="https://linked.example/x">https://linked.example/x</a>.</p>\n'
            "<pre>curl https://api.example/in-code</pre><script>u='https://js.example/'</script>"
            "</body></html>\n")
    assert found(html, "html") == [(2, 19, "https://open-data.example/ports.csv?fmt=csv&y=2021"),
                                   (2, 88, "https://linked.example/x")]


def test_cite_on_blockquote_and_q_is_a_citation():
    html = ('<blockquote cite="https://court.example/ruling-2021-44">\n<p>The appeal is '
            'dismissed.</p></blockquote>\n<p>He called it <q cite="https://hansard.example/'
            'debate/4">a fair outcome</q>.</p>\n<div cite="https://not-a-quote.example/">x</div>')
    assert found(html, "html") == [(1, 19, "https://court.example/ruling-2021-44"),
                                   (3, 26, "https://hansard.example/debate/4")]


def test_links_nested_deep_in_markdown_are_found():
    quotes = ">" * 25 + " [deep quote](https://deep.example/quote)\n"
    lists = "".join("  " * i + "- level\n" for i in range(12)) + "  " * 12 + \
        "- [deep item](https://deep.example/item)\n"
    assert [c.url for c in cites(quotes + "\n" + lists, "md")] == [
        "https://deep.example/quote", "https://deep.example/item"]


def test_pathological_nesting_does_not_crash():  # near miss: no traceback, links kept
    md = ">" * 5000 + " https://deep.example/far\n"
    assert [c.url for c in cites(md, "md")] == ["https://deep.example/far"]


# --- embedded posts -----------------------------------------------------------

TWEET = ('<blockquote class="twitter-tweet"><p lang="en">Petition filed. '
         '<a href="https://t.co/Qx7mWd2LpA">https://t.co/Qx7mWd2LpA</a> '
         '<a href="https://twitter.com/hashtag/SaveTheBeds?src=hash&amp;ref_src=twsrc%5Etfw">'
         '#SaveTheBeds</a></p>&mdash; Harbour Watch (@HarbourWatchN) '
         '<a href="https://twitter.com/HarbourWatchN/status/1456201934455123968?ref_src=twsrc'
         '%5Etfw">November 4, 2021</a></blockquote>\n'
         '<script async src="https://platform.twitter.com/widgets.js"></script>\n')


def test_tweet_embed_is_one_citation_of_the_post():
    (c,) = cites(TWEET, "html")
    assert c.url == "https://twitter.com/HarbourWatchN/status/1456201934455123968"
    assert c.embed == "x" and "Petition filed." in c.text


def test_other_embeds_are_one_citation_each():
    html = ('<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram'
            '.com/p/CV3xYzAbCdE/?utm_source=ig_embed&amp;utm_campaign=loading"><a href="https:'
            '//www.instagram.com/p/CV3xYzAbCdE/?utm_source=ig_embed">View this post</a>'
            '<a href="https://www.instagram.com/harbourwatch/">@harbourwatch</a></blockquote>\n'
            '<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@harbourwatch/video/'
            '7026712345678901234" data-video-id="7026712345678901234"><section><a href="https:'
            '//www.tiktok.com/@harbourwatch?refer=embed">@harbourwatch</a> <a href="https://www'
            '.tiktok.com/tag/harbour?refer=embed">#harbour</a></section></blockquote>\n'
            '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ?si=Ab12Cd34" '
            'allowfullscreen></iframe>\n'
            '<div class="fb-post" data-href="https://www.facebook.com/harbourwatch/posts/'
            '4412345678"><blockquote cite="https://www.facebook.com/harbourwatch/posts/'
            '4412345678" class="fb-xfbml-parse-ignore"><a href="https://www.facebook.com/'
            'harbourwatch/">Harbour Watch</a></blockquote></div>\n')
    got = [(c.embed, c.url) for c in cites(html, "html")]
    assert got == [
        ("instagram", "https://www.instagram.com/p/CV3xYzAbCdE/"),
        ("tiktok", "https://www.tiktok.com/@harbourwatch/video/7026712345678901234"),
        ("youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("facebook", "https://www.facebook.com/harbourwatch/posts/4412345678")]


def test_embed_markup_raises_no_shortener_or_tracking_findings_but_prose_does():
    html = TWEET + '<p>Also see <a href="https://t.co/Zz9Yy8Xx7W?utm_source=tw">this</a>.</p>'
    citations = cites(html, "html")
    links = {c.url: Resolution(c.url, Outcome.OK, final_url=c.url, status=200,
                               hops=[Hop(c.url, 200)]) for c in citations}
    ctx = RuleContext(Article("a.html", html, "html"), citations, links,
                      StoryDate(None, "unknown"))
    fired = {(f.rule, f.url) for f in run_rules(ctx)}
    assert ("url-shortener", "https://t.co/Zz9Yy8Xx7W?utm_source=tw") in fired
    assert ("tracking-params", "https://t.co/Zz9Yy8Xx7W?utm_source=tw") in fired
    assert not any("twitter.com" in url or "Qx7mWd2LpA" in url for _, url in fired)


def test_plain_blockquote_links_stay_the_writers_citations():  # near miss
    html = ('<blockquote><p>As the <a href="https://court.example/ruling">ruling</a> put it'
            '</p></blockquote>\n<blockquote class="twitter-tweet"><p>no status link</p>'
            '<a href="https://harbour.example/p">p</a></blockquote>')
    assert [c.url for c in cites(html, "html")] == ["https://court.example/ruling",
                                                   "https://harbour.example/p"]


def test_embed_pasted_into_markdown_is_one_citation():
    md = "The group posted:\n\n" + TWEET + "\nThe council replied.\n"
    (c,) = cites(md, "md")
    assert c.url == "https://twitter.com/HarbourWatchN/status/1456201934455123968"
    assert c.line == 3


@pytest.mark.parametrize("kind", ["txt", "md"])
def test_bare_break_inside_a_slug_is_joined_by_its_extension(kind):
    text = ("Details: https://harbour-news.example/2021/11/04/dredging-pl\n"
            "an-faces-challenge.html say more.\n")
    (c,) = cites(text, kind)
    assert c.url == "https://harbour-news.example/2021/11/04/dredging-plan-faces-challenge.html"


@pytest.mark.parametrize("kind", ["txt", "md"])
def test_file_name_starting_the_next_line_is_not_joined_to_a_plain_path(kind):  # near miss
    text = "The manual at https://docs.example/handbook\nindex.html explains it.\n"
    (c,) = cites(text, kind)
    assert c.url == "https://docs.example/handbook"


def test_embed_with_a_malformed_url_is_no_traceback():
    html = ('<div class="fb-post" data-href="https://[::1"><a href="https://[::2">x</a></div>'
            '<iframe src="https://www.facebook.com/plugins/post.php?href=https://[::3"></iframe>')
    got = cites(html, "html")
    assert got and all(c.invalid for c in got)
