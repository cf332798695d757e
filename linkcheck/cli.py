"""Command line: parse, call one function, render, map the outcome to an exit
status. Heavy modules are imported inside the commands, so `--help` is quick."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

app = typer.Typer(
    add_completion=False, no_args_is_help=True, rich_markup_mode=None,
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
    fmt: list[str] = typer.Option(["text"], "--format", "-f", help="text, json (repeatable)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report here."),
    output_dir: Path | None = typer.Option(None, "--output-dir",
                                              help="With several --format: one file each."),
    warc: Path | None = typer.Option(None, "--warc", help="Write the WARC snapshot here."),
    no_warc: bool = typer.Option(False, "--no-warc", help="Do not write a snapshot."),
    replay: list[Path] = typer.Option([], "--replay", help="Answer every request from this "
                                      "WARC instead of the network (repeatable)."),
    fail_on: str = typer.Option("error", "--fail-on", help="Lowest severity that makes the "
                                "exit status 1: error, warning, info or never."),
    concurrency: int = typer.Option(64, "--concurrency", min=1, help="Requests in flight."),
    per_host: int = typer.Option(2, "--per-host", min=1, help="Requests in flight per host."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Seconds per request."),
    retries: int = typer.Option(2, "--retries", min=0, help="Extra attempts after the first."),
    allow_private: bool = typer.Option(False, "--allow-private", help="Allow loopback, "
                                       "private and link-local targets."),
    stdin_kind: str | None = typer.Option(None, "--stdin-format",
                                             help="txt, md or html, for -."),
) -> None:
    """Extract citations, resolve them, snapshot them, analyse and report."""
    import asyncio

    from linkcheck.audit import AuditOptions, run_audit
    from linkcheck.dates import parse_date
    from linkcheck.errors import InputError
    from linkcheck.report import render
    from linkcheck.resolve.settings import ResolveSettings

    formats = _formats(fmt)
    if fail_on not in FAIL_ON:
        _fail(f"--fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    if stdin_kind not in (None, "txt", "md", "html"):
        _fail(f"--stdin-format must be txt, md or html, not {stdin_kind!r}")
    if len(formats) > 1 and output_dir is None:
        _fail("several --format values need --output-dir")
    try:
        story = parse_date(published) if published else None
        for r in replay:
            if not r.is_file():
                raise InputError(f"--replay {r}: no such file")
        options = AuditOptions(
            settings=ResolveSettings(concurrency=concurrency, per_host=per_host,
                                     timeout=timeout, retries=retries,
                                     allow_private=allow_private,
                                     deadline=max(60.0, timeout * 3)),
            published=story, replay=[str(r) for r in replay], stdin_kind=stdin_kind,
            warc_info={"command": "linkcheck " + " ".join(sys.argv[1:])})
        if not no_warc:
            if warc is not None:
                options.warc = warc
            elif not replay:
                from linkcheck.archive.writer import default_snapshot_path

                options.warc = default_snapshot_path()
        report = asyncio.run(run_audit(paths, options))
    except InputError as exc:
        _fail(str(exc))
        return
    for name in formats:
        text = render(name, report, color=_use_color() and output is None and not output_dir)
        if output_dir is not None:
            from linkcheck.report import EXTENSIONS

            output_dir.mkdir(parents=True, exist_ok=True)
            (output_dir / f"linkcheck.{EXTENSIONS[name]}").write_text(text, encoding="utf-8")
        elif output is not None:
            output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    worst = max((f.severity.rank for a in report.articles for f in a.findings), default=0)
    raise typer.Exit(1 if worst >= FAIL_ON[fail_on] else 0)


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
    from linkcheck.inputs import is_url, load_paths

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
        sys.stdout.write(f"{rule.id:<20} {rule.severity.value:<8} {rule.summary}\n")


@app.command()
def snapshot(
    urls: list[str] = typer.Argument(..., help="URLs to archive."),
    warc: Path = typer.Option(..., "--warc", help="The WARC file to write."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1),
    retries: int = typer.Option(2, "--retries", min=0),
    allow_private: bool = typer.Option(False, "--allow-private"),
) -> None:
    """Archive URLs with the audit's machinery; no analysis."""
    import asyncio

    from linkcheck.archive.writer import WarcSnapshot
    from linkcheck.extract.urls import invalid_reason
    from linkcheck.resolve.client import Resolver
    from linkcheck.resolve.settings import ResolveSettings
    from linkcheck.resolve.transport import GuardedTransport

    for u in urls:
        if why := invalid_reason(u):
            _fail(f"{u}: {why}")
    settings = ResolveSettings(timeout=timeout, retries=retries, allow_private=allow_private)

    async def run():
        snap = WarcSnapshot(warc, {"operator-software": "linkcheck snapshot",
                                   "command": "linkcheck " + " ".join(sys.argv[1:])})
        try:
            async with Resolver(settings, GuardedTransport(allow_private), snap) as r:
                return await r.resolve_all(urls)
        finally:
            snap.close()

    results = asyncio.run(run())
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


if __name__ == "__main__":
    main()
