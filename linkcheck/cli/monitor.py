"""`linkcheck monitor`: re-check a catalogue's links on a policy and report
what changed since the last run."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from linkcheck.cli.app import app, fail


@app.command()
def monitor(
    store: Path = typer.Option(Path("catalogue.db"), "--store", help="The catalogue store."),
    now: str | None = typer.Option(None, "--now", help="The time to act as now "
                                   "(ISO 8601; default: the clock), to replay a schedule."),
    fmt: str = typer.Option("text", "--format", "-f", help="text, json or markdown."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report here."),
    fail_on: str = typer.Option("dead", "--fail-on", help="Changes that make the exit status "
                                "1, comma-separated: dead, recovered, redirected, drifted, "
                                "any or never."),
    live_days: float = typer.Option(30, "--live-days", min=0, help="Days between checks of "
                                    "a live link."),
    retry_days: float = typer.Option(3, "--retry-days", min=0, help="Days before a failing "
                                     "link is checked again."),
    warc_dir: Path = typer.Option(Path("linkcheck-snapshots"), "--warc-dir",
                                  help="Folder for the snapshots."),
    no_warc: bool = typer.Option(False, "--no-warc", help="Do not write snapshots."),
    concurrency: int | None = typer.Option(None, "--concurrency", min=1,
                                           help="Requests in flight (default 64)."),
    per_host: int | None = typer.Option(None, "--per-host", min=1,
                                        help="Requests in flight per host (default 2)."),
    timeout: float | None = typer.Option(None, "--timeout", min=0.1,
                                         help="Seconds per request (default 10)."),
    retries: int | None = typer.Option(None, "--retries", min=0,
                                       help="Extra attempts after the first (default 2)."),
    allow_private: bool | None = typer.Option(None, "--allow-private", help="Allow "
                                              "loopback, private and link-local targets."),
    config_file: Path | None = typer.Option(None, "--config", help="Settings file."),
) -> None:
    """Re-check due links (live every 30 days, failing after 3; dead after three
    failures at least three days apart) and report what changed since the last run."""
    from datetime import UTC, datetime

    from linkcheck.catalogue.monitor import CHANGES, Policy, render
    from linkcheck.catalogue.monitor import monitor as run_monitor
    from linkcheck.cli.catalogue import open_store
    from linkcheck.cli.options import resolve_settings
    from linkcheck.cli.progress import StageProgress
    from linkcheck.config import apply_cli, load_config
    from linkcheck.errors import InputError

    if fmt not in ("text", "json", "markdown"):
        fail(f"--format must be text, json or markdown, not {fmt!r}")
    wanted = {w.strip() for w in fail_on.split(",") if w.strip()}
    if not wanted or wanted - {*CHANGES, "any", "never"}:
        fail(f"--fail-on {fail_on!r}: use dead, recovered, redirected, drifted, any or never")
    moment = datetime.now(UTC)
    if now is not None:
        try:
            moment = datetime.fromisoformat(now.replace("Z", "+00:00"))
        except ValueError:
            fail(f"--now {now!r}: not an ISO 8601 date-time (e.g. 2026-01-31T09:00:00Z)")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
    try:
        cfg = apply_cli(load_config(config_file), {
            "concurrency": concurrency, "per_host": per_host, "timeout": timeout,
            "retries": retries, "allow_private": allow_private})
        with open_store(store, must_exist=True) as db, StageProgress() as progress:
            report = run_monitor(db, moment, Policy(live_days=live_days, retry_days=retry_days),
                                 resolve_settings(cfg),
                                 warc_dir=None if no_warc else str(warc_dir),
                                 progress=progress)
    except InputError as exc:
        fail(str(exc))
        return
    text = render(report, fmt)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    kinds = set(CHANGES) if "any" in wanted else wanted - {"never"}
    raise typer.Exit(1 if any(c.change in kinds for c in report.changes) else 0)
