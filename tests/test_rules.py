"""Each rule shown firing and staying quiet, on hand-made resolutions."""

from datetime import date

from linkcheck.model import (
    Article,
    Citation,
    Hop,
    Outcome,
    PageMeta,
    Resolution,
    Severity,
    StoryDate,
)
from linkcheck.rules import RULES, RuleContext, run_rules


def res(url, outcome=Outcome.OK, status=200, hops=None, meta=None, **kw):
    hops = hops or [Hop(url, status)]
    return Resolution(url, outcome, final_url=hops[-1].url, status=status, hops=hops,
                      meta=meta or PageMeta(), **kw)


def run(citations, resolutions, story=date(2021, 12, 17), source="explicit"):
    links = {r.url: r for r in resolutions}
    ctx = RuleContext(Article("a.txt", "", "txt"), citations, links,
                      StoryDate(story, source, explanation="test"))
    return run_rules(ctx)


def rules_of(findings):
    return sorted({f.rule for f in findings})


def test_every_rule_has_id_severity_summary_and_help():
    for rule in RULES.values():
        assert rule.id and isinstance(rule.severity, Severity) and rule.summary and rule.help


def test_broken_link_fires_on_404_and_on_failures_but_not_on_ok():
    c = [Citation("https://a.org/gone", 3, 1), Citation("https://a.org/ok", 4, 1),
         Citation("https://b.org/", 5, 1)]
    out = run(c, [res("https://a.org/gone", Outcome.BROKEN, 404), res("https://a.org/ok"),
                  res("https://b.org/", Outcome.BROKEN, None, hops=[Hop("https://b.org/")],
                      error="DNS lookup failed for b.org", error_kind="dns")])
    broken = [f for f in out if f.rule == "broken-link"]
    assert [(f.line, f.severity) for f in broken] == [(3, Severity.ERROR), (5, Severity.ERROR)]
    assert "404" in broken[0].message and "DNS" in broken[1].message


def test_duplicate_link_exact_and_normalised_and_same_final_url():
    c = [Citation("https://www.nato.int/a", 16, 1), Citation("https://www.nato.int/a", 17, 1),
         Citation("HTTPS://WWW.NATO.INT/a/?utm_source=x#top", 18, 1),
         Citation("https://bit.ly/xyz", 19, 1), Citation("https://other.org/", 20, 1)]
    final = [Hop("https://bit.ly/xyz", 301), Hop("https://www.nato.int/a", 200)]
    out = run(c, [res("https://www.nato.int/a"), res("HTTPS://WWW.NATO.INT/a/?utm_source=x#top"),
                  res("https://bit.ly/xyz", Outcome.REDIRECTED, hops=final),
                  res("https://other.org/")])
    dups = [f for f in out if f.rule == "duplicate-link"]
    assert [f.line for f in dups] == [17, 18, 19]
    assert all("line 16" in f.message for f in dups)
    assert "another form" in dups[1].message and "lead to" in dups[2].message


def test_duplicate_link_quiet_for_distinct_sources():
    c = [Citation("https://a.org/1", 1, 1), Citation("https://a.org/2", 2, 1)]
    assert "duplicate-link" not in rules_of(run(c, [res("https://a.org/1"), res("https://a.org/2")]))


def test_date_after_story_fires_on_url_and_page_dates_beyond_tolerance():
    mt = "https://www.themoscowtimes.com/2025/03/28/russia"
    page_late = "https://late.org/story"
    c = [Citation(mt, 18, 1), Citation(page_late, 19, 1)]
    late_meta = PageMeta(published=date(2022, 2, 1), sources={"published": "og"})
    out = [f for f in run(c, [res(mt, Outcome.BROKEN, 404), res(page_late, meta=late_meta)])
           if f.rule == "date-after-story"]
    assert [f.line for f in out] == [18, 19]
    assert "2025-03-28" in out[0].message and "2021-12-17" in out[0].message
    assert out[0].evidence["date_source"] == "url" and out[1].evidence["date_source"] == "page"


