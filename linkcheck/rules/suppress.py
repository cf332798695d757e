"""Findings a newsroom has decided to live with: inline markers in the draft
and a baseline file of findings recorded earlier."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path

from linkcheck.errors import InputError
from linkcheck.model import ArticleReport, AuditReport, Finding
from linkcheck.urls.normalise import normalize, redact_userinfo

# <!-- linkcheck: ignore[duplicate-link, redirected] -->, or "linkcheck: ignore" for all rules.
MARKER = re.compile(r"linkcheck:\s*ignore(?:\[([^\]]*)\])?", re.IGNORECASE)


def inline_ignores(text: str) -> dict[int, set[str] | None]:
    """line -> rule ids ignored there (None: every rule). A marker covers its
    own line and the line after it."""
    out: dict[int, set[str] | None] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        for m in MARKER.finditer(line):
            rules = None if m.group(1) is None else {
                r.strip() for r in m.group(1).split(",") if r.strip()}
            for target in (number, number + 1):
                out[target] = _union(out[target], rules) if target in out else rules
    return out


def _union(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    return None if a is None or b is None else a | b


def fingerprint(path: str, f: Finding) -> str:
    """Stable across edits that move lines: rule, article and normalised URL."""
    # a finding with no URL (unlinked-citation, unsourced-attribution) names its subject
    subject = normalize(f.url) if f.url else str(f.evidence.get("key", ""))
    key = f"{f.rule}|{Path(path).as_posix()}|{subject}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def apply_inline(ar: ArticleReport) -> None:
    ignores = inline_ignores(ar.article.text)
    keep = []
    for f in ar.findings:
        rules = ignores.get(f.line, set())
        if rules is None or f.rule in rules:
            ar.suppressed.append(replace(f, evidence={**f.evidence, "suppressed": "inline"}))
        else:
            keep.append(f)
    ar.findings = keep


def load_baseline(path: Path) -> set[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {entry["fingerprint"] for entry in data["findings"]}
    except FileNotFoundError:
        raise InputError(f"--baseline {path}: no such file") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"--baseline {path}: not a linkcheck baseline ({exc})") from None


def apply_baseline(report: AuditReport, known: set[str]) -> None:
    for ar in report.articles:
        keep = []
        for f in ar.findings:
            if fingerprint(ar.article.path, f) in known:
                ar.suppressed.append(replace(f, evidence={**f.evidence,
                                                          "suppressed": "baseline"}))
            else:
                keep.append(f)
        ar.findings = keep


def write_baseline(report: AuditReport, path: Path) -> None:
    entries = sorted(
        ({"fingerprint": fingerprint(ar.article.path, f), "rule": f.rule,
          "path": ar.article.path, "url": redact_userinfo(f.url) if f.url else f.url}
         for ar in report.articles
         # findings the old baseline already held stay in the new one
         for f in ar.findings + [x for x in ar.suppressed
                                 if x.evidence.get("suppressed") == "baseline"]),
        key=lambda e: (e["path"], e["rule"], e["url"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": 1, "findings": entries}, indent=2,
                               ensure_ascii=False) + "\n", encoding="utf-8")
