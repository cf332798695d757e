"""Logging, configured once for every command: warnings by default, more with
-v/-vv, everything with LINKCHECK_DEBUG=1. Messages go to stderr, one a line,
so a rule that fails is reported instead of vanishing."""

from __future__ import annotations

import logging
import os
import sys


def configure(verbose: int = 0) -> None:
    level = logging.WARNING
    if verbose == 1:
        level = logging.INFO
    elif verbose >= 2 or os.environ.get("LINKCHECK_DEBUG"):
        level = logging.DEBUG
    root = logging.getLogger("linkcheck")
    root.setLevel(level)
    if not any(getattr(h, "_linkcheck", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("linkcheck: %(levelname)s: %(message)s"))
        handler._linkcheck = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.propagate = False
