"""Running linkcheck's command line from tests.

`run_cli` starts a real process (`python -m linkcheck`): for exit statuses set
by `main()`, signals, stdin, the working folder and anything a user's shell
would see. `invoke` runs the same command in this process through typer's
CliRunner: ten times quicker, for tests that only read the output.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent.parent


def run_cli(*args: str, cwd: Path | str | None = None, stdin: str | None = None,
            timeout: float = 120, env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess:
    """`python -m linkcheck ARGS` in a child process; linkcheck importable from ROOT."""
    base = {**os.environ, "PYTHONPATH": str(ROOT)} if env is None else env
    return subprocess.run([sys.executable, "-m", "linkcheck", *map(str, args)],
                          capture_output=True, text=True, input=stdin, cwd=cwd,
                          timeout=timeout, env=base)


@dataclass
class Invocation:
    returncode: int
    stdout: str
    stderr: str


def invoke(*args: str, stdin: str | None = None) -> Invocation:
    """The command in this process. An exception that escapes is re-raised, so a
    bug shows its traceback here instead of an exit status."""
    from linkcheck.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args], input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Invocation(result.exit_code, result.stdout, result.stderr)
