"""`linkcheck catalogue add|audit|report`: a newsroom's back catalogue in a
store (SQLite), audited resumably, reported as a whole."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from linkcheck.cli.app import app, fail

catalogue_app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, add_completion=False,
    help="A back catalogue: add articles, audit them resumably, report on them.")
app.add_typer(catalogue_app, name="catalogue")

STORE_HELP = "The catalogue store (SQLite; created if missing)."


def open_store(path: Path, must_exist: bool = False):
    from linkcheck.catalogue.store import Store

    if must_exist and not path.is_file():
        fail(f"--store {path}: no such store (create it with `linkcheck catalogue add`)")
    return Store(path)


@catalogue_app.command("add")
def add(
    sources: list[str] = typer.Argument(..., help="Sitemaps (indexes, Google News), RSS or "
                                        "Atom feeds, folders of drafts, text/CSV lists of "
                                        "article URLs; local files or http(s) URLs."),
    store: Path = typer.Option(Path("catalogue.db"), "--store", help=STORE_HELP),
    allow_private: bool | None = typer.Option(None, "--allow-private", help="Allow "
                                              "loopback, private and link-local targets."),
    timeout: float | None = typer.Option(None, "--timeout", min=0.1,
                                         help="Seconds per request (default 10)."),
    config_file: Path | None = typer.Option(None, "--config", help="Settings file."),
) -> None:
    """Add the articles a source names to the catalogue (already known ones are kept)."""
    from linkcheck.catalogue.fetch import Fetcher
    from linkcheck.catalogue.sources import entries
    from linkcheck.cli.options import resolve_settings
    from linkcheck.config import apply_cli, load_config
    from linkcheck.errors import InputError

    try:
        cfg = apply_cli(load_config(config_file), {"allow_private": allow_private,
                                                   "timeout": timeout})
        with open_store(store) as db, Fetcher(resolve_settings(cfg)) as fetch:
            for source in sources:
                added, known = db.add_articles(entries(source, fetch))
                sys.stdout.write(f"{source}: {added} articles added, {known} already in "
                                 f"the catalogue\n")
            total = db.count("SELECT COUNT(*) FROM articles")
            sys.stdout.write(f"{store}: {total} articles\n")
    except InputError as exc:
        fail(str(exc))


@catalogue_app.command("audit")
def audit(
    store: Path = typer.Option(Path("catalogue.db"), "--store", help=STORE_HELP),
    warc_dir: Path = typer.Option(Path("linkcheck-snapshots"), "--warc-dir", help="Folder "
                                  "for the snapshots (rotating WARCs, each with its CDXJ)."),
    no_warc: bool = typer.Option(False, "--no-warc", help="Do not write snapshots."),
    warc_size: int = typer.Option(1024, "--warc-size", min=1, help="Megabytes per WARC "
                                  "file before the next one is started."),
    max_age: float | None = typer.Option(None, "--max-age", min=0, help="Also re-audit "
                                         "articles (and links) checked more than this many "
                                         "days ago."),
    workers: int | None = typer.Option(None, "--workers", min=1, help="Run host shards on a "
                                       "local Dask cluster of N processes (linkcheck[dask])."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Run host shards on this "
                                         "Dask scheduler (tcp://HOST:PORT)."),
    concurrency: int | None = typer.Option(None, "--concurrency", min=1,
                                           help="Requests in flight (default 64)."),
    per_host: int | None = typer.Option(None, "--per-host", min=1, help="Requests in flight "
                                        "per host (default 2)."),
    timeout: float | None = typer.Option(None, "--timeout", min=0.1,
                                         help="Seconds per request (default 10)."),
    retries: int | None = typer.Option(None, "--retries", min=0,
                                       help="Extra attempts after the first (default 2)."),
    allow_private: bool | None = typer.Option(None, "--allow-private", help="Allow "
                                              "loopback, private and link-local targets."),
    config_file: Path | None = typer.Option(None, "--config", help="Settings file."),
) -> None:
    """Audit every article not yet audited; run it again to resume after a stop."""
    from linkcheck.catalogue.runner import CatalogueOptions, audit_catalogue
    from linkcheck.cli.options import ArchiveArgs, build_options
    from linkcheck.cli.progress import StageProgress
    from linkcheck.config import apply_cli, load_config
    from linkcheck.errors import InputError

    if workers and scheduler:
        fail("give --workers or --scheduler, not both")
    if workers or scheduler:
        try:
            import distributed  # noqa: F401
        except ImportError:
            fail("--workers and --scheduler need Dask: pip install 'linkcheck[dask]'")
    try:
        cfg = apply_cli(load_config(config_file), {
            "concurrency": concurrency, "per_host": per_host, "timeout": timeout,
            "retries": retries, "allow_private": allow_private})
        # the audit's own options; the catalogue keeps its snapshots in --warc-dir
        audit_options = build_options(cfg, ArchiveArgs(no_warc=True), no_cache=True)
        options = CatalogueOptions(audit=audit_options, warc_dir=None if no_warc else warc_dir,
                                   warc_limit=warc_size * 1024 * 1024, max_age_days=max_age,
                                   workers=workers, scheduler=scheduler)
        with open_store(store, must_exist=True) as db, StageProgress() as progress:
            options.progress = progress
            summary = audit_catalogue(db, options)
            articles = db.count("SELECT COUNT(*) FROM articles")
            audited = db.count("SELECT COUNT(*) FROM articles WHERE audited_at IS NOT NULL")
    except InputError as exc:
        fail(str(exc))
        return
    out = sys.stdout
    out.write(f"read {summary.articles_read} articles ({summary.article_errors} unreadable), "
              f"checked {summary.links_checked} links, analysed "
              f"{summary.articles_analysed} articles ({summary.findings} findings) "
              f"in {summary.seconds:.1f}s\n")
    out.write(f"{store}: {audited} of {articles} articles audited\n")
    if summary.warcs:
        out.write(f"snapshots: {len(summary.warcs)} WARC files in {warc_dir}\n")
    if summary.interrupted:
        out.write("stopped: run the same command again to resume\n")
        raise typer.Exit(130)


@catalogue_app.command("report")
def report(
    store: Path = typer.Option(Path("catalogue.db"), "--store", help=STORE_HELP),
    fmt: str = typer.Option("markdown", "--format", "-f", help="html, json or markdown."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write it here."),
    top: int = typer.Option(20, "--top", min=1, help="Rows in the sites and articles tables."),
) -> None:
    """The catalogue's state: rot curve by article year, dead links by site, the
    articles with the most dead links (JSON: every link, its latest check, its articles)."""
    from linkcheck.catalogue import report as catalogue_report

    if fmt not in ("html", "json", "markdown"):
        fail(f"--format must be html, json or markdown, not {fmt!r}")
    with open_store(store, must_exist=True) as db:
        if output is not None:
            output.parent.mkdir(parents=True, exist_ok=True)
            with open(output, "w", encoding="utf-8") as f:
                catalogue_report.write(db, fmt, f, top=top)
        else:
            catalogue_report.write(db, fmt, sys.stdout, top=top)
