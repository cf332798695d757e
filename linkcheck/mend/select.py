"""Which capture: the one closest before the target date (the story's date)
that passes the checks (check.py); if none does, the closest after, said so.
The archive's TimeMap lists every capture; a TimeGate alone gives the closest
in either direction, so it is used only when no TimeMap can be had."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from linkcheck.mend.archives import Archive
from linkcheck.mend.check import check_capture
from linkcheck.mend.memento import (
    ArchiveClient,
    Lookup,
    Memento,
    ask_timegate,
    ask_timemap,
    fetch_memento,
    parse_http_date,
)
from linkcheck.model import Archived

MAX_CHECKS = 4  # captures fetched and checked per archive and link


@dataclass(frozen=True)
class Wanted:
    """A link that needs an archived copy, and what its capture must match."""

    url: str
    target: date | None  # the story's date (None: the latest capture will do)
    headline: str | None = None  # the citation's own words for the page's title
    headline_source: str | None = None  # where those words are ("Related article" line)

    @property
    def moment(self) -> datetime:
        """The end of the target day: a capture made on the story's day is before it."""
        if self.target is None:
            return datetime.now(UTC)
        return datetime.combine(self.target, time(23, 59, 59), tzinfo=UTC)

    @property
    def target_words(self) -> str:
        return f"the story date {self.target.isoformat()}" if self.target else "today"


def order(mementos: list[Memento], moment: datetime) -> tuple[list[Memento], list[Memento]]:
    """(before the moment, closest first), (after it, closest first)."""
    before = sorted((m for m in mementos if m.when <= moment), key=lambda m: m.when,
                    reverse=True)
    after = sorted((m for m in mementos if m.when > moment), key=lambda m: m.when)
    return before, after


async def captures(client: ArchiveClient, archive: Archive, wanted: Wanted) -> Lookup:
    gate = client.gate(archive.host, archive.name)
    lookup = None
    timemap_url = archive.timemap_for(wanted.url)
    timegate_url = archive.timegate_for(wanted.url)
    if timemap_url:
        lookup = await ask_timemap(client, gate, timemap_url)
        if lookup.error is None:  # a TimeMap lists every capture, or says there is none
            return lookup
    if timegate_url:
        gated, timemap = await ask_timegate(client, gate, timegate_url, wanted.moment)
        if timemap and timemap != (lookup.timemap_url if lookup else None):
            listed = await ask_timemap(client, gate, timemap)
            if listed.mementos:
                return listed
        if gated.mementos or lookup is None or lookup.error:
            return gated
    return lookup or Lookup([], None, "no TimeMap or TimeGate")


async def find_copy(client: ArchiveClient, archive: Archive,
                    wanted: Wanted) -> tuple[Archived | None, str]:
    """The accepted copy in one archive, or None and why there is none."""
    lookup = await captures(client, archive, wanted)
    if lookup.error:
        return None, f"{archive.name}: {lookup.error}"
    if not lookup.mementos:
        return None, f"{archive.name}: no capture before {wanted.target_words} (none at all)"
    before, after = order(lookup.mementos, wanted.moment)
    gate = client.gate(archive.host, archive.name)
    refused: list[str] = []
    tried = 0
    for side, group in (("before", before), ("after", after)):
        for memento in group:
            if tried >= MAX_CHECKS:
                break
            tried += 1
            chain = await fetch_memento(client, gate, memento.url)
            verdict = check_capture(chain, wanted.url, wanted.headline, wanted.headline_source)
            when = parse_http_date(chain[-1].header("memento-datetime")) or memento.when
            day = when.date().isoformat()
            if not verdict.ok:
                refused.append(f"{day}: {verdict.why}")
                continue
            if side == "before":
                which = f"closest capture before {wanted.target_words}"
            else:
                which = (f"no usable capture before {wanted.target_words}; the closest after "
                         f"it, {day}")
            skipped = f" (skipped {'; '.join(refused)})" if refused else ""
            return Archived(url=memento.url, datetime=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                            archive=archive.name, status=verdict.status, checked=True,
                            why=f"{which}, {verdict.why}{skipped}"), ""
    listed = f"{len(before)} before and {len(after)} after {wanted.target_words}"
    if not before and after:
        listed = f"no capture before {wanted.target_words}, {len(after)} after"
    return None, f"{archive.name}: {listed}, none usable" + (
        f" ({'; '.join(refused)})" if refused else "")
