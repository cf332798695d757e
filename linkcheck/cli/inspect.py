"""`linkcheck config`, `linkcheck extract` and `linkcheck rules`: the commands
that never touch the network."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from linkcheck.cli.app import app, fail


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
        fail(str(exc))


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Files, directories or - for stdin."),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
    stdin_kind: str | None = typer.Option(None, "--stdin-format", help="txt, md or html."),
    whole_page: bool = typer.Option(False, "--whole-page", help="HTML files that are whole "
                                    "web pages: list every link, not only the article "
                                    "body's."),
) -> None:
    """List the citations found, with line and column. No network."""
    import json

    from linkcheck.errors import InputError
    from linkcheck.extract import extract as extract_citations
    from linkcheck.inputs.files import is_url, load_paths
    from linkcheck.report.text import describe_body

    if fmt not in ("text", "json"):
        fail(f"extract --format must be text or json, not {fmt!r}")
    if any(is_url(p) for p in paths):
        fail("extract reads files only; use `linkcheck audit URL` for a published page")
    try:
        articles = load_paths(paths, stdin_kind)
    except InputError as exc:
        fail(str(exc))
        return
    rows = []
    for a in articles:
        a.whole_page = whole_page
        for c in extract_citations(a):
            rows.append({"path": a.path, "line": c.line, "column": c.column, "url": c.url,
                         "text": c.text, "skipped": c.skipped, "invalid": c.invalid,
                         **({"suggestion": c.suggestion} if c.suggestion else {})})
        if a.kind == "html" and a.body and a.body.get("mode") != "whole file" \
                and fmt == "text":
            sys.stderr.write(f"{a.path}: {describe_body(a.body)}\n")
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
