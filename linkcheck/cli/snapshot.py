"""`linkcheck snapshot URL... --warc FILE`: archive URLs, no analysis."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from linkcheck.cli.app import app, fail
from linkcheck.cli.options import ArchiveArgs, build_options


@app.command()
def snapshot(
    urls: list[str] = typer.Argument(..., help="URLs to archive."),
    warc: Path = typer.Option(..., "--warc", help="The WARC file to write."),
    timeout: float | None = typer.Option(None, "--timeout", min=0.1,
                                         help="Seconds per request (default 10)."),
    retries: int | None = typer.Option(None, "--retries", min=0,
                                       help="Extra attempts after the first (default 2)."),
    allow_private: bool | None = typer.Option(None, "--allow-private", help="Allow "
                                              "loopback, private and link-local targets."),
    config_file: Path | None = typer.Option(None, "--config", help="Settings file."),
    index: bool = typer.Option(False, "--index", help="Also write NAME.cdxj beside it."),
    wacz: bool = typer.Option(False, "--wacz", help="Also package it as NAME.wacz."),
    dedup_against: list[Path] = typer.Option([], "--dedup-against", help="Store payloads "
                                             "already in this WARC as revisit records."),
) -> None:
    """Archive URLs with the audit's machinery; no analysis."""
    import asyncio

    from linkcheck.archive.snapshot import snapshot_urls
    from linkcheck.config import apply_cli, load_config
    from linkcheck.errors import InputError
    from linkcheck.urls.parse import invalid_reason

    for u in urls:
        if why := invalid_reason(u):
            fail(f"{u}: {why}")
    try:
        cfg = apply_cli(load_config(config_file), {
            "timeout": timeout, "retries": retries, "allow_private": allow_private})
        options = build_options(cfg, ArchiveArgs(warc, False, index, wacz, dedup_against),
                                no_cache=True)
        results, _ = asyncio.run(snapshot_urls(
            urls, warc, options.settings, index=options.index, wacz=options.wacz,
            dedup_against=options.dedup_against, info=options.warc_info))
    except InputError as exc:
        fail(str(exc))
        return
    failed = 0
    for res in results.values():
        sys.stdout.write(f"{res.outcome.value:<10} {res.status or '':<4} {res.url}"
                         + (f"  ({res.error})" if res.error else "") + "\n")
        failed += res.outcome.value in ("broken", "error")
    sys.stdout.write(f"snapshot: {warc}\n")
    raise typer.Exit(1 if failed else 0)
