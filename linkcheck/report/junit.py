"""JUnit XML, for CI systems that show test results (GitLab, Jenkins, Azure...).

A link is a test case: it fails on an error-level finding, is skipped when
linkcheck never fetched it, and passes otherwise. Warnings and info do not fail
a test, so they go to <system-out> where CI viewers still show them.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from linkcheck.model import ArticleReport, AuditReport, Finding, Outcome, Severity
from linkcheck.report.mending import message, notes_for

# XML 1.0 cannot carry most control characters, even escaped; page titles and
# error strings from the web sometimes contain them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: object) -> str:
    return _NOT_XML.sub("\ufffd", str(text))


def _loc(ar: ArticleReport, f: Finding) -> str:
    return f"{ar.article.path}:{f.line}:{f.column}"


def _cases(ar: ArticleReport) -> list[tuple[str, str | None]]:
    """(url, reason it was skipped or None), fetched links first in cited order,
    then URLs that were never fetched, then any URL only a finding names."""
    cases: dict[str, str | None] = {url: None for url in ar.links}
    for c in ar.citations:
        if c.url not in cases and (not c.checkable):
            cases[c.url] = c.skipped  # invalid URLs are not skipped: they fail below
    for f in ar.findings:
        cases.setdefault(f.url, None)
    return list(cases.items())


def _suite(ar: ArticleReport) -> ET.Element:
    path = _clean(ar.article.path)
    suite = ET.Element("testsuite", name=path)
    props = ET.SubElement(suite, "properties")
    story = ar.story
    ET.SubElement(props, "property", name="story_date",
                  value=story.date.isoformat() if story.date else "unknown")
    ET.SubElement(props, "property", name="story_date_source", value=_clean(story.source))
    notes_by_finding = notes_for(ar)
    counts = {"tests": 0, "failures": 0, "skipped": 0}
    total_time = 0.0
    for url, skipped in _cases(ar):
        res = ar.links.get(url)
        case = ET.SubElement(suite, "testcase", classname=path,
                             name=_clean(url) or "(the article text)")
        if res is not None:
            case.set("time", f"{res.elapsed:.3f}")
            total_time += res.elapsed
        counts["tests"] += 1
        mine = [f for f in ar.findings if f.url == url]
        errors = [f for f in mine if f.severity is Severity.ERROR]
        for f in errors:
            failure = ET.SubElement(case, "failure", message=_clean(
                f"{f.rule}: {message(f, notes_by_finding, '; ')}"), type=f.rule)
            failure.text = _clean(f"{_loc(ar, f)}\n"
                                  + json.dumps(f.evidence, ensure_ascii=False, default=str))
        if errors:
            counts["failures"] += 1
        elif skipped is not None or (res is not None and res.outcome is Outcome.SKIPPED):
            ET.SubElement(case, "skipped", message=_clean(skipped or "not fetched"))
            counts["skipped"] += 1
        notes = [f"{f.severity.value} [{f.rule}] {_loc(ar, f)}: {f.message}"
                 for f in mine if f.severity is not Severity.ERROR]
        if res is not None:
            final = f" -> {res.final_url}" if res.final_url and res.final_url != url else ""
            notes.insert(0, f"{res.outcome.value} {res.status or ''}{final}".rstrip())
        if notes:
            ET.SubElement(case, "system-out").text = _clean("\n".join(notes))
    for key, value in counts.items():
        suite.set(key, str(value))
    suite.set("errors", "0")
    suite.set("time", f"{total_time:.3f}")
    return suite


def render(report: AuditReport, **_) -> str:
    root = ET.Element("testsuites", name="linkcheck")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for ar in report.articles:
        suite = _suite(ar)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(root, encoding="unicode") + "\n")
