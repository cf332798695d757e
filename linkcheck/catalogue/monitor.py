"""`linkcheck monitor`: re-check a catalogue's links on a policy, and say what
changed since the last run.

The policy (InternetArchiveBot's, so a site's bad afternoon is not rot): a
live link is checked again every `live_days`; a failing one after
`retry_days`; a link is called dead only after `dead_after` failed checks at
least `gap_days` apart (a failure sooner after the last counted one is
checked but not counted). A page whose main text drifts materially from its
first snapshot (the baseline) is flagged as drifted. The clock is the
caller's (`now`), so a schedule can be replayed.

Each link's checks and its new state are committed together, so a killed run
resumes where it stopped.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from linkcheck.catalogue.shards import LinkJob, LinkResult, ShardConfig, run_shard
from linkcheck.catalogue.store import Store, now_iso, parse_iso
from linkcheck.model import Outcome
from linkcheck.resolve.settings import ResolveSettings

CHANGES = ("dead", "recovered", "redirected", "drifted")
ALIVE = (Outcome.OK.value, Outcome.REDIRECTED.value)
FAILED = (Outcome.BROKEN.value, Outcome.ERROR.value)


@dataclass(frozen=True)
class Policy:
    live_days: float = 30
    retry_days: float = 3
    dead_after: int = 3
    gap_days: float = 3


@dataclass
class LinkState:
    state: str = "live"  # live | failing | dead
    redirected_to: str | None = None
    failures: int = 0
    first_failure_at: str | None = None
    last_failure_at: str | None = None
    since: str = ""
    drifted: bool = False
    next_due: str = ""


@dataclass
class Change:
    url: str
    change: str  # dead | recovered | redirected | drifted
    since: str
    articles: list[str] = field(default_factory=list)
    detail: str | None = None


@dataclass
class MonitorReport:
    now: str
    previous_run: str | None
    checked: int
    changes: list[Change]
    states: dict[str, int]


def step(state: LinkState | None, url: str, outcome: str, final_url: str | None,
         now: datetime, policy: Policy) -> tuple[LinkState, list[tuple[str, str, str | None]]]:
    """The policy for one check: the link's new state and the changes it makes,
    as (change, since, detail)."""
    stamp = now_iso(now)
    s = LinkState(**vars(state)) if state else LinkState(since=stamp)
    changes: list[tuple[str, str, str | None]] = []
    if outcome in ALIVE:
        if s.state == "dead":
            changes.append(("recovered", stamp, None))
        target = final_url if outcome == Outcome.REDIRECTED.value and final_url != url else None
        if target and target != s.redirected_to:
            changes.append(("redirected", stamp, target))
        if s.state != "live":
            s.since = stamp
        s.state, s.redirected_to, s.failures = "live", target, 0
        s.first_failure_at = s.last_failure_at = None
        s.next_due = now_iso(now + timedelta(days=policy.live_days))
    elif outcome in FAILED:
        if s.failures == 0:
            s.failures, s.first_failure_at, s.last_failure_at = 1, stamp, stamp
        elif now - parse_iso(s.last_failure_at or stamp) >= timedelta(days=policy.gap_days):
            s.failures += 1
            s.last_failure_at = stamp
        if s.failures >= policy.dead_after and s.state != "dead":
            s.state, s.since = "dead", s.first_failure_at or stamp
            changes.append(("dead", s.since, None))
        elif s.state == "live":
            s.state, s.since = "failing", stamp
        s.next_due = now_iso(now + timedelta(days=policy.retry_days))
    else:  # blocked or not checked: no verdict either way, ask again soon
        s.next_due = now_iso(now + timedelta(days=policy.retry_days))
    return s, changes


def monitor(store: Store, now: datetime, policy: Policy, settings: ResolveSettings, *,
            warc_dir: str | None = None, warc_limit: int = 1024 ** 3, transport=None,
            progress=None, stop=None) -> MonitorReport:
    from linkcheck.catalogue.runner import ResultWriter

    stamp = now_iso(now)
    previous = store.db.execute("SELECT MAX(started_at) FROM runs WHERE kind = 'monitor' "
                                "AND finished_at IS NOT NULL").fetchone()[0]
    _initial_states(store, policy)
    run_id = store.start_run("monitor", stamp)
    sink = None
    if warc_dir is not None:
        from linkcheck.archive.writer import settings_info
        from linkcheck.catalogue.warcs import RotatingWarc, salvage

        salvage(warc_dir)
        sink = RotatingWarc(warc_dir, "monitor", {"operator-software": "linkcheck monitor",
                                                  **settings_info(settings)}, warc_limit)
    due = store.count("SELECT COUNT(*) FROM links l LEFT JOIN link_state s ON s.link_id = l.id "
                      "WHERE s.next_due IS NULL OR s.next_due <= ?", stamp)
    done = [0]

    def on_commit(results: list[LinkResult]) -> None:
        for r in results:
            _apply(store, run_id, r, now, policy)
        done[0] += len(results)
        if progress:
            progress("links", done[0], due)

    writer = ResultWriter(store, run_id, on_commit=on_commit)
    config = ShardConfig(settings=settings, warc_dir=warc_dir, warc_limit=warc_limit,
                         keep_text=True, now=stamp)
    try:
        run_shard(_due(store, stamp), config, writer, sink=sink, transport=transport,
                  stop=stop)
    finally:
        writer.flush()
        if sink is not None:
            sink.close()
    store.finish_run(run_id, stamp)
    return MonitorReport(now=stamp, previous_run=previous, checked=writer.written,
                         changes=changes_of(store, run_id), states=dict(store.db.execute(
                             "SELECT state, COUNT(*) FROM link_state GROUP BY state")))


def _due(store: Store, stamp: str):
    last = 0
    while True:
        rows = store.db.execute(
            "SELECT l.id, l.url, l.host FROM links l LEFT JOIN link_state s "
            "ON s.link_id = l.id WHERE l.id > ? AND (s.next_due IS NULL OR s.next_due <= ?) "
            "ORDER BY l.id LIMIT 500", (last, stamp)).fetchall()
        if not rows:
            return
        for row in rows:
            yield LinkJob(*row)
        last = rows[-1][0]


def _initial_states(store: Store, policy: Policy) -> None:
    """Links checked by an audit but never monitored start from that check."""
    rows = store.db.execute(
        "SELECT l.id, l.url, c.outcome, c.final_url, c.checked_at FROM links l "
        "JOIN checks c ON c.id = (SELECT MAX(id) FROM checks WHERE link_id = l.id) "
        "WHERE NOT EXISTS (SELECT 1 FROM link_state s WHERE s.link_id = l.id)").fetchall()
    with store.transaction():
        for link_id, url, outcome, final_url, checked_at in rows:
            s, _ = step(None, url, outcome, final_url, parse_iso(checked_at), policy)
            s.since = checked_at
            _save_state(store, link_id, s)


def _load_state(store: Store, link_id: int) -> LinkState | None:
    row = store.db.execute(
        "SELECT state, redirected_to, failures, first_failure_at, last_failure_at, since, "
        "drifted, next_due FROM link_state WHERE link_id = ?", (link_id,)).fetchone()
    if row is None:
        return None
    return LinkState(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), row[7])


def _save_state(store: Store, link_id: int, s: LinkState) -> None:
    store.db.execute(
        "INSERT OR REPLACE INTO link_state (link_id, state, redirected_to, failures, "
        "first_failure_at, last_failure_at, since, drifted, next_due) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (link_id, s.state, s.redirected_to, s.failures, s.first_failure_at,
         s.last_failure_at, s.since, int(s.drifted), s.next_due))


def _apply(store: Store, run_id: int, r: LinkResult, now: datetime, policy: Policy) -> None:
    """Inside the transaction that stores the check."""
    res = r.resolution
    if res.get("error_kind") == "interrupted":
        return
    state, changes = step(_load_state(store, r.link_id), r.url, res["outcome"],
                          res.get("final_url"), now, policy)
    if res["outcome"] in ALIVE and r.text:
        drift = _drift(store, r, now)
        if drift is not None and not state.drifted:
            state.drifted = True
            changes.append(("drifted", now_iso(now), f"similarity {drift:.2f}"))
    _save_state(store, r.link_id, state)
    for change, since, detail in changes:
        store.db.execute("INSERT INTO changes (run_id, link_id, change, since, detail) "
                         "VALUES (?, ?, ?, ?, ?)", (run_id, r.link_id, change, since, detail))


def _drift(store: Store, r: LinkResult, now: datetime) -> float | None:
    """The similarity to the baseline when it is below the drift rule's
    threshold; None when similar or when this is the first text (the baseline)."""
    from linkcheck.rules.drift import THRESHOLD, similarity

    row = store.db.execute("SELECT digest, text FROM baselines WHERE link_id = ?",
                           (r.link_id,)).fetchone()
    if row is None:
        store.db.execute("INSERT INTO baselines (link_id, checked_at, digest, text) "
                         "VALUES (?, ?, ?, ?)", (r.link_id, now_iso(now), r.digest,
                                                 zlib.compress((r.text or "").encode("utf-8"))))
        return None
    if row[0] == r.digest:
        return None
    score = similarity(zlib.decompress(row[1]).decode("utf-8"), r.text or "")
    return score if score < THRESHOLD else None


def changes_of(store: Store, run_id: int) -> list[Change]:
    out = []
    for url, change, since, detail, articles in store.db.execute(
            "SELECT l.url, c.change, c.since, c.detail, (SELECT json_group_array(a.url) FROM "
            "(SELECT DISTINCT a.url FROM citations ci JOIN articles a ON a.id = ci.article_id "
            "WHERE ci.link_id = l.id ORDER BY a.url) a) FROM changes c JOIN links l "
            "ON l.id = c.link_id WHERE c.run_id = ? ORDER BY c.change, l.url", (run_id,)):
        out.append(Change(url, change, since, json.loads(articles), detail))
    return out


def to_json(report: MonitorReport) -> dict:
    return {"version": 1, "now": report.now, "previous_run": report.previous_run,
            "checked": report.checked, "states": report.states,
            "changes": [{"url": c.url, "change": c.change, "since": c.since,
                         "articles": c.articles, **({"detail": c.detail} if c.detail else {})}
                        for c in report.changes]}


_WORDS = {"dead": "newly dead", "recovered": "recovered", "redirected": "newly redirected",
          "drifted": "content drifted"}


def render(report: MonitorReport, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(to_json(report), indent=2, ensure_ascii=False) + "\n"
    since = f" since {report.previous_run[:10]}" if report.previous_run else ""
    counts = ", ".join(f"{n} {s}" for s, n in sorted(report.states.items()))
    groups = {k: [c for c in report.changes if c.change == k] for k in CHANGES}
    if fmt == "markdown":
        lines = [f"## Link monitor, {report.now[:10]}", "",
                 f"{report.checked} links checked; {len(report.changes)} changes{since}. "
                 f"Links now: {counts or 'none'}.", ""]
        for kind, items in groups.items():
            if not items:
                continue
            lines += [f"### {_WORDS[kind].capitalize()} ({len(items)})", ""]
            for c in items:
                extra = f" → {c.detail}" if c.detail and kind == "redirected" else ""
                cited = ", ".join(c.articles[:3]) + (" …" if len(c.articles) > 3 else "")
                lines.append(f"- <{c.url}>{extra} (since {c.since[:10]}; cited in {cited})")
            lines.append("")
        return "\n".join(lines)
    lines = [f"monitor {report.now}: {report.checked} links checked, "
             f"{len(report.changes)} changes{since}; links now: {counts or 'none'}"]
    for kind, items in groups.items():
        for c in items:
            extra = f" -> {c.detail}" if c.detail else ""
            lines.append(f"{_WORDS[kind]:<17} {c.url}{extra}  (since {c.since[:10]}, "
                         f"{len(c.articles)} article{'s' * (len(c.articles) != 1)})")
    return "\n".join(lines) + "\n"