def test_date_after_story_quiet_within_one_day_and_before():
    c = [Citation("https://x.org/2021/12/18/a", 1, 1), Citation("https://x.org/2021/12/01/b", 2, 1)]
    out = run(c, [res(c[0].url), res(c[1].url)])
    assert "date-after-story" not in rules_of(out)


def test_date_after_story_quiet_without_a_story_date():
    c = [Citation("https://x.org/2030/01/01/a", 1, 1)]
    assert "date-after-story" not in rules_of(run(c, [res(c[0].url)], story=None, source="unknown"))


def test_redirected_fires_on_permanent_hop_only():
    perm = [Hop("http://a.org/x", 301), Hop("https://a.org/x", 200)]
    temp = [Hop("https://b.org/x", 302), Hop("https://b.org/x?lang=en", 200)]
    c = [Citation("http://a.org/x", 1, 1), Citation("https://b.org/x", 2, 1)]
    out = run(c, [res("http://a.org/x", Outcome.REDIRECTED, hops=perm),
                  res("https://b.org/x", Outcome.REDIRECTED, hops=temp)])
    red = [f for f in out if f.rule == "redirected"]
    assert [f.line for f in red] == [1] and "cite https://a.org/x" in red[0].message
    assert red[0].severity is Severity.INFO


def test_blocked_is_a_warning_not_broken():
    c = [Citation("https://linkedin.com/in/x", 1, 1)]
    out = run(c, [res(c[0].url, Outcome.BLOCKED, 999, blocked_reason="bot wall (999)")])
    assert rules_of(out) == ["blocked"] and out[0].severity is Severity.WARNING


def test_private_address_fires_and_broken_link_stays_quiet():
    c = [Citation("http://169.254.169.254/latest/meta-data", 1, 1)]
    out = run(c, [res(c[0].url, Outcome.ERROR, None, hops=[Hop(c[0].url)],
                      error="refused", error_kind="private-address",
                      private_address="169.254.169.254")])
    assert rules_of(out) == ["private-address"]


def test_soft_404_deep_link_to_home_fires_but_home_citation_is_quiet():
    deep = [Hop("https://news.org/2021/12/17/story", 301), Hop("https://news.org/", 200)]
    c = [Citation("https://news.org/2021/12/17/story", 1, 1), Citation("https://home.org/", 2, 1)]
    out = run(c, [res(c[0].url, Outcome.REDIRECTED, hops=deep),
                  res("https://home.org/", Outcome.REDIRECTED,
                      hops=[Hop("https://home.org/", 301), Hop("https://www.home.org/", 200)])])
    soft = [f for f in out if f.rule == "soft-404"]
    assert [f.line for f in soft] == [1] and "home page" in soft[0].message


def test_soft_404_not_found_title_with_200():
    c = [Citation("https://a.org/story", 1, 1), Citation("https://a.org/found", 2, 1)]
    out = run(c, [res(c[0].url, meta=PageMeta(title="Page not found")),
                  res(c[1].url, meta=PageMeta(title="Missing hiker found alive"))])
    assert [f.line for f in out if f.rule == "soft-404"] == [1]


def test_malformed_url_is_a_finding():
    c = [Citation("http://bad..host/x", 4, 2, invalid="malformed URL: bad host name")]
    out = run(c, [])
    assert rules_of(out) == ["malformed-url"] and (out[0].line, out[0].column) == (4, 2)


def test_tracking_params_fires_with_clean_url_and_quiet_without():
    c = [Citation("https://a.org/x?id=2&utm_source=tw", 1, 1),
         Citation("https://a.org/y?id=2", 2, 1)]
    out = [f for f in run(c, [res(c[0].url), res(c[1].url)]) if f.rule == "tracking-params"]
    assert [f.line for f in out] == [1] and out[0].evidence["clean_url"] == "https://a.org/x?id=2"


