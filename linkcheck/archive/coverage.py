"""What a snapshot does not hold: links answered from the resolution cache have
no capture in this run's WARC, and the snapshot says so (warcinfo fields, a
closing warcinfo record, the report's `not_captured`)."""

from __future__ import annotations

from pathlib import Path

from linkcheck.model import Resolution


def cache_info(cache_path: Path | None, replay: bool) -> dict[str, object]:
    """warcinfo fields saying a cache may answer links in this run."""
    if cache_path is None or replay:
        return {}
    return {"resolution-cache": "on: links answered from it have no capture in this "
                                "snapshot; a closing warcinfo record lists them"}


def uncaptured_links(links: dict[str, Resolution]) -> list[dict]:
    """The links answered from the cache: no capture of them is in this run's snapshot."""
    return [{"url": url, "checked": (res.cached or {}).get("checked"),
             "warc": (res.cached or {}).get("warc")}
            for url, res in links.items() if res.from_cache]


def not_captured_info(not_captured: list[dict]) -> list[tuple[str, object]]:
    def where(entry: dict) -> str:
        when = f"checked {entry['checked']}" if entry["checked"] else "checked earlier"
        place = f", captured in {Path(entry['warc']).name}" if entry["warc"] else \
            ", not archived then"
        return f"{entry['url']} ({when}{place})"

    return [("operator-software", "linkcheck audit"),
            ("description", f"{len(not_captured)} link(s) were answered from the resolution "
                            "cache and have no capture in this snapshot"),
            ("not-captured", [where(e) for e in not_captured])]
