"""From the effective configuration and the command line to the pipeline's
settings, checked before any fetch (audit and snapshot share these)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from linkcheck.cli.app import fail

if TYPE_CHECKING:
    from linkcheck.config import Config
    from linkcheck.pipeline import AuditOptions


@dataclass
class ArchiveArgs:
    """The snapshot options `audit` and `snapshot` share, as given."""

    warc: Path | None = None
    no_warc: bool = False
    index: bool = False
    wacz: bool = False
    dedup_against: list[Path] = field(default_factory=list)
    compare: Path | None = None


def build_options(cfg: Config, archive: ArchiveArgs, *, replay: list[Path] | None = None,
                  published: str | None = None, stdin_kind: str | None = None,
                  cache: str | Path | None = None, no_cache: bool = False,
                  whole_page: bool = False) -> AuditOptions:
    """The one mapping from configuration and command line to the pipeline's
    options, checked before any fetch (InputError on anything unusable)."""
    from linkcheck.analysis.story_date import parse_instant
    from linkcheck.errors import InputError
    from linkcheck.inputs.dates import parse_date
    from linkcheck.model import Severity
    from linkcheck.pipeline import AuditOptions

    replay = replay or []
    for r in replay:
        if not r.is_file():
            raise InputError(f"--replay {r}: no such file")
    rules_cfg = cfg["rules"]
    options = AuditOptions(
        # "" is a malformed date like any other, not "no date"
        settings=resolve_settings(cfg),
        published=parse_date(published) if published is not None else None,
        published_at=parse_instant(published) if published else None,
        replay=[str(r) for r in replay], stdin_kind=stdin_kind,
        tolerance_days=cfg["tolerance_days"], include=cfg["include"], exclude=cfg["exclude"],
        severities={k: Severity(v) for k, v in rules_cfg.items() if v != "off"},
        disabled={k for k, v in rules_cfg.items() if v == "off"},
        cache_ttl=float(cfg["cache_ttl"]),
        rule_options={"stale_years": cfg["stale_years"], "outlet": cfg["outlet"]},
        warc_info={"command": "linkcheck " + " ".join(sys.argv[1:])},
        index=archive.index, wacz=archive.wacz,
        compare=str(archive.compare) if archive.compare else None,
        dedup_against=[str(d) for d in archive.dedup_against])
    # The cache is opt-in (--cache [PATH], cache = true), so every snapshot is complete
    # unless asked otherwise; "" is a bare --cache: the configured or default file.
    if not no_cache and (cache is not None or cfg["cache"]):
        from linkcheck.resolve.cache import default_cache_path

        named = str(cache) if cache else cfg["cache_path"]
        options.cache_path = Path(named) if named else default_cache_path()
    options.whole_page = whole_page
    if not archive.no_warc:
        if archive.warc is not None:
            options.warc = archive.warc
        elif not replay:
            from linkcheck.archive.writer import default_snapshot_path

            options.warc = default_snapshot_path(cfg["warc_dir"])
    check_archive_options(options.warc, index=options.index, wacz=options.wacz,
                          dedup_against=options.dedup_against, compare=options.compare)
    return options


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


def mend_options(cfg, archive: list[str], no_archives: bool, replay: list[str],
                 cache_path: Path | None, no_cache: bool = False):
    """Which archives to ask for copies of dead links (None: no lookups).

    --archive replaces the configured list. A replayed audit never uses the
    default list (that would be the live web), nor LINKCHECK_ARCHIVES: it asks
    the archives given explicitly (--archive, a settings file), or those its
    cassette recorded answers from."""
    from linkcheck.config import ENV_ORIGIN
    from linkcheck.mend.archives import archives_from
    from linkcheck.mend.cache import default_archive_cache
    from linkcheck.mend.step import MendOptions, recorded_archives
    from linkcheck.resolve.cache import default_cache_path

    if no_archives:
        return None
    if archive:
        specs = list(archive)
    elif cfg.origins["archives"] not in ("default", ENV_ORIGIN):  # a settings file
        specs = list(cfg["archives"])
    elif replay:
        specs = recorded_archives(replay)
    else:
        specs = list(cfg["archives"])
    archives_from(specs)  # a bad --archive fails here, before any fetch
    if not specs:
        return None
    return MendOptions(archives=specs, per_minute=float(cfg["archive_rate"]),
                       budget=float(cfg["archive_budget"]),
                       cache_path=None if no_cache else default_archive_cache(
                           cache_path or default_cache_path()))
