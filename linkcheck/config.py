"""Settings: defaults, then a config file, then command-line options.

Each value remembers where it came from, for `linkcheck config`. The file is
`[tool.linkcheck]` in pyproject.toml or a linkcheck.toml in the current folder
(or --config FILE). Unknown keys and wrong types are errors naming the key:
a typo in a CI gate must not silently turn a check off.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linkcheck.errors import InputError
from linkcheck.mend.archives import DEFAULT_ARCHIVES

SEVERITY_VALUES = ("error", "warning", "info", "off")
ARCHIVES_ENV = "LINKCHECK_ARCHIVES"
ENV_ORIGIN = f"environment ({ARCHIVES_ENV})"


@dataclass(frozen=True)
class Key:
    type: type | tuple[type, ...]
    default: Any
    help: str
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None


KEYS: dict[str, Key] = {
    "concurrency": Key(int, 64, "requests in flight, all hosts together", minimum=1),
    "per_host": Key(int, 2, "requests in flight to one host", minimum=1),
    "timeout": Key((int, float), 10.0, "seconds for one request, body included", minimum=0.1),
    "deadline": Key((int, float), 60.0, "seconds for one link, all hops and retries", minimum=1),
    "retries": Key(int, 2, "extra attempts after the first, for transient failures", minimum=0),
    "retry_after_cap": Key((int, float), 30.0, "longest Retry-After honoured, seconds",
                           minimum=0),
    "max_redirects": Key(int, 10, "redirect hops followed before giving up", minimum=0),
    "user_agent": Key(str, None, "User-Agent sent with every request (default: linkcheck's)"),
    "allow_private": Key(bool, False, "allow loopback, private and link-local targets"),
    "fail_on": Key(str, "error", "lowest severity that makes the exit status 1",
                   choices=("error", "warning", "info", "never")),
    "tolerance_days": Key(int, 1, "days a source may postdate the story (time zones)",
                          minimum=0, maximum=3650),
    "stale_years": Key((int, float), 5, "age in years past which a source cited as news "
                       "is stale", minimum=0),
    "outlet": Key(str, None, "the newsroom's own outlet name (\"told Reuters\" in a Reuters "
                  "story is no unsourced attribution); a draft's front matter `outlet:` wins"),
    "include": Key(list, [], "regular expressions: only matching URLs are checked"),
    "exclude": Key(list, [], "regular expressions: matching URLs are skipped"),
    "headers": Key(dict, {}, "per-domain request headers: {domain = {Header = value}}"),
    "accept": Key(dict, {}, "per-domain statuses that count as fine: {domain = [403]}"),
    "per_host_overrides": Key(dict, {}, "per-domain concurrency: {domain = 1}"),
    "rules": Key(dict, {}, "rule severities or 'off': {duplicate-link = 'error'}"),
    "warc_dir": Key(str, "linkcheck-snapshots", "folder for default snapshots"),
    "jobs": Key(int, None, "crawl processes, links split by host (default: the cores; "
                "1 for a small audit)", minimum=1),
    "warc_level": Key(int, 1, "gzip level of the WARC records: 1 fastest, 9 smallest",
                      minimum=1, maximum=9),
    "cache": Key(bool, False, "reuse fresh successful resolutions from earlier runs "
                 "(links answered from it have no capture in that run's snapshot)"),
    "cache_path": Key(str, None, "the cache database (default: the user cache folder)"),
    "cache_ttl": Key((int, float), 86400, "seconds a cached resolution stays fresh",
                     minimum=0),
    "archives": Key(list, list(DEFAULT_ARCHIVES),
                    "Memento TimeGates or TimeMaps asked for archived copies, in order "
                    "(the URL is appended, or replaces {url}); [] turns lookups off"),
    "archive_budget": Key((int, float), 120, "seconds all archive lookups of a run may take "
                          "(at archive_rate, about 2 requests per dead link and archive)",
                          minimum=1),
    "fix_style": Key(str, "html", "how `fix` adds an archived copy to Markdown: html (Robust "
                     "Links on an inline <a>) or link (an ([archived](URI-M)) link)",
                     choices=("html", "link")),
    "archive_rate": Key((int, float), 15, "requests a minute to one archive (0: unspaced, "
                        "for a newsroom's own pywb)", minimum=0, maximum=600),
}


@dataclass
class Config:
    values: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def set(self, key: str, value: Any, origin: str) -> None:
        self.values[key] = _validate(key, value, origin)
        self.origins[key] = origin


def _validate(key: str, value: Any, origin: str) -> Any:
    spec = KEYS.get(key)
    if spec is None:
        raise InputError(f"{origin}: unknown key {key!r} (see `linkcheck config`)")
    if value is None and spec.default is None:
        return None
    types = spec.type if isinstance(spec.type, tuple) else (spec.type,)
    if isinstance(value, bool) and bool not in types:
        raise InputError(f"{origin}: {key} must be {_names(types)}, not a boolean")
    if not isinstance(value, types):
        raise InputError(f"{origin}: {key} must be {_names(types)}, not {value!r}")
    if spec.choices and value not in spec.choices:
        raise InputError(f"{origin}: {key} must be one of {', '.join(spec.choices)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"{origin}: {key} must be a finite number")
    if spec.minimum is not None and value < spec.minimum:  # type: ignore[operator]
        raise InputError(f"{origin}: {key} must be at least {spec.minimum:g}")
    if spec.maximum is not None and value > spec.maximum:  # type: ignore[operator]
        raise InputError(f"{origin}: {key} must be at most {spec.maximum:g}")
    if key == "user_agent" and isinstance(value, str) and not _header_safe(value):
        raise InputError(f"{origin}: user_agent must be printable ASCII on one line")
    _validate_structure(key, value, origin)
    return value


def _names(types: tuple[type, ...]) -> str:
    return " or ".join({int: "a whole number", float: "a number", str: "a string",
                        bool: "true or false", list: "a list", dict: "a table"}[t]
                       for t in types)


def _validate_structure(key: str, value: Any, origin: str) -> None:
    from linkcheck.rules import RULES

    if key in ("include", "exclude"):
        for pattern in value:
            if not isinstance(pattern, str):
                raise InputError(f"{origin}: {key} must list strings")
            try:
                re.compile(pattern)
            except re.error as exc:
                raise InputError(f"{origin}: {key} pattern {pattern!r}: {exc}") from None
    elif key == "rules":
        for rule, sev in value.items():
            if rule not in RULES:
                raise InputError(f"{origin}: rules.{rule}: no such rule (see `linkcheck rules`)")
            if sev not in SEVERITY_VALUES:
                raise InputError(f"{origin}: rules.{rule} must be one of "
                                 f"{', '.join(SEVERITY_VALUES)}")
    elif key == "headers":
        for domain, headers in value.items():
            if not isinstance(headers, dict) or not all(
                    isinstance(k, str) and isinstance(v, str) and _header_safe(v)
                    and re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", k)
                    for k, v in headers.items()):
                raise InputError(f"{origin}: headers.{domain} must map header names to "
                                 "printable one-line ASCII values")
    elif key == "accept":
        for domain, codes in value.items():
            if not isinstance(codes, list) or not all(
                    isinstance(c, int) and not isinstance(c, bool) and 100 <= c <= 999
                    for c in codes):
                raise InputError(f"{origin}: accept.{domain} must list HTTP status codes")
    elif key == "archives":
        from linkcheck.mend.archives import parse_archive

        for spec in value:
            if not isinstance(spec, str):
                raise InputError(f"{origin}: archives must list TimeGate URLs (strings)")
            try:
                parse_archive(spec)
            except InputError as exc:
                raise InputError(f"{origin}: archives: {exc}") from None
    elif key == "per_host_overrides":
        for domain, n in value.items():
            if not isinstance(n, int) or isinstance(n, bool) or n < 1:
                raise InputError(f"{origin}: per_host_overrides.{domain} must be a whole "
                                 "number of at least 1")


def _header_safe(value: str) -> bool:
    return value.isascii() and value.isprintable()


def find_config_file(cwd: Path) -> tuple[Path, dict] | None:
    """The settings file that applies in cwd, with its linkcheck table."""
    toml = cwd / "linkcheck.toml"
    if toml.is_file():
        return toml, _read(toml)
    pyproject = cwd / "pyproject.toml"
    if pyproject.is_file():
        table = _read(pyproject).get("tool", {}).get("linkcheck")
        if table is not None:
            return pyproject, table
    return None


def _read(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not valid TOML (the file is not UTF-8 text)") from None
    except RecursionError:
        raise InputError(f"{path}: not valid TOML (nested too deeply)") from None
    if path.name != "pyproject.toml":
        # the settings at the top, or under [linkcheck], or under [tool.linkcheck]
        # as in pyproject.toml: all three are accepted
        if set(data) == {"linkcheck"} and isinstance(data["linkcheck"], dict):
            return data["linkcheck"]
        tool = data.get("tool")
        if set(data) == {"tool"} and isinstance(tool, dict) and set(tool) == {"linkcheck"} \
                and isinstance(tool["linkcheck"], dict):
            return tool["linkcheck"]
    return data


def load_config(explicit: Path | None = None, cwd: Path | None = None) -> Config:
    config = Config()
    for key, spec in KEYS.items():
        config.values[key] = spec.default
        config.origins[key] = "default"
    if (archives := os.environ.get(ARCHIVES_ENV)) is not None:
        # the archives a machine asks by default (CI: the newsroom's own pywb; "" for none)
        config.set("archives", re.split(r"[\s,]+", archives.strip()) if archives.strip()
                   else [], ENV_ORIGIN)
    if explicit is not None:
        if not explicit.is_file():
            raise InputError(f"--config {explicit}: no such file")
        data = _read(explicit)
        if explicit.name == "pyproject.toml":
            data = data.get("tool", {}).get("linkcheck", {})
        source: tuple[Path, dict] | None = (explicit, data)
    else:
        source = find_config_file(cwd or Path.cwd())
    if source is not None:
        path, table = source
        origin = f"{path.name} [tool.linkcheck]" if path.name == "pyproject.toml" else str(path)
        for key, value in table.items():
            config.set(key.replace("-", "_"), value, origin)
    return config


def apply_cli(config: Config, options: dict[str, Any]) -> Config:
    """Command-line values (those actually given) win over the file."""
    for key, value in options.items():
        if value is not None:
            config.set(key, value, f"command line (--{key.replace('_', '-')})")
    return config


def describe(config: Config) -> str:
    import json

    lines = []
    for key in KEYS:
        shown = config.values[key]
        if key == "headers":  # values may be tokens: names only
            shown = {d: dict.fromkeys(h, "<redacted>") for d, h in shown.items()}
        value = json.dumps(shown, ensure_ascii=False)
        lines.append(f"{key} = {value}    # {config.origins[key]}")
    return "\n".join(lines) + "\n"
