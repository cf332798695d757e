"""`--cache [PATH]`: an option whose value may be left out.

Click (under typer) has no option with an optional value, so the audit command
reads its arguments first: a `--cache` not followed by a path of its own (the
end, another option, or an article to audit) becomes `--cache=`, which means
"the default cache file". `--cache=PATH` and `--cache PATH` name the file.
"""

from __future__ import annotations

from pathlib import Path

import typer.core

DEFAULT = ""  # the value `--cache` alone stands for


def _is_article(arg: str) -> bool:
    """An argument that is an input to audit, not a cache file."""
    from linkcheck.inputs.files import KINDS, is_url  # not at start-up: it loads the model

    if arg == "-" or is_url(arg):
        return True
    return Path(arg).suffix.lower() in KINDS or Path(arg).is_dir()


def bare_cache_flags(args: list[str]) -> list[str]:
    out = []
    for i, arg in enumerate(args):
        if arg == "--":
            out.extend(args[i:])
            break
        if arg == "--cache":
            following = args[i + 1] if i + 1 < len(args) else None
            if following is None or following.startswith("-") or _is_article(following):
                out.append("--cache=" + DEFAULT)
                continue
        out.append(arg)
    return out


class OptionalCacheValue(typer.core.TyperCommand):
    def parse_args(self, ctx, args: list[str]) -> list[str]:
        return super().parse_args(ctx, bare_cache_flags(list(args)))