def test_url_shortener_names_the_destination():
    hops = [Hop("https://bit.ly/abc", 301), Hop("https://news.org/story", 200)]
    c = [Citation("https://bit.ly/abc", 1, 1), Citation("https://news.org/other", 2, 1)]
    out = [f for f in run(c, [res(c[0].url, Outcome.REDIRECTED, hops=hops), res(c[1].url)])
           if f.rule == "url-shortener"]
    assert [f.line for f in out] == [1] and "https://news.org/story" in out[0].message


def test_insecure_link_on_upgrade_or_https_twin_and_quiet_otherwise():
    up = [Hop("http://a.org/x", 301), Hop("https://a.org/x", 200)]
    c = [Citation("http://a.org/x", 1, 1), Citation("http://b.org/y", 2, 1),
         Citation("http://c.org/z", 3, 1), Citation("https://d.org/", 4, 1)]
    links = {r.url: r for r in [res(c[0].url, Outcome.REDIRECTED, hops=up), res(c[1].url),
                                res(c[2].url), res(c[3].url)]}
    ctx = RuleContext(Article("a", "", "txt"), c, links, StoryDate(None, "unknown"),
                      probes={"http://b.org/y": res("https://b.org/y"),
                              "http://c.org/z": res("https://c.org/z", Outcome.BROKEN, 404)})
    out = [f for f in run_rules(ctx) if f.rule == "insecure-link"]
    assert [f.line for f in out] == [1, 2]


def test_canonical_differs_fires_for_another_page_only():
    c = [Citation("https://amp.news.org/a", 1, 1), Citation("https://news.org/b", 2, 1),
         Citation("https://news.org/c", 3, 1)]
    out = run(c, [res(c[0].url, meta=PageMeta(canonical="https://news.org/a")),
                  res(c[1].url, meta=PageMeta(canonical="http://www.news.org/b/")),
                  res(c[2].url, meta=PageMeta(canonical="https://news.org/"))])
    assert [f.line for f in out if f.rule == "canonical-differs"] == [1]


def test_date_mismatch_beyond_three_days_only():
    c = [Citation("https://a.org/2021/12/17/x", 1, 1),
         Citation("https://a.org/2021/12/17/y", 2, 1)]
    out = run(c, [res(c[0].url, meta=PageMeta(published=date(2019, 5, 2))),
                  res(c[1].url, meta=PageMeta(published=date(2021, 12, 16)))])
    mism = [f for f in out if f.rule == "date-mismatch"]
    assert [f.line for f in mism] == [1] and "2019-05-02" in mism[0].message


def test_date_after_story_says_what_it_could_not_judge_without_a_story_date():
    from linkcheck.model import DateEvidence

    url = "https://x.org/2030/01/01/a"
    links = {url: res(url)}
    story = StoryDate(None, "unknown", [DateEvidence(url, date(2030, 1, 1), "url")],
                      "only one cited source is dated")
    out = run_rules(RuleContext(Article("a.txt", "", "txt"), [Citation(url, 1, 1)], links, story))
    (note,) = [f for f in out if f.rule == "date-after-story"]
    assert note.severity == Severity.INFO and "not judged" in note.message
    assert "only one cited source" in note.message and url in note.message


def test_date_after_story_compares_instants_across_time_zones():
    from datetime import datetime

    url = "https://moscow.example/story"
    meta = PageMeta(published=date(2020, 6, 30), published_at="2020-06-30T01:00:00+03:00",
                    sources={"published": "article:published_time"})
    story = StoryDate(date(2020, 6, 28), "explicit", explanation="x",
                      instant=datetime.fromisoformat("2020-06-28T23:30:00-05:00"))
    out = run_rules(RuleContext(Article("a.txt", "", "txt"), [Citation(url, 1, 1)],
                                {url: res(url, meta=meta)}, story))
    assert "date-after-story" not in rules_of(out)  # 17.5 hours later, within a day
    later = PageMeta(published=date(2020, 7, 2), published_at="2020-07-02T01:00:00+03:00")
    out = run_rules(RuleContext(Article("a.txt", "", "txt"), [Citation(url, 1, 1)],
                                {url: res(url, meta=later)}, story))
    assert "date-after-story" in rules_of(out)
