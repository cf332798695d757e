"""`linkcheck audit`: options to AuditOptions, run the pipeline, write the reports,
map the findings to an exit status."""

from __future__ import annotations

from pathlib import Path

import typer

from linkcheck.cli.app import FAIL_ON, app, fail
from linkcheck.cli.cacheopt import OptionalCacheValue
from linkcheck.cli.options import (
    ArchiveArgs,
    build_options,
    check_formats,
    mend_options,
    prepare_outputs,
)
from linkcheck.cli.output import progress_bar, write_reports


@app.command(cls=OptionalCacheValue)
def audit(
    paths: list[str] = typer.Argument(..., help="Files (.txt .md .html), directories, - for "
                                      "stdin, or the http(s) URL of a published article."),
    published: str | None = typer.Option(None, "--published", help="The story's "
                                            "publication date (ISO 8601)."),
    fmt: list[str] = typer.Option(["text"], "--format", "-f", help="Report format, "
                                  "repeatable: text, json, ... (see the README)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report here."),
    output_dir: Path | None = typer.Option(None, "--output-dir",
                                              help="With several --format: one file each."),
    warc: Path | None = typer.Option(None, "--warc", help="Write the WARC snapshot here."),
    no_warc: bool = typer.Option(False, "--no-warc", help="Do not write a snapshot."),
    replay: list[Path] = typer.Option([], "--replay", help="Answer every request from this "
                                      "WARC instead of the network (repeatable)."),
    fail_on: str | None = typer.Option(None, "--fail-on", help="Lowest severity that makes "
                                          "the exit status 1: error, warning, info or never."),
    concurrency: int | None = typer.Option(None, "--concurrency", help="Requests in flight "
                                              "(default 64)."),
    per_host: int | None = typer.Option(None, "--per-host", help="Requests in flight per "
                                           "host (default 2)."),
    timeout: float | None = typer.Option(None, "--timeout", help="Seconds per request "
                                            "(default 10)."),
    retries: int | None = typer.Option(None, "--retries", help="Extra attempts after the "
                                          "first (default 2)."),
    allow_private: bool | None = typer.Option(None, "--allow-private", help="Allow "
                                                 "loopback, private and link-local targets."),
    config_file: Path | None = typer.Option(None, "--config", help="Settings file (default: "
                                               "linkcheck.toml or [tool.linkcheck] here)."),
    cache: str | None = typer.Option(
        None, "--cache", metavar="[PATH]", help="Reuse fresh successful resolutions from "
        "earlier runs (opt-in; PATH defaults to the user cache folder). Links answered "
        "from it have no capture in this run's snapshot, and the report names them."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the "
                                  "cache, even if the configuration turns it on."),
    whole_page: bool = typer.Option(False, "--whole-page", help="HTML files that are whole "
                                    "web pages: audit every link, not only the article "
                                    "body's."),
    stdin_kind: str | None = typer.Option(None, "--stdin-format",
                                             help="txt, md or html, for -."),
    baseline: Path | None = typer.Option(None, "--baseline", help="Fail only on findings "
                                         "not recorded in this baseline file."),
    write_baseline: Path | None = typer.Option(None, "--write-baseline", help="Record "
                                               "today's findings as the baseline."),
    changed_since: str | None = typer.Option(None, "--changed-since", help="Audit only "
                                             "drafts changed since this git ref."),
    index: bool = typer.Option(False, "--index", help="Also write a CDXJ index beside the "
                               "WARC (NAME.cdxj)."),
    wacz: bool = typer.Option(False, "--wacz", help="Also package the WARC, its index and "
                              "the cited pages as NAME.wacz (opens in ReplayWeb.page)."),
    dedup_against: list[Path] = typer.Option([], "--dedup-against", help="Store payloads "
                                             "already in this WARC as revisit records "
                                             "(repeatable)."),
    compare: Path | None = typer.Option(None, "--compare", help="Compare cited pages with "
                                        "this earlier snapshot (content-drift)."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", help="Crawl processes: links "
                                    "split by host (default: the cores; 1 for a small "
                                    "audit)."),
    warc_level: int | None = typer.Option(None, "--warc-level", help="gzip level of the "
                                             "WARC records, 1 (fastest, default) to 9 "
                                             "(smallest)."),
    archive: list[str] = typer.Option([], "--archive", help="A Memento TimeGate to look up "
                                      "archived copies of dead, blocked, soft-404 or drifted "
                                      "links (repeatable; replaces the configured list): the "
                                      "URL is appended, or replaces {url}."),
    no_archives: bool = typer.Option(False, "--no-archives", help="Do not look up archived "
                                     "copies or intended URLs."),
) -> None:
    """Extract citations, resolve them, snapshot them, analyse and report."""
    import asyncio

    from linkcheck.config import apply_cli, load_config
    from linkcheck.errors import InputError
    from linkcheck.pipeline import run_audit

    formats = check_formats(fmt)
    if stdin_kind not in (None, "txt", "md", "html"):
        fail(f"--stdin-format must be txt, md or html, not {stdin_kind!r}")
    if len(formats) > 1 and output_dir is None:
        fail("several --format values need --output-dir")
    try:
        prepare_outputs(output, output_dir, write_baseline)
        cfg = apply_cli(load_config(config_file), {
            "fail_on": fail_on, "concurrency": concurrency, "per_host": per_host,
            "timeout": timeout, "retries": retries, "allow_private": allow_private,
            "warc_level": warc_level, "jobs": jobs})
        options = build_options(cfg, ArchiveArgs(warc, no_warc, index, wacz, dedup_against,
                                                 compare),
                                replay=replay, published=published, stdin_kind=stdin_kind,
                                cache=cache, no_cache=no_cache, whole_page=whole_page)
        options.warc_level, options.jobs = cfg["warc_level"], cfg["jobs"]
        mend = mend_options(cfg, archive, no_archives, options.replay, options.cache_path,
                            no_cache)
        options.mend = mend
        if mend is not None:  # a cassette says which archives it answers for
            options.warc_info["archives"] = mend.archives
        if changed_since:
            from linkcheck.inputs.files import changed_since as changed

            paths = changed(paths, changed_since)
            if not paths:
                typer.echo(f"linkcheck: no drafts changed since {changed_since}", err=True)
                raise typer.Exit(0)
        known = None
        if baseline is not None:
            from linkcheck.rules.suppress import load_baseline

            known = load_baseline(baseline)
        from linkcheck.pipeline import tune_gc

        tune_gc()
        with progress_bar() as progress:
            options.progress = progress
            report = asyncio.run(run_audit(paths, options))
    except InputError as exc:
        fail(str(exc))
        return
    if known is not None:
        from linkcheck.rules.suppress import apply_baseline

        apply_baseline(report, known)
    if write_baseline is not None:
        from linkcheck.rules.suppress import write_baseline as write

        write(report, write_baseline)
    write_reports(report, formats, output, output_dir)
    if report.interrupted:
        raise typer.Exit(128 + (report.signal or 2))
    worst = max((f.severity.rank for a in report.articles for f in a.findings), default=0)
    raise typer.Exit(1 if worst >= FAIL_ON[cfg["fail_on"]] else 0)
