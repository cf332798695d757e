"""The typer application every command registers on, and the exit statuses."""

from __future__ import annotations

import os
import sys

import typer

app = typer.Typer(
    add_completion=False, no_args_is_help=True, rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Audit the links an article cites: where they lead, whether they are alive, "
         "duplicated or out of the story's timeline; snapshot them to WARC.")

FAIL_ON = {"error": 3, "warning": 2, "info": 1, "never": 99}
EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def fail(message: str) -> None:
    """A usage or input error: one line on stderr, exit status 2."""
    typer.echo(f"linkcheck: {message}", err=True)
    raise typer.Exit(EXIT_INPUT)


def use_color() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and not os.environ.get("CI")


@app.callback()
def _root(verbose: int = typer.Option(0, "--verbose", "-v", count=True,
                                      help="Say more on stderr (-vv: debug).")) -> None:
    """Audit the links an article cites: where they lead, whether they are alive,
    duplicated or out of the story's timeline; snapshot them to WARC."""
    from linkcheck.cli.logs import configure

    configure(verbose)
