"""Cases found by reviewing the tool against articles it had not seen."""

import json
from datetime import date

from linkcheck.extract import extract
from linkcheck.inputs.files import article_date
from linkcheck.model import (
    Article,
    ArticleReport,
    AuditReport,
    Hop,
    Outcome,
    PageMeta,
    Resolution,
    StoryDate,
)
from linkcheck.pages import extract_meta
from linkcheck.report.text import render as render_text
from linkcheck.resolve.cache import ResolutionCache
from linkcheck.rules.soft404 import soft_404_reason
from tests.support.server import FaultServer, respond
from tests.test_cli_input import assert_input_error, linkcheck
from tests.test_resolver_faults import resolve


def test_far_future_dates_are_not_publication_dates_and_never_crash(tmp_path):
    html = '<meta property="article:published_time" content="9999-12-31T23:59:59+14:00">'
    assert extract_meta(html, "https://a.org/x").published is None
    assert StoryDate(date(9999, 12, 31), "explicit", tolerance_days=5).window_end == date.max
    f = tmp_path / "a.txt"
    f.write_text("no links")
    assert_input_error(linkcheck("audit", str(f), "--published", "9999-12-31", "--no-warc"),
                       "out of range")


def test_network_text_is_never_markup_in_the_terminal_report():
    res = Resolution("https://a.org/x", Outcome.OK, final_url="https://a.org/x", status=200,
                     hops=[Hop("https://a.org/x", 200)],
                     meta=PageMeta(title="Stocks fall [/] today \x1b]0;owned\x07 [video]"))
    ar = ArticleReport(Article("a.txt", "", "txt"), [], {res.url: res},
                       StoryDate(None, "unknown"), [])
    out = render_text(AuditReport([ar]), width=200)
    assert "[/]" in out and "[video]" in out and "\x1b" not in out


def test_malformed_href_or_base_is_a_finding_not_a_crash():
    cites = extract(Article("a.html", '<a href="http://[::1">x</a>', "html"))
    assert cites[0].invalid and "malformed" in cites[0].invalid


def test_front_matter_skips_a_published_flag_to_find_the_date():
    md = "---\npublished: true\ndate: 2021-12-17\n---\nText.\n"
    assert article_date(Article("a.md", md, "md"))[0] == date(2021, 12, 17)


def test_a_story_about_a_search_is_not_a_search_page():
    hops = [Hop("https://n.org/s/abc", 301),
            Hop("https://n.org/2021/12/15/search-for-missing-hiker-ends", 200)]
    res = Resolution("https://n.org/s/abc", Outcome.REDIRECTED, final_url=hops[-1].url,
                     status=200, hops=hops)
    assert soft_404_reason(res) is None
    hops = [Hop("https://n.org/2021/12/15/story", 302), Hop("https://n.org/search", 200)]
    res = Resolution(hops[0].url, Outcome.REDIRECTED, final_url=hops[-1].url, status=200,
                     hops=hops)
    assert soft_404_reason(res) is not None


def test_a_page_loading_a_challenge_script_is_not_a_bot_wall():
    body = ('<html><head><title>Budget passes</title><script src="/cdn-cgi/challenge-platform'
            '/scripts/jsd/main.js"></script></head><body><h1>Budget passes</h1></body></html>')
    with FaultServer() as srv:
        srv.route("/story", respond(200, body, headers={"Server": "cloudflare"}))
        (res,) = resolve([f"{srv.base()}/story"]).values()
    assert res.outcome is Outcome.OK


def test_cache_keeps_a_trailing_slash_apart_and_settings_apart(tmp_path):
    cache = ResolutionCache(tmp_path / "c.db", 3600, context="private-allowed")
    cache.put(Resolution("https://a.org/a", Outcome.OK, final_url="https://a.org/a", status=200))
    assert cache.get("https://a.org/a/") is None
    assert cache.get("https://a.org/a") is not None
    other = ResolutionCache(tmp_path / "c.db", 3600, context="guarded")
    assert other.get("https://a.org/a") is None


def test_rewriting_the_baseline_in_place_keeps_old_findings(tmp_path):
    with FaultServer() as srv:
        srv.route("/gone", respond(404, "no"))
        f = tmp_path / "a.md"
        f.write_text(f"[x]({srv.base()}/gone)\n")
        base = tmp_path / "baseline.json"
        args = ["audit", str(f), "--allow-private", "--no-warc", "--no-cache"]
        linkcheck(*args, "--write-baseline", str(base))
        linkcheck(*args, "--baseline", str(base), "--write-baseline", str(base))
    assert len(json.loads(base.read_text())["findings"]) == 1


def test_two_links_landing_on_a_login_page_are_not_duplicates():
    from linkcheck.model import Citation
    from linkcheck.rules import RuleContext, run_rules

    def landed(url):
        hops = [Hop(url, 302), Hop("https://n.org/login?next=/x", 200)]
        return Resolution(url, Outcome.REDIRECTED, final_url=hops[-1].url, status=200,
                          hops=hops)
    c = [Citation("https://n.org/a", 1, 1), Citation("https://n.org/a?id=2", 2, 1)]
    links = {x.url: landed(x.url) for x in c}
    ctx = RuleContext(Article("a", "", "txt"), c, links, StoryDate(None, "unknown"))
    assert "duplicate-link" not in {f.rule for f in run_rules(ctx)}


def test_a_dash_or_ellipsis_after_a_url_is_not_part_of_it():
    text = "the report https://n.org/report\u2014then more https://n.org/b\u2026"
    assert [c.url for c in extract(Article("a.txt", text, "txt"))] == [
        "https://n.org/report", "https://n.org/b"]
