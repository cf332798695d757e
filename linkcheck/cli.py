"""Command line: parse, call one function, render, map the outcome to an exit
status. Heavy modules are imported inside the commands, so `--help` is quick."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

app = typer.Typer(
    add_completion=False, no_args_is_help=True, rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Audit the links an article cites: where they lead, whether they are alive, "
         "duplicated or out of the story's timeline; snapshot them to WARC.")

FAIL_ON = {"error": 3, "warning": 2, "info": 1, "never": 99}
EXIT_INPUT = 2


def _fail(message: str) -> None:
    typer.echo(f"linkcheck: {message}", err=True)
    raise typer.Exit(EXIT_INPUT)


def _formats(formats: list[str]) -> list[str]:
    from linkcheck.report import FORMATS

    for f in formats:
        if f not in FORMATS:
            _fail(f"unknown format {f!r}; choose from {', '.join(FORMATS)}")
    return formats


def _use_color() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and not os.environ.get("CI")


@app.command()
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
    cache: Path | None = typer.Option(None, "--cache", help="The resolution cache file."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the cache."),
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
) -> None:
    """Extract citations, resolve them, snapshot them, analyse and report."""
    import asyncio

    from linkcheck.pipeline import AuditOptions, run_audit
    from linkcheck.config import apply_cli, load_config
    from linkcheck.inputs.dates import parse_date
    from linkcheck.errors import InputError
    from linkcheck.model import Severity

    formats = _formats(fmt)
    if stdin_kind not in (None, "txt", "md", "html"):
        _fail(f"--stdin-format must be txt, md or html, not {stdin_kind!r}")
    if len(formats) > 1 and output_dir is None:
        _fail("several --format values need --output-dir")
    try:
        _prepare_outputs(output, output_dir)
        cfg = apply_cli(load_config(config_file), {
            "fail_on": fail_on, "concurrency": concurrency, "per_host": per_host,
            "timeout": timeout, "retries": retries, "allow_private": allow_private})
        story = parse_date(published) if published else None
        for r in replay:
            if not r.is_file():
                raise InputError(f"--replay {r}: no such file")
        settings = _resolve_settings(cfg)
        rules_cfg = cfg["rules"]
        options = AuditOptions(
            settings=settings, published=story, replay=[str(r) for r in replay],
            stdin_kind=stdin_kind, tolerance_days=cfg["tolerance_days"],
            include=cfg["include"], exclude=cfg["exclude"],
            severities={k: Severity(v) for k, v in rules_cfg.items() if v != "off"},
            disabled={k for k, v in rules_cfg.items() if v == "off"},
            cache_ttl=float(cfg["cache_ttl"]),
            rule_options={"stale_years": cfg["stale_years"]},
            warc_info={"command": "linkcheck " + " ".join(sys.argv[1:])})
        if not no_cache and cfg["cache"]:
            from linkcheck.resolve.cache import default_cache_path

            options.cache_path = cache or (Path(cfg["cache_path"]) if cfg["cache_path"]
                                           else default_cache_path())
        if not no_warc:
            if warc is not None:
                options.warc = warc
            elif not replay:
                from linkcheck.archive.writer import default_snapshot_path

                options.warc = default_snapshot_path(cfg["warc_dir"])
        options.index, options.wacz, options.compare = index, wacz, compare and str(compare)
        options.dedup_against = [str(d) for d in dedup_against]
        _check_archive_options(options)
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
        with _progress() as progress:
            options.progress = progress
            report = asyncio.run(run_audit(paths, options))
    except InputError as exc:
        _fail(str(exc))
        return
    if known is not None:
        from linkcheck.rules.suppress import apply_baseline

        apply_baseline(report, known)
    if write_baseline is not None:
        from linkcheck.rules.suppress import write_baseline as write

        write(report, write_baseline)
    _write_reports(report, formats, output, output_dir)
    if report.interrupted:
        raise typer.Exit(128 + (report.signal or 2))
    worst = max((f.severity.rank for a in report.articles for f in a.findings), default=0)
    raise typer.Exit(1 if worst >= FAIL_ON[cfg["fail_on"]] else 0)


def _resolve_settings(cfg):
    """Crawl settings from the effective configuration (audit and snapshot alike)."""
    from linkcheck.resolve.settings import ResolveSettings

    settings = ResolveSettings(
        concurrency=cfg["concurrency"], per_host=cfg["per_host"],
        timeout=float(cfg["timeout"]), retries=cfg["retries"],
        deadline=max(float(cfg["deadline"]), float(cfg["timeout"])),
        retry_after_cap=float(cfg["retry_after_cap"]), max_redirects=cfg["max_redirects"],
        allow_private=cfg["allow_private"], headers_by_domain=cfg["headers"],
        accept_by_domain=cfg["accept"], per_host_by_domain=cfg["per_host_overrides"])
    if cfg["user_agent"]:
        settings.user_agent = cfg["user_agent"]
    return settings


def _check_archive_options(options) -> None:
    """Up front, before any fetch: options that need a snapshot, and the earlier
    snapshots read (a WARC that is not one fails when read, also with exit 2)."""
    from linkcheck.errors import InputError

    if (options.index or options.wacz) and options.warc is None:
        raise InputError("--index and --wacz need a snapshot: give --warc FILE "
                         "(and no --no-warc)")
    earlier = [("--dedup-against", d) for d in options.dedup_against]
    earlier += [("--compare", options.compare)] if options.compare else []
    for flag, name in earlier:
        path = Path(name)
        if not path.is_file():
            raise InputError(f"{flag} {name}: " + ("not a file" if path.exists()
                                                   else "no such file"))
        if options.warc is not None and path.resolve() == Path(options.warc).resolve():
            raise InputError(f"{flag} {name} is also the --warc being written; "
                             "write the new snapshot to another file")
    if options.warc is not None and Path(options.warc).exists():
        # a snapshot is evidence: never replaced silently
        raise InputError(f"--warc {options.warc}: already exists; name a new file")


def _prepare_outputs(output: Path | None, output_dir: Path | None) -> None:
    """Fail before the crawl, not after it, when a report cannot be written."""
    from linkcheck.errors import InputError

    for folder, flag in ((output.parent if output else None, "--output"),
                         (output_dir, "--output-dir")):
        if folder is None:
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{flag}: cannot create {folder} ({exc.strerror})") from None
        if not os.access(folder, os.W_OK):
            raise InputError(f"{flag}: {folder} is not writable")


def _write_reports(report, formats: list[str], output: Path | None,
                   output_dir: Path | None) -> None:
    from linkcheck.report import EXTENSIONS, render

    for name in formats:
        text = render(name, report, color=_use_color() and output is None and not output_dir)
        if output_dir is not None:
            output_dir.mkdir(parents=True, exist_ok=True)
            (output_dir / f"linkcheck.{EXTENSIONS[name]}").write_text(text, encoding="utf-8")
        elif output is not None:
            output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
            sys.stdout.flush()


class _progress:
    """A progress bar on stderr, only when stderr is a terminal and not in CI."""

    def __enter__(self):
        self._bar = None
        if not sys.stderr.isatty() or os.environ.get("CI") or os.environ.get("NO_COLOR"):
            return None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self._bar = Progress("checking links", BarColumn(), MofNCompleteColumn(),
                             TimeElapsedColumn(), console=Console(stderr=True), transient=True)
        self._bar.start()
        self._task = self._bar.add_task("links", total=None)
        return self.update

    def update(self, done: int, total: int) -> None:
        self._bar.update(self._task, completed=done, total=total)

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.stop()


@app.command()
def config(
    config_file: Path | None = typer.Option(None, "--config", help="Settings file."),
) -> None:
    """Print the effective configuration and where each value came from."""
    from linkcheck.config import describe, load_config
    from linkcheck.errors import InputError

    try:
        sys.stdout.write(describe(load_config(config_file)))
    except InputError as exc:
        _fail(str(exc))


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Files, directories or - for stdin."),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
    stdin_kind: str | None = typer.Option(None, "--stdin-format", help="txt, md or html."),
) -> None:
    """List the citations found, with line and column. No network."""
    import json

    from linkcheck.errors import InputError
    from linkcheck.extract import extract as extract_citations
    from linkcheck.inputs.files import is_url, load_paths

    if fmt not in ("text", "json"):
        _fail(f"extract --format must be text or json, not {fmt!r}")
    if any(is_url(p) for p in paths):
        _fail("extract reads files only; use `linkcheck audit URL` for a published page")
    try:
        articles = load_paths(paths, stdin_kind)
    except InputError as exc:
        _fail(str(exc))
        return
    rows = []
    for a in articles:
        for c in extract_citations(a):
            rows.append({"path": a.path, "line": c.line, "column": c.column, "url": c.url,
                         "text": c.text, "skipped": c.skipped, "invalid": c.invalid})
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    for r in rows:
        note = f"  [skipped: {r['skipped']}]" if r["skipped"] else (
            f"  [invalid: {r['invalid']}]" if r["invalid"] else "")
        sys.stdout.write(f"{r['path']}:{r['line']}:{r['column']}\t{r['url']}{note}\n")


@app.command()
def rules() -> None:
    """List every rule: id, default severity, one-line description."""
    from linkcheck.rules import RULES

    for rule in RULES.values():
        sys.stdout.write(f"{rule.id:<22} {rule.severity.value:<8} {rule.summary}\n")


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
    from types import SimpleNamespace

    from linkcheck.archive.snapshot import snapshot_urls
    from linkcheck.config import apply_cli, load_config
    from linkcheck.errors import InputError
    from linkcheck.urls.parse import invalid_reason

    for u in urls:
        if why := invalid_reason(u):
            _fail(f"{u}: {why}")
    try:
        cfg = apply_cli(load_config(config_file), {
            "timeout": timeout, "retries": retries, "allow_private": allow_private})
        _check_archive_options(SimpleNamespace(
            index=index, wacz=wacz, warc=warc, compare=None,
            dedup_against=[str(d) for d in dedup_against]))
        results, _ = asyncio.run(snapshot_urls(
            urls, warc, _resolve_settings(cfg), index=index, wacz=wacz,
            dedup_against=[str(d) for d in dedup_against],
            info={"command": "linkcheck " + " ".join(sys.argv[1:])}))
    except InputError as exc:
        _fail(str(exc))
        return
    failed = 0
    for res in results.values():
        sys.stdout.write(f"{res.outcome.value:<10} {res.status or '':<4} {res.url}"
                         + (f"  ({res.error})" if res.error else "") + "\n")
        failed += res.outcome.value in ("broken", "error")
    sys.stdout.write(f"snapshot: {warc}\n")
    raise typer.Exit(1 if failed else 0)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("linkcheck: interrupted", err=True)
        sys.exit(130)
    except OSError as exc:  # a file we were told to write or read cannot be
        where = f"{exc.filename}: " if exc.filename else ""
        typer.echo(f"linkcheck: {where}{exc.strerror or exc}", err=True)
        sys.exit(EXIT_INPUT)
    except Exception as exc:  # a bug: one line, and the traceback only on request
        if os.environ.get("LINKCHECK_DEBUG"):
            raise
        typer.echo(f"linkcheck: internal error: {type(exc).__name__}: {exc} "
                   "(LINKCHECK_DEBUG=1 shows the traceback)", err=True)
        sys.exit(EXIT_INPUT)


if __name__ == "__main__":
    main()
