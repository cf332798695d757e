"""The JSON report: the contract's shape (DESIGN.md), version 1."""

from __future__ import annotations

import json

from linkcheck.model import ArticleReport, AuditReport, Resolution
from linkcheck.report.mending import archived_dict, candidates_list
from linkcheck.resolve.classify import PERMANENT_REDIRECTS


def link_dict(res: Resolution) -> dict:
    meta = res.meta
    return {
        "url": res.url,
        "final_url": res.final_url,
        "status": res.status,
        "outcome": res.outcome.value,
        "redirects": [{"url": h.url, "status": h.status, "location": h.location,
                       "permanent": h.status in PERMANENT_REDIRECTS} for h in res.redirects],
        "title": meta.title,
        "published": meta.published.isoformat() if meta.published else None,
        "published_at": meta.published_at,
        "modified": meta.modified.isoformat() if meta.modified else None,
        "publisher": meta.publisher,
        "publisher_native": meta.publisher_native,
        "canonical": meta.canonical,
        "language": meta.language,
        "error": res.error,
        "error_kind": res.error_kind,
        "blocked_reason": res.blocked_reason,
        "content_type": res.content_type,
        "ip": res.hops[-1].ip if res.hops else None,
        "metadata_sources": dict(meta.sources),
        "from_cache": res.from_cache,
        "cached": res.cached,
        "attempts": res.attempts,
        "elapsed": round(res.elapsed, 3),
        "archived": archived_dict(res),
        "archive_note": res.archive_note,
        "candidates": candidates_list(res),
    }


def article_dict(ar: ArticleReport) -> dict:
    story = ar.story
    return {
        "path": ar.article.path,
        **({"body": ar.article.body} if ar.article.body else {}),
        "published": {"date": story.date.isoformat() if story.date else None,
                      "source": story.source},
        "timeline": {
            "story_date": story.date.isoformat() if story.date else None,
            "source": story.source,
            "explanation": story.explanation,
            "instant": story.instant.isoformat() if story.instant else None,
            "tolerance_days": story.tolerance_days,
            "window_end": story.window_end.isoformat() if story.window_end else None,
            "evidence": [{"url": e.url, "date": e.date.isoformat(), "source": e.source}
                         for e in story.evidence],
        },
        "citations": [
            {"url": c.url, "line": c.line, "column": c.column, "text": c.text,
             **({"skipped": c.skipped} if c.skipped else {}),
             **({"invalid": c.invalid} if c.invalid else {}),
             **({"suggestion": c.suggestion} if c.suggestion else {}),
             **({"embed": c.embed} if c.embed else {})}
            for c in ar.citations
        ],
        "links": [{**link_dict(r), "supports": [
            {"sentence": s.sentence, "line": s.line, "column": s.column,
             "confidence": s.confidence, "why": s.why} for s in ar.supports.get(url, [])]}
            for url, r in ar.links.items()],
        "findings": [finding_dict(f) for f in ar.findings],
        "suppressed": [finding_dict(f) for f in ar.suppressed],
    }


def finding_dict(f) -> dict:
    return {"rule": f.rule, "severity": f.severity.value, "url": f.url, "line": f.line,
            "column": f.column, "message": f.message, "evidence": f.evidence}


def report_dict(report: AuditReport) -> dict:
    return {"version": 1, "articles": [article_dict(a) for a in report.articles],
            "warc": report.warc, "not_captured": report.not_captured,
            "interrupted": report.interrupted, "archive_notes": list(report.archive_notes),
            **({"notices": report.notices} if report.notices else {})}


def render(report: AuditReport, **_) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False, default=str) + "\n"
