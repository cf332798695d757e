"""title-mismatch, stale-source, unlinked-citation and unsourced-attribution:
each shown firing, with its evidence, and staying quiet. Hand-made articles and
resolutions; the reference article's own run is in test_sourcemap.py."""

from datetime import date

import pytest

from linkcheck.extract import extract
from linkcheck.model import Article, Hop, Outcome, PageMeta, Resolution, Severity, StoryDate
from linkcheck.rules import RULES, RuleContext, run_rules
from linkcheck.rules.suppress import fingerprint

CLAIM_RULES = ("title-mismatch", "stale-source", "unlinked-citation", "unsourced-attribution")


def page(url, title=None, text=None, published=None, outcome=Outcome.OK, status=200, **meta):
    return Resolution(url, outcome, final_url=url, status=status, hops=[Hop(url, status)],
                      meta=PageMeta(title=title, text=text, published=published,
                                    sources={"published": "article:published_time"}
                                    if published else {}, **meta))


def run(text, pages=(), kind="txt", story=date(2021, 12, 17), options=None, **article):
    a = Article(f"a.{kind}", text, kind, **article)
    cites = extract(a)
    links = {p.url: p for p in pages}
    links = {c.url: links.get(c.url) or page(c.url) for c in cites}
    ctx = RuleContext(a, cites, links, StoryDate(story, "explicit"), options=options or {})
    return [f for f in run_rules(ctx) if f.rule in CLAIM_RULES]


def only(findings, rule):
    return [f for f in findings if f.rule == rule]


def test_rules_are_registered_with_severity_summary_and_help():
    expected = {"title-mismatch": Severity.WARNING, "stale-source": Severity.INFO,
                "unlinked-citation": Severity.WARNING, "unsourced-attribution": Severity.INFO}
    for rule_id, severity in expected.items():
        rule = RULES[rule_id]
        assert rule.severity is severity and rule.summary and len(rule.help) > 80


# --- title-mismatch ---------------------------------------------------------------------

BELARUS = "https://news.example-wire.org/2021/12/16/eu-agrees-new-sanctions-on-belarus"


def test_title_mismatch_fires_on_a_related_article_headline_above_its_link():
    text = ("Talks continued on Friday in Brussels.\n\n"
            "Related article: Zelenskiy Meets Biden in Washington\n"
            f"{BELARUS}\n")
    (f,) = run(text, [page(BELARUS, "EU agrees new sanctions on Belarus")])
    assert f.rule == "title-mismatch" and f.line == 4 and f.severity is Severity.WARNING
    assert "Zelenskiy Meets Biden in Washington" in f.message
    assert "EU agrees new sanctions on Belarus" in f.message and "similarity" in f.message
    ev = f.evidence
    assert ev["claim"] == "Zelenskiy Meets Biden in Washington"
    assert ev["title"] == "EU agrees new sanctions on Belarus" and ev["title_similarity"] < 0.4
    assert ev["slug"] == "eu agrees new sanctions on belarus" and "slug_similarity" in ev


def test_title_mismatch_is_transliteration_and_punctuation_tolerant():
    url = "https://news.example-wire.org/a/123456"
    text = "Read more: ZELENSKIY MEETS STOLTENBERG, IN BRUSSELS!\n" + url + "\n"
    assert not run(text, [page(url, "Zelenskyy meets Stoltenberg in Brussels")])


def test_title_mismatch_quiet_when_the_slug_matches_though_the_title_does_not():
    text = "See also: EU Agrees New Sanctions on Belarus\n" + BELARUS + "\n"
    assert not run(text, [page(BELARUS, "Live updates: the war in Ukraine, day 300")])


def test_title_mismatch_on_markdown_anchors_list_items_and_quoted_headlines():
    url = "https://wire.example-news.org/story/77"
    unrelated = [page(url, "Weather: snow expected across Moscow region")]
    md_list = f"Background:\n\n- [Russia Sends Security Proposals to the U.S.]({url})\n"
    (f,) = run(md_list, unrelated, kind="md")
    assert f.evidence["claim_source"] == "link text"
    quoted = (f'The agency ran a story headlined "Kremlin Rejects NATO Offer Outright" '
              f"({url}) on Friday.")
    (f,) = run(quoted, unrelated)
    assert f.evidence["claim_source"] == "quoted headline"
    assert f.evidence["claim"] == "Kremlin Rejects NATO Offer Outright"
    anchor = f"As the wire put it, \u201c[Kremlin Rejects NATO Offer Outright]({url})\u201d."
    (f,) = run(anchor, unrelated, kind="md")
    assert f.evidence["claim_source"] == "quoted anchor text"


