"""What every format says beside a finding about a dead, blocked, soft-404 or
drifted link: its archived copy (or why there is none) and the URLs the writer
may have meant. Said once per link and article, on its first such finding."""

from __future__ import annotations

from dataclasses import asdict

from linkcheck.model import ArticleReport, Finding

MEND_RULES = ("broken-link", "soft-404", "blocked", "content-drift", "date-after-story")


def notes_for(ar: ArticleReport) -> dict[int, list[str]]:
    """id(finding) -> the lines to add to its message."""
    out: dict[int, list[str]] = {}
    seen: set[str] = set()
    for f in ar.findings:
        if f.rule not in MEND_RULES or not f.url or f.url in seen:
            continue
        res = ar.links.get(f.url)
        if res is None or not (res.archived or res.archive_note or res.candidates):
            continue
        seen.add(f.url)
        out[id(f)] = lines(res)
    return out


def lines(res) -> list[str]:
    found = []
    if res.archived is not None:
        a = res.archived
        found.append(f"archived copy: {a.url} ({a.archive}, {a.datetime[:10]}; {a.why})")
    elif res.archive_note:
        found.append(f"no archived copy: {res.archive_note}")
    for c in res.candidates[:3]:
        found.append(f"the writer may have meant {c.url} ({c.why})")
    return found


def message(f: Finding, notes: dict[int, list[str]], sep: str = "\n") -> str:
    extra = notes.get(id(f))
    return f.message + (sep + sep.join(extra) if extra else "")


def archived_dict(res) -> dict | None:
    return None if res.archived is None else asdict(res.archived)


def candidates_list(res) -> list[dict]:
    return [asdict(c) for c in res.candidates]
