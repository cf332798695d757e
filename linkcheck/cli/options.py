"""From the effective configuration and the command line to the pipeline's
settings, checked before any fetch (audit and snapshot share these)."""

from __future__ import annotations

import os
from pathlib import Path

from linkcheck.cli.app import fail


def check_formats(formats: list[str]) -> list[str]:
    from linkcheck.report import FORMATS

    for f in formats:
        if f not in FORMATS:
            fail(f"unknown format {f!r}; choose from {', '.join(FORMATS)}")
    return formats


def resolve_settings(cfg):
    """Crawl settings from the effective configuration (audit and snapshot alike)."""
    from linkcheck.resolve.settings import ResolveSettings

    settings = ResolveSettings(
        concurrency=cfg["concurrency"], per_host=cfg["per_host"],
        timeout=float(cfg["timeout"]), retries=cfg["retries"],
        deadline=max(float(cfg["deadline"]), float(cfg["timeout"])),
        retry_after_cap=float(cfg["retry_after_cap"]), max_redirects=cfg["max_redirects"],
        allow_private=cfg["allow_private"], headers_by_domain=cfg["headers"],
        accept_by_domain=cfg["accept"], per_host_by_domain=cfg["per_host_overrides"])
    if cfg["user_agent"]:
        settings.user_agent = cfg["user_agent"]
    return settings


def check_archive_options(warc: Path | None, *, index: bool, wacz: bool,
                          dedup_against: list[str], compare: str | None = None) -> None:
    """Up front, before any fetch: options that need a snapshot, and the earlier
    snapshots read (a WARC that is not one fails when read, also with exit 2)."""
    from linkcheck.errors import InputError

    if (index or wacz) and warc is None:
        raise InputError("--index and --wacz need a snapshot: give --warc FILE "
                         "(and no --no-warc)")
    earlier = [("--dedup-against", d) for d in dedup_against]
    earlier += [("--compare", compare)] if compare else []
    for flag, name in earlier:
        path = Path(name)
        if not path.is_file():
            raise InputError(f"{flag} {name}: " + ("not a file" if path.exists()
                                                   else "no such file"))
        if warc is not None and path.resolve() == Path(warc).resolve():
            raise InputError(f"{flag} {name} is also the --warc being written; "
                             "write the new snapshot to another file")
    if warc is not None and Path(warc).exists():
        # a snapshot is evidence: never replaced silently
        raise InputError(f"--warc {warc}: already exists; name a new file")


def prepare_outputs(output: Path | None, output_dir: Path | None,
                    baseline_out: Path | None = None) -> None:
    """Fail before the crawl, not after it, when a report (or the baseline to
    write) cannot be written."""
    from linkcheck.errors import InputError

    for path, flag in ((output, "--output"), (baseline_out, "--write-baseline")):
        if path is not None and path.is_dir():
            raise InputError(f"{flag} {path}: is a folder; name a file")
        if path is not None and path.exists() and not os.access(path, os.W_OK):
            raise InputError(f"{flag} {path}: is not writable")
    for folder, flag in ((output.parent if output else None, "--output"),
                         (baseline_out.parent if baseline_out else None, "--write-baseline"),
                         (output_dir, "--output-dir")):
        if folder is None:
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{flag}: cannot create {folder} ({exc.strerror})") from None
        if not os.access(folder, os.W_OK):
            raise InputError(f"{flag}: {folder} is not writable")