@pytest.mark.parametrize("md", [
    "The Kremlin said so, according to [this report]({url}).",
    "Details are [here]({url}).",
    "The Kremlin [rejected the offer of talks outright]({url}) on Friday, officials said.",
    "See [{url}]({url}) for the text.",
    "[EU Foreign Policy Chief Josep Borrell]({url}) said on Friday that talks would go on.",
])
def test_title_mismatch_quiet_on_generic_and_descriptive_anchors(md):
    url = "https://wire.example-news.org/story/77"
    assert not run(md.format(url=url), [page(url, "Weather: snow expected across Moscow")],
                   kind="md")


def test_title_mismatch_does_not_compare_across_languages():
    url = "https://ria.ru/20211217/nato-1764165844.html"
    text = "Related: Grushko Says NATO Left Russian Proposals Unanswered\n" + url + "\n"
    ria = page(url, "Грушко: НАТО оставило без ответа предложения России по деэскалации",
               language="ru")
    assert not run(text, [ria])


def test_title_mismatch_on_a_broken_link_compares_the_slug_only():
    text = "Related article: Zelenskiy Meets Biden in Washington\n" + BELARUS + "\n"
    gone = page(BELARUS, "Page not found", outcome=Outcome.BROKEN, status=404)
    (f,) = run(text, [gone])
    assert "title" not in f.evidence and f.evidence["slug_similarity"] < 0.4


# --- stale-source -----------------------------------------------------------------------------

OLD = "https://www.example-ministry.org/news/press-release-on-military-exercises"


def test_stale_source_fires_when_an_old_page_backs_a_sentence_told_as_news():
    md = (f"The ministry [announced on Friday]({OLD}) that the drills would go ahead, "
          "officials said.\n")
    (f,) = run(md, [page(OLD, "Press release", published=date(2012, 3, 1))], kind="md")
    assert f.rule == "stale-source" and f.severity is Severity.INFO
    ev = f.evidence
    assert ev["page_date"] == "2012-03-01" and ev["story_date"] == "2021-12-17"
    assert ev["age_years"] == 9.8 and ev["stale_years"] == 5
    assert ev["phrase"] == "announced on Friday" and ev["sentence"].startswith("The ministry")
    assert "2012-03-01" in f.message and "9.8 years" in f.message


def test_stale_source_uses_the_url_date_when_the_page_has_none():
    url = "https://www.example-wire.org/2009/05/04/ministry-statement"
    text = f"The ministry said on Friday it would respond ({url}).\n"
    (f,) = run(text, [page(url, "Statement")])
    assert f.evidence["page_date"] == "2009-05-04" and "URL" in f.evidence["page_date_source"]


@pytest.mark.parametrize("sentence, published, options", [
    ("In 2012 the ministry published its guidelines on drills", date(2012, 3, 1), None),
    ("The ministry announced on Friday that drills would go ahead", date(2020, 3, 1), None),
    ("The ministry announced on Friday that drills would go ahead", date(2012, 3, 1),
     {"stale_years": 20}),
])
def test_stale_source_quiet_for_background_recent_pages_and_a_wider_span(
        sentence, published, options):
    md = f"{sentence} ([source]({OLD})), officials said.\n"
    assert not only(run(md, [page(OLD, "Press release", published=published)], kind="md",
                        options=options), "stale-source")


# --- unlinked-citation ---------------------------------------------------------------------------


def test_unlinked_citation_fires_on_a_related_headline_that_matches_no_link():
    text = ("NATO rejected the demands.\n\n"
            "Related article: Kremlin Blames West for Gas Price Spike\n\n"
            "https://www.nato.int/cps/en/natohq/opinions_190292.htm\n")
    nato = page("https://www.nato.int/cps/en/natohq/opinions_190292.htm",
                "Press conference by NATO Secretary General Jens Stoltenberg")
    (f,) = run(text, [nato])
    assert f.rule == "unlinked-citation" and (f.line, f.column) == (3, 1) and f.url == ""
    assert f.evidence["headline"] == "Kremlin Blames West for Gas Price Spike"
    assert f.evidence["nearest_url"].startswith("https://www.nato.int/")
    assert "Related article" in f.message


