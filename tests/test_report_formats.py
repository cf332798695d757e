"""Report formats, each checked by a real consumer: the SARIF schema, junitparser,
GitHub's workflow-command escaping, a Markdown table reader, an HTML parser."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from junitparser import Failure, JUnitXml, Skipped

from linkcheck.model import (
    Article,
    ArticleReport,
    AuditReport,
    Citation,
    DateEvidence,
    Finding,
    Hop,
    Outcome,
    PageMeta,
    Resolution,
    Severity,
    StoryDate,
)
from linkcheck.report import EXTENSIONS, FORMATS, render
from linkcheck.report.html import ANOMALY_COLOR, POINT_COLOR, timeline_svg
from linkcheck.rules import RULES
from linkcheck.rules.suppress import fingerprint

SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"

NATO = "https://www.nato.int/cps/en/natohq/news_189615.htm"
MOSCOW = "https://www.themoscowtimes.com/2025/03/28/grushko-a1"
GONE = "https://example.com/gone"
SHORT = "https://bit.ly/3xyz"
REUTERS = "https://www.reuters.com/world/europe/nato-talks-2021-12-16/"
MAILTO = "mailto:press@nato.int"
BLOCKED = "https://blocked.example.com/report"
ODD = "https://odd.example.net/a?x=1|2"
ARTICLE_B = "https://news.example.org/2021/12/20/story,draft"


def _f(rule: str, sev: Severity, url: str, line: int, col: int, msg: str, **ev) -> Finding:
    return Finding(rule, sev, url, line, col, msg, ev)


@pytest.fixture
def report() -> AuditReport:
    a = Article(path="articles/nato-grushko.txt", text="...", kind="txt")
    a_cites = [Citation(NATO, 3, 1), Citation(NATO, 5, 10), Citation(MOSCOW, 7, 5),
               Citation(GONE, 9, 1), Citation(SHORT, 11, 3),
               Citation(MAILTO, 12, 1, skipped="mailto")]
    a_links = {
        NATO: Resolution(NATO, Outcome.OK, NATO, 200, [Hop(NATO, 200)], elapsed=0.25,
                         meta=PageMeta(title="NATO | Press release", publisher="NATO",
                                       published=date(2021, 12, 15))),
        MOSCOW: Resolution(MOSCOW, Outcome.OK, MOSCOW, 200, [Hop(MOSCOW, 200)],
                           meta=PageMeta(title="Grushko says")),
        GONE: Resolution(GONE, Outcome.BROKEN, GONE, 404, [Hop(GONE, 404)]),
        SHORT: Resolution(SHORT, Outcome.REDIRECTED, REUTERS, 200,
                          [Hop(SHORT, 301, REUTERS), Hop(REUTERS, 200)],
                          meta=PageMeta(title="NATO talks", publisher="Reuters",
                                        published=date(2021, 12, 16))),
    }
    a_story = StoryDate(date(2021, 12, 17), "explicit", [
        DateEvidence(NATO, date(2021, 12, 15), "page:json-ld"),
        DateEvidence(MOSCOW, date(2025, 3, 28), "url"),
        DateEvidence(SHORT, date(2021, 12, 16), "page:meta"),
    ], "given with --published")
    a_findings = [
        _f("broken-link", Severity.ERROR, GONE, 9, 1, "broken: HTTP 404", status=404),
        _f("duplicate-link", Severity.WARNING, NATO, 5, 10,
           "duplicate of the citation at line 3, column 1: cited again, word for word",
           first_line=3),
        _f("date-after-story", Severity.ERROR, MOSCOW, 7, 5,
           "the URL's date 2025-03-28 is 1197 days after the story date 2021-12-17",
           date="2025-03-28", date_source="url", days_after=1197),
        _f("url-shortener", Severity.WARNING, SHORT, 11, 3, "a shortener hides the source"),
        _f("redirected", Severity.INFO, SHORT, 11, 3,
           f"permanently redirected (301); cite {REUTERS} instead", final_url=REUTERS),
    ]
    b = Article(path=ARTICLE_B, text="...", kind="html")
    b_cites = [Citation(BLOCKED, 2, 4), Citation(ODD, 6, 2)]
    b_links = {
        BLOCKED: Resolution(BLOCKED, Outcome.BLOCKED, BLOCKED, 403, [Hop(BLOCKED, 403)],
                            blocked_reason="HTTP 403"),
        ODD: Resolution(ODD, Outcome.OK, ODD, 200, [Hop(ODD, 200)],
                        meta=PageMeta(title="<script>alert(1)</script> | @octocat #12")),
    }
    b_findings = [
        _f("blocked", Severity.WARNING, BLOCKED, 2, 4,
           "could not be verified: HTTP 403, 100% refused\r\nopen it: in a browser",
           reason="HTTP 403"),
        _f("tracking-params", Severity.INFO, ODD, 6, 2, "x=1|2 is <tracking>"),
    ]
    b_suppressed = [_f("insecure-link", Severity.INFO, ODD, 6, 2, "http",
                       suppressed="inline")]
    return AuditReport([
        ArticleReport(a, a_cites, a_links, a_story, a_findings),
        ArticleReport(b, b_cites, b_links, StoryDate(None, "unknown", [], "no dates"),
                      b_findings, b_suppressed),
    ], warc="linkcheck-snapshots/run 1.warc.gz")


# ---------------------------------------------------------------- every format

@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_renders_deterministically(report, name):
    first = render(name, report, color=False, unknown_option=True)
    assert first.strip()
    assert render(name, report, color=False) == first
    assert name in EXTENSIONS


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_renders_an_empty_report(name):
    assert isinstance(render(name, AuditReport([])), str)


# ---------------------------------------------------------------------- SARIF

def _sarif(report) -> dict:
    return json.loads(render("sarif", report))


def test_sarif_validates_against_the_official_schema(report):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator_cls = jsonschema.validators.validator_for(schema)
    assert validator_cls is jsonschema.Draft4Validator  # the draft the schema declares
    validator_cls.check_schema(schema)
    validator = validator_cls(schema, format_checker=validator_cls.FORMAT_CHECKER)
    errors = list(validator.iter_errors(_sarif(report)))
    assert not errors, [e.message for e in errors]


def test_sarif_rules_levels_and_locations(report):
    run = _sarif(report)["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "linkcheck" and driver["version"] and driver["informationUri"]
    rules = driver["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    by_id = {r["id"]: r for r in rules}
    assert by_id["broken-link"]["defaultConfiguration"]["level"] == "error"
    assert by_id["blocked"]["defaultConfiguration"]["level"] == "warning"
    assert by_id["redirected"]["defaultConfiguration"]["level"] == "note"
    assert by_id["broken-link"]["shortDescription"]["text"] == RULES["broken-link"].summary
    assert by_id["broken-link"]["help"]["text"] == RULES["broken-link"].help

    results = run["results"]
    assert len(results) == 8  # 5 + 2 findings + 1 suppressed
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    levels = {(r["ruleId"], r["level"]) for r in results}
    assert {("broken-link", "error"), ("duplicate-link", "warning"),
            ("redirected", "note"), ("blocked", "warning")} <= levels

    late = next(r for r in results if r["ruleId"] == "date-after-story")
    loc = late["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "articles/nato-grushko.txt"
    assert loc["region"] == {"startLine": 7, "startColumn": 5}
    assert late["properties"]["url"] == MOSCOW
    assert late["properties"]["evidence"]["days_after"] == 1197
    assert MOSCOW in late["message"]["text"]

    blocked = next(r for r in results if r["ruleId"] == "blocked")
    assert blocked["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == ARTICLE_B
    assert [a["location"]["uri"] for a in run["artifacts"]] == [
        "articles/nato-grushko.txt", ARTICLE_B]

    suppressed = [r for r in results if "suppressions" in r]
    assert [(r["ruleId"], r["suppressions"][0]["kind"]) for r in suppressed] == [
        ("insecure-link", "inSource")]


def test_sarif_fingerprints_are_stable_and_match_the_baseline(report):
    results = _sarif(report)["runs"][0]["results"]
    prints = [next(iter(r["partialFingerprints"].values())) for r in results]
    assert len(set(prints)) == len(prints)
    # Moving the citation to another line must not change its identity.
    moved = report.articles[0].findings[2]
    report.articles[0].findings[2] = replace(moved, line=40, column=2)
    again = [next(iter(r["partialFingerprints"].values()))
             for r in _sarif(report)["runs"][0]["results"]]
    assert again == prints
    assert prints[2] == fingerprint("articles/nato-grushko.txt", moved)


# ---------------------------------------------------------------------- JUnit

def test_junit_parses_with_counts(report, tmp_path):
    out = tmp_path / "linkcheck.junit.xml"
    out.write_text(render("junit", report), encoding="utf-8")
    xml = JUnitXml.fromfile(str(out))
    suites = {s.name: s for s in xml}
    assert list(suites) == ["articles/nato-grushko.txt", ARTICLE_B]

    a = suites["articles/nato-grushko.txt"]
    assert (a.tests, a.failures, a.skipped, a.errors) == (5, 2, 1, 0)
    cases = {c.name: c for c in a}
    assert list(cases) == [NATO, MOSCOW, GONE, SHORT, MAILTO]
    assert all(c.classname == "articles/nato-grushko.txt" for c in a)
    late = cases[MOSCOW].result
    assert len(late) == 1 and isinstance(late[0], Failure)
    assert late[0].type == "date-after-story"
    assert late[0].message.startswith("date-after-story: the URL's date 2025-03-28")
    assert isinstance(cases[MAILTO].result[0], Skipped)
    assert cases[NATO].result == [] and cases[NATO].is_passed
    assert "duplicate-link" in cases[NATO].system_out
    assert "redirected" in cases[SHORT].system_out and "url-shortener" in cases[SHORT].system_out

    b = suites[ARTICLE_B]
    assert (b.tests, b.failures, b.skipped) == (2, 0, 0)
    assert (xml.tests, xml.failures, xml.skipped) == (7, 2, 1)


def test_junit_strips_characters_xml_cannot_carry(report, tmp_path):
    report.articles[0].findings[0].message = "broken: \x00\x1b[31mred"
    out = tmp_path / "r.xml"
    out.write_text(render("junit", report), encoding="utf-8")
    cases = {c.name: c for c in next(iter(JUnitXml.fromfile(str(out))))}
    assert "\ufffd[31mred" in cases[GONE].result[0].message


# --------------------------------------------------------------------- GitHub

def test_github_lines_exact(report):
    b = "https%3A//news.example.org/2021/12/20/story%2Cdraft"
    assert render("github", report).splitlines() == [
        f"::error file=articles/nato-grushko.txt,line=9,col=1,title=broken-link::"
        f"{GONE}: broken: HTTP 404",
        f"::warning file=articles/nato-grushko.txt,line=5,col=10,title=duplicate-link::"
        f"{NATO}: duplicate of the citation at line 3, column 1: cited again, word for word",
        f"::error file=articles/nato-grushko.txt,line=7,col=5,title=date-after-story::"
        f"{MOSCOW}: the URL's date 2025-03-28 is 1197 days after the story date 2021-12-17",
        f"::warning file=articles/nato-grushko.txt,line=11,col=3,title=url-shortener::"
        f"{SHORT}: a shortener hides the source",
        f"::notice file=articles/nato-grushko.txt,line=11,col=3,title=redirected::"
        f"{SHORT}: permanently redirected (301); cite {REUTERS} instead",
        f"::warning file={b},line=2,col=4,title=blocked::"
        f"{BLOCKED}: could not be verified: HTTP 403, 100%25 refused%0D%0Aopen it: in a browser",
        f"::notice file={b},line=6,col=2,title=tracking-params::{ODD}: x=1|2 is <tracking>",
    ]


def test_github_escaping_rules():
    from linkcheck.report.github import escape_data, escape_property

    assert escape_data("50%\r\nnext: a,b") == "50%25%0D%0Anext: a,b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert escape_data("%0A") == "%250A"  # '%' first: an existing escape is not decoded


# ------------------------------------------------------------------- Markdown

def test_markdown_tables_and_escaping(report):
    md = render("markdown", report)
    lines = md.splitlines()
    assert lines[0] == "## linkcheck report"
    assert "❌ **2** errors" in lines[2] and "⚠️ **3** warnings" in lines[2]
    assert "ℹ️ **2** info" in lines[2] and "2 articles · 6 links" in lines[2]
    findings = [ln for ln in lines if ln.startswith("| ") and "`" in ln and ":" in ln]
    assert findings[0] == (
        "| ❌ error | `articles/nato-grushko.txt:7:5` | `date-after-story` | "
        f"[{MOSCOW}](<{MOSCOW}>) | the URL's date 2025-03-28 is 1197 days after "
        "the story date 2021-12-17 |")
    assert findings[1].startswith("| ❌ error | `articles/nato-grushko.txt:9:1` | `broken-link`")
    assert f"| ℹ️ info | `{ARTICLE_B}:6:2` | `tracking-params` | " \
           "[https://odd.example.net/a?x=1\\|2](<https://odd.example.net/a?x=1%7C2>) | " \
           "x=1\\|2 is &lt;tracking&gt; |" in lines
    # Link table: the title's '|' is escaped, so every row keeps six cells.
    nato_text = NATO.replace("_", "\\_")  # Markdown-escaped in link text, not in the href
    assert (f"| ok | 200 | [{nato_text}](<{NATO}>) |  | NATO \\| Press release | 2021-12-15 |"
            in lines)
    assert (f"| redirected | 200 | [{SHORT}](<{SHORT}>) | [{REUTERS}](<{REUTERS}>) | "
            "NATO talks | 2021-12-16 |" in lines)
    odd = next(ln for ln in lines if ln.startswith("| ok | 200 | [https://odd"))
    assert "<script>" not in md and "&lt;script&gt;" in odd
    assert "@\u2060octocat" in odd and "#\u206012" in odd
    for row in (ln for ln in lines if ln.startswith("| ")):
        assert row.replace("\\|", "").count("|") in (6, 7)  # 5 or 6 cells
    assert md.count("<details>") == md.count("</details>") == 2
    assert "Not fetched: 1 (mailto)" in md


def test_markdown_order_does_not_depend_on_finding_order(report):
    before = render("markdown", report)
    random.Random(4).shuffle(report.articles[0].findings)
    assert render("markdown", report) == before


# ----------------------------------------------------------------------- HTML

class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag: str, cls: str | None = None) -> list[dict]:
        return [a for t, a in self.tags if t == tag
                and (cls is None or cls in (a.get("class") or "").split())]


def _parse(text: str) -> _Tags:
    p = _Tags()
    p.feed(text)
    p.close()
    return p


def test_html_structure_timeline_and_tables(report):
    page = render("html", report)
    doc = _parse(page)
    assert any(a.get("name") == "viewport" for a in doc.find("meta"))
    assert [a for a in doc.find("section") if a.get("id") == "summary"]
    assert not doc.find("script") and not doc.find("link") and not doc.find("img")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page

    circles = doc.find("circle")
    assert len(circles) == 3
    red = [c for c in circles if c["fill"] == ANOMALY_COLOR]
    assert len(red) == 1 and "anomaly" in red[0]["class"]
    assert sum(c["fill"] == POINT_COLOR for c in circles) == 2
    assert len(doc.find("line", "story")) == 1
    assert len(doc.find("figure", "timeline")) == 1
    assert len(doc.find("p", "timeline")) == 1  # article B: no dates at all
    titles = "".join(doc.text)
    assert f"{MOSCOW}\n2025-03-28 (url)\nafter the story date" in titles

    assert len(doc.find("table", "links")) == 2
    assert len(doc.find("table", "findings")) == 2
    assert len(doc.find("table", "suppressed")) == 1
    hrefs = [a["href"] for a in doc.find("a")]
    assert REUTERS in hrefs and MAILTO not in hrefs
    assert "linkcheck-snapshots/run%201.warc.gz" in hrefs
    assert "given with --published" in titles and "publisher" in titles


def test_html_escapes_hostile_values(report):
    report.articles[1].article.path = '"><img src=x onerror=alert(1)>'
    report.articles[1].links[ODD].final_url = "javascript:alert(1)"
    doc = _parse(render("html", report))
    assert not doc.find("img")
    assert all(not a["href"].startswith("javascript:") for a in doc.find("a"))


@pytest.mark.parametrize("story,evidence,circles", [
    (None, [DateEvidence(NATO, date(2021, 12, 15), "url")], 1),
    (date(2021, 12, 17), [], 0),
    (date(2021, 12, 17), [DateEvidence(NATO, date(2021, 12, 17), "url")], 1),
])
def test_timeline_handles_zero_and_one_date(report, story, evidence, circles):
    ar = report.articles[0]
    ar.story = StoryDate(story, "explicit" if story else "unknown", evidence)
    doc = _parse(timeline_svg(ar))
    assert len(doc.find("circle")) == circles
    assert len(doc.find("line", "story")) == (1 if story else 0)
    assert all(float(c["cx"]) > 0 for c in doc.find("circle"))
