"""Where reports go, and the progress bar."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from linkcheck.cli.app import use_color


def write_reports(report, formats: list[str], output: Path | None,
                   output_dir: Path | None) -> None:
    from linkcheck.report import EXTENSIONS, render
    from linkcheck.urls.normalise import redact_userinfo

    for name in formats:
        text = render(name, report, color=use_color() and output is None and not output_dir)
        text = redact_userinfo(text)  # no format shows a cited URL's user:password@
        if output_dir is not None:
            output_dir.mkdir(parents=True, exist_ok=True)
            (output_dir / f"linkcheck.{EXTENSIONS[name]}").write_text(text, encoding="utf-8")
        elif output is not None:
            output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
            sys.stdout.flush()


class progress_bar:
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
