"""`linkcheck fix`: audit the drafts, then propose edits from what the audit
found (final URLs, clean parameters, https, archived copies as Robust Links,
the intended URL) as a unified diff, or write them with --write.

Exit statuses: 0 nothing to fix, or the edits were written; 1 edits were
proposed and not written (CI: "run linkcheck fix --write"); 2 bad input."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from linkcheck.cli.app import EXIT_FINDINGS, EXIT_OK, app, fail
from linkcheck.cli.options import ArchiveArgs, build_options, mend_options


@app.command()
def fix(
    paths: list[str] = typer.Argument(..., help="Draft files (.txt .md .html) or directories."),
    write: bool = typer.Option(False, "--write", help="Write the edits into the drafts "
                               "(each original kept as DRAFT.orig)."),
    no_backup: bool = typer.Option(False, "--no-backup", help="With --write: keep no .orig."),
    only: str | None = typer.Option(None, "--only", help="Comma-separated kinds of edit: "
                                    "redirected, shortener, https, tracking-params, archived, "
                                    "intended (default: all)."),
    style: str | None = typer.Option(None, "--style", help="Markdown archived copies: html "
                                     "(an inline <a> with Robust Links attributes, the "
                                     "default) or link (an ([archived](URI-M)) link after it)."),
    published: str | None = typer.Option(None, "--published", help="The story's "
                                         "publication date (ISO 8601)."),
    replay: list[Path] = typer.Option([], "--replay", help="Answer every request from this "
                                      "WARC instead of the network (repeatable)."),
    archive: list[str] = typer.Option([], "--archive", help="A Memento TimeGate to look up "
                                      "archived copies (repeatable; the URL is appended or "
                                      "replaces {url})."),
    no_archives: bool = typer.Option(False, "--no-archives", help="Do not look up archived "
                                     "copies."),
    allow_private: bool | None = typer.Option(None, "--allow-private", help="Allow "
                                              "loopback, private and link-local targets."),
    config_file: Path | None = typer.Option(None, "--config", help="Settings file."),
    timeout: float | None = typer.Option(None, "--timeout", help="Seconds per request."),
    retries: int | None = typer.Option(None, "--retries", help="Extra attempts after the "
                                       "first."),
    warc: Path | None = typer.Option(None, "--warc", help="Also write a WARC snapshot of what "
                                     "was fetched (none by default)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the "
                                  "caches."),
    save: bool = typer.Option(False, "--save", help="Ask the Wayback Machine's Save Page Now "
                              "to capture live citations that have no capture (needs "
                              "LINKCHECK_SPN_ACCESS_KEY and LINKCHECK_SPN_SECRET_KEY)."),
) -> None:
    """Propose edits for what the audit finds, as a unified diff (or --write them)."""
    import asyncio

    from linkcheck.config import apply_cli, load_config
    from linkcheck.errors import InputError
    from linkcheck.inputs.files import is_url
    from linkcheck.mend.edits import KINDS, STYLES
    from linkcheck.pipeline import run_audit

    kinds = set(KINDS)
    if only is not None:
        kinds = {k.strip() for k in only.split(",") if k.strip()}
        unknown = sorted(kinds - set(KINDS))
        if unknown or not kinds:
            fail(f"--only: unknown kind {', '.join(unknown) or '(none)'}; choose from "
                 f"{', '.join(KINDS)}")
    if no_backup and not write:
        fail("--no-backup only makes sense with --write")
    for p in paths:
        if p == "-" or is_url(p):
            fail(f"fix edits files: {p} is not one (save the draft to a file first)")
    try:
        cfg = apply_cli(load_config(config_file), {
            "timeout": timeout, "retries": retries, "allow_private": allow_private,
            "fix_style": style})
        # no snapshot unless asked: fix proposes edits, the audit keeps the evidence
        options = build_options(cfg, ArchiveArgs(warc=warc, no_warc=warc is None),
                                replay=replay, published=published, no_cache=no_cache)
        mend = mend_options(cfg, archive, no_archives, options.replay, options.cache_path,
                            no_cache)
        options.mend = mend
        if mend is not None:
            options.warc_info["archives"] = mend.archives
        report = asyncio.run(run_audit(paths, options))
        if cfg["fix_style"] not in STYLES:  # pragma: no cover - validated by config
            raise InputError(f"--style must be one of {', '.join(STYLES)}")
        proposed = _fix(report, kinds, cfg["fix_style"], write, not no_backup)
        if save:
            from linkcheck.mend.save import save_uncaptured

            for line in asyncio.run(save_uncaptured(report, options)):
                typer.echo(f"linkcheck: {line}", err=True)
    except InputError as exc:
        fail(str(exc))
        return
    raise typer.Exit(EXIT_FINDINGS if proposed and not write else EXIT_OK)


def _fix(report, kinds: set[str], style: str, write: bool, backup: bool) -> int:
    """Print (or write) every article's edits; the number of edits proposed."""
    from linkcheck.mend import draft as drafts
    from linkcheck.mend.edits import plan

    total = 0
    for ar in report.articles:
        edits, skipped = plan(ar, kinds, style)
        for s in skipped:
            typer.echo(f"linkcheck: {ar.article.path}:{s.line}:{s.column}: not edited: "
                       f"{s.url}: {s.reason}", err=True)
        if not edits:
            continue
        raw = ar.article.raw if ar.article.raw is not None else Path(ar.article.path).read_bytes()
        draft = drafts.load(ar.article.path, raw, ar.article.kind, ar.article.text)
        new = drafts.apply(draft, ar.article.text,
                           [r for e in edits for r in e.replacements])
        total += len(edits)
        for e in edits:
            sys.stdout.write(f"# {ar.article.path}:{e.line}:{e.column}: {','.join(e.kinds)}: "
                             f"{e.reason}\n")
        sys.stdout.write(drafts.unified_diff(draft, new))
        if write:
            path = Path(ar.article.path)
            if backup:
                path.with_name(path.name + ".orig").write_bytes(raw)
            path.write_bytes(new)
            typer.echo(f"linkcheck: wrote {len(edits)} edit(s) to {path}", err=True)
    sys.stdout.flush()
    return total
