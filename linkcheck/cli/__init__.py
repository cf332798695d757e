"""Command line: parse, call one function, render, map the outcome to an exit
status. Heavy modules are imported inside the commands, so `--help` is quick.

Exit statuses: 0 no finding at or above --fail-on, 1 there is one, 2 bad input
or usage, 3 an internal error (a bug in linkcheck), 128+N stopped by signal N.
"""

from __future__ import annotations

import os
import sys

import typer

# the commands register on app as they are imported
from linkcheck.cli import audit, catalogue, fix, inspect, monitor, snapshot  # noqa: F401
from linkcheck.cli.app import EXIT_INPUT, EXIT_INTERNAL, app

__all__ = ["app", "main"]


def main() -> None:
    from linkcheck.cli.logs import configure

    configure()
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
        sys.exit(EXIT_INTERNAL)
