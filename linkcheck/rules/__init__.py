"""The rule registry: every rule, by id. Adding a rule = one module + one line here."""

from __future__ import annotations

import logging

from linkcheck.model import Finding
from linkcheck.rules import (
    citation_text,
    claims,
    drift,
    duplicates,
    links,
    provenance,
    soft404,
    timeline,
)
from linkcheck.rules.base import Rule, RuleContext

_MODULES = [links, duplicates, timeline, soft404, provenance, citation_text, claims,
            drift]

log = logging.getLogger(__name__)

RULES: dict[str, Rule] = {r.id: r for m in _MODULES for r in m.RULES}


def run_rules(ctx: RuleContext, disabled: set[str] | frozenset[str] = frozenset()) -> list[Finding]:
    findings: list[Finding] = []
    for rule in RULES.values():
        if rule.id in disabled:
            continue
        try:
            findings.extend(rule.check(rule, ctx))
        except Exception as exc:  # one rule's bug must not cost the audit its report
            log.warning("rule %s failed on %s: %s", rule.id, ctx.article.path, exc)
    findings.sort(key=lambda f: (f.line, f.column, -f.severity.rank, f.rule))
    return findings


__all__ = ["RULES", "Rule", "RuleContext", "run_rules"]