def test_unlinked_citation_quiet_when_the_headline_has_a_link_or_matches_one():
    below = "Read more: Kremlin Blames West for Gas Price Spike\nhttps://a.example-news.org/x\n"
    assert not run(below, [page("https://a.example-news.org/x", "Kremlin blames West")])
    apart = ("Related article: Kremlin Blames West for Gas Price Spike\n\nMore text here.\n\n"
             "https://b.example-news.org/2021/12/10/kremlin-blames-west-for-gas-price-spike\n")
    assert not run(apart)


def test_unlinked_citation_only_for_citation_labels():
    text = "Watch: Putin Speaks to Reporters in Moscow\n\nMore: photos of the day\n"
    assert not run(text)


def test_findings_without_a_url_keep_distinct_baseline_fingerprints():
    text = ("Related article: Kremlin Blames West for Gas Price Spike\n\n"
            "See also: Moscow Court Jails Activist\n")
    a, b = run(text)
    assert {a.rule, b.rule} == {"unlinked-citation"}
    assert fingerprint("x.txt", a) != fingerprint("x.txt", b)


# --- unsourced-attribution ---------------------------------------------------------------


@pytest.mark.parametrize("sentence, name", [
    ("Kremlin spokesman Dmitry Peskov told Reuters on Friday that talks would go on.", "Reuters"),
    ("Talks will continue, according to the Kremlin\u2019s statement.", "Kremlin"),
    ("The Kremlin said in a statement that talks would go on.", "Kremlin"),
    ("He said so in an interview with the independent Kyiv Post newspaper.", "Kyiv Post"),
    ("The drills began, the Interfax news agency reported.", "Interfax"),
    ("The drills began, the Novaya Zemlya Herald newspaper reported.", "Novaya Zemlya Herald"),
    ("Troops moved, Bloomberg reported, citing officials.", "Bloomberg"),
])
def test_unsourced_attribution_fires_on_named_outlets_and_documents(sentence, name):
    findings = only(run(sentence + "\n\nhttps://www.nato.int/cps/en/natohq/news.htm\n"),
                    "unsourced-attribution")
    (f,) = findings
    assert f.evidence["name"] == name and f.url == "" and f.line == 1
    assert f.evidence["sentence"] == sentence and f.evidence["phrase"] in sentence
    assert name in f.message


def test_unsourced_attribution_quiet_when_a_cited_link_belongs_to_the_outlet():
    text = ("Peskov told Reuters the talks would go on. The Kremlin said in a statement that "
            "it was ready. Grushko said in comments to the state-run RIA Novosti news agency.\n\n"
            "https://www.reuters.com/world/europe/kremlin-talks-2021-12-17/\n"
            "http://en.kremlin.ru/events/president/news/67000\n"
            "https://ria.ru/20211217/nato-1764165844.html\n")
    assert not only(run(text), "unsourced-attribution")


def test_unsourced_attribution_matches_names_fuzzily_against_the_cited_publisher():
    md = ("Ukraine\u2019s Foreign Ministry said in a statement that troops had moved "
          "([statement](https://mfa.gov.ua/en/news/statement-2021-12-13)).\n")
    assert not only(run(md, kind="md"), "unsourced-attribution")


@pytest.mark.parametrize("sentence", [
    "Peskov told reporters that talks would go on.",
    "The ministry said in a statement that talks would go on.",
    "He said on Friday that the statement was false.",
    "According to the ministry, talks would go on.",
])
def test_unsourced_attribution_quiet_on_unnamed_sources(sentence):
    assert not only(run(sentence + "\n"), "unsourced-attribution")


def test_unsourced_attribution_quiet_about_the_articles_own_outlet():
    text = "Peskov told Reuters that talks would go on.\n"
    assert not only(run(text, publisher="Reuters"), "unsourced-attribution")


def test_unsourced_attribution_quiet_about_the_drafts_own_outlet_from_front_matter():
    md = "---\noutlet: Reuters\n---\nA spokesman told Reuters the plant would reopen.\n"
    assert not only(run(md, kind="md"), "unsourced-attribution")
    assert only(run(md.replace("outlet: Reuters", "outlet: Bloomberg"), kind="md"),
                "unsourced-attribution")
