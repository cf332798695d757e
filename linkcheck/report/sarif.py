"""SARIF 2.1.0, for GitHub code scanning and other static-analysis dashboards.

One run; the driver lists every registered rule so a viewer can explain a rule
even when this run did not fire it. Suppressed findings (inline markers,
baseline) are kept as results with a `suppressions` entry, which is how SARIF
consumers learn that a finding was reviewed rather than fixed.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePath
from urllib.parse import quote

import linkcheck
from linkcheck.inputs.files import is_url
from linkcheck.model import AuditReport, Finding, Severity
from linkcheck.report.mending import message, notes_for
from linkcheck.rules import RULES
from linkcheck.rules.suppress import fingerprint

SCHEMA_URI = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
              "sarif-schema-2.1.0.json")
# Placeholder home until the project publishes docs; SARIF wants some URI here.
INFORMATION_URI = "https://pypi.org/project/linkcheck/"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# Same key as the baseline file, so code scanning and --baseline agree on identity.
FINGERPRINT_KEY = "linkcheckFinding/v1"
SUPPRESSIONS = {"inline": ("inSource", "a linkcheck: ignore marker in the article"),
                "baseline": ("external", "recorded in the --baseline file")}


def article_path(path: str) -> str:
    """The article's path as given, with forward slashes; an absolute path under
    the working directory becomes relative, since code scanning resolves paths
    against the repository root."""
    if is_url(path) or path == "-":
        return path
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return p.as_posix()
    return PurePath(p).as_posix().replace("\\", "/")


def artifact_uri(path: str) -> str:
    """A URI reference for the article: URLs as given, files percent-encoded."""
    if is_url(path):
        return path
    rel = article_path(path)
    if rel.startswith("/"):
        return Path(rel).as_uri()
    # ':' is encoded so a first segment like "c:" is never read as a scheme.
    return quote(rel, safe="/-._~!$&'()*+,;=@")


def _rule_descriptor(rule_id: str) -> dict:
    rule = RULES.get(rule_id)
    if rule is None:  # a finding from a rule not in the registry still needs a descriptor
        return {"id": rule_id, "shortDescription": {"text": rule_id}}
    help_text = rule.help or rule.summary
    return {
        "id": rule.id,
        "name": "".join(w.capitalize() for w in rule.id.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": help_text},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
    }


def _result(f: Finding, path: str, rule_index: int, artifact_index: int,
            fingerprint_value: str, notes: dict | None = None) -> dict:
    region: dict = {}
    if f.line >= 1:  # the schema forbids 0; a finding without a position gets no region
        region["startLine"] = f.line
        if f.column >= 1:
            region["startColumn"] = f.column
    physical: dict = {"artifactLocation": {"uri": artifact_uri(path), "index": artifact_index}}
    if region:
        physical["region"] = region
    result = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[f.severity],
        "message": {"text": f"{f.url}: {message(f, notes or {})}" if f.url
                    else message(f, notes or {})},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint_value},
        "properties": {"url": f.url, "evidence": f.evidence},
    }
    how = f.evidence.get("suppressed")
    if how:
        kind, why = SUPPRESSIONS.get(how, ("external", f"suppressed ({how})"))
        result["suppressions"] = [{"kind": kind, "justification": why}]
    return result


def sarif_dict(report: AuditReport) -> dict:
    rule_ids = list(RULES)
    for ar in report.articles:
        for f in (*ar.findings, *ar.suppressed):
            if f.rule not in rule_ids:
                rule_ids.append(f.rule)
    index = {r: i for i, r in enumerate(rule_ids)}
    artifacts, results = [], []
    seen: dict[str, int] = {}
    for i, ar in enumerate(report.articles):
        path = ar.article.path
        artifacts.append({"location": {"uri": artifact_uri(path)}, "roles": ["analysisTarget"]})
        notes = notes_for(ar)
        for f in (*ar.findings, *ar.suppressed):
            fp = fingerprint(path, f)
            # Two findings with one key (same rule, article, URL) must stay two alerts.
            n = seen.get(fp, 0)
            seen[fp] = n + 1
            results.append(_result(f, path, index[f.rule], i, fp if n == 0 else f"{fp}:{n}",
                                   notes))
    run = {
        "tool": {"driver": {
            "name": "linkcheck",
            "version": linkcheck.__version__,
            "semanticVersion": linkcheck.__version__,
            "informationUri": INFORMATION_URI,
            "rules": [_rule_descriptor(r) for r in rule_ids],
        }},
        "invocations": [{"executionSuccessful": not report.interrupted, **(
            {"toolExecutionNotifications": [{"level": "warning", "message": {"text": n}}
                                            for n in report.notices]}
            if report.notices else {})}],
        "artifacts": artifacts,
        "results": results,
        # Our columns count code points, not the UTF-16 units SARIF assumes by default.
        "columnKind": "unicodeCodePoints",
    }
    if report.warc:
        run["properties"] = {"warc": report.warc}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: AuditReport, **_) -> str:
    return json.dumps(sarif_dict(report), indent=2, ensure_ascii=False, default=str) + "\n"

