"""Progress of long runs: a rich bar with rate and ETA on a terminal, and a
one-line report every `every` seconds elsewhere (CI logs)."""

from __future__ import annotations

import os
import sys
import time
from typing import Any


class StageProgress:
    """A callable (stage, done, total) for the catalogue runners."""

    def __init__(self, every: float = 10.0):
        self.every = every
        self._bar: Any = None
        self._tasks: dict[str, object] = {}
        self._last = 0.0
        self._started: dict[str, float] = {}
        self._entered = time.monotonic()

    def __enter__(self) -> StageProgress:
        self._entered = time.monotonic()
        if sys.stderr.isatty() and not os.environ.get("CI") and not os.environ.get("NO_COLOR"):
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                ProgressColumn,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.text import Text

            class Rate(ProgressColumn):
                def render(self, task) -> Text:
                    return Text(f"{task.speed or 0:,.0f}/s")

            self._bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TaskProgressColumn(),
                                 Rate(),
                                 TimeElapsedColumn(), TimeRemainingColumn(),
                                 console=Console(stderr=True), transient=True)
            self._bar.start()
        return self

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        start = self._started.setdefault(stage, self._entered)
        if self._bar is not None:
            if stage not in self._tasks:
                self._tasks[stage] = self._bar.add_task(stage, total=total)
            self._bar.update(self._tasks[stage], completed=done, total=total)
            return
        if now - self._last < self.every and done != total:
            return
        self._last = now
        rate = done / (now - start) if now > start else 0.0
        eta = ""
        if total and rate > 0:
            eta = f", about {_duration((total - done) / rate)} left"
        of = f"/{total}" if total else ""
        sys.stderr.write(f"linkcheck: {stage} {done}{of} ({rate:.0f}/s{eta})\n")
        sys.stderr.flush()

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"
