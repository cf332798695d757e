"""Manners towards archives: one request at a time per archive, spaced out,
Retry-After honoured, and no more requests to an archive for the rest of the
run once it has answered 429 repeatedly (an archive that is ignored when it
says 429 blocks the address, the Wayback Machine for an hour and doubling)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

DEFAULT_PER_MINUTE = 15.0  # under the ~24 CDX requests a minute the Wayback Machine tolerates
STOP_AFTER_429 = 3


class ArchiveUnavailable(Exception):
    """This archive is not asked again in this run."""


@dataclass
class Gate:
    """The politeness of one archive host."""

    name: str
    per_minute: float = DEFAULT_PER_MINUTE  # 0: no spacing (a local archive)
    retry_after_cap: float = 30.0
    too_many: int = 0  # 429s received
    stopped: str | None = None  # why the archive is no longer asked
    requests: int = 0
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _next: float = 0.0  # monotonic time of the next allowed request

    async def turn(self) -> None:
        """Wait for this archive's next slot (held until `done`)."""
        if self.stopped:
            raise ArchiveUnavailable(self.stopped)
        await self._lock.acquire()
        if self.stopped:
            self._lock.release()
            raise ArchiveUnavailable(self.stopped)
        wait = self._next - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        self.requests += 1

    def done(self, status: int | None, retry_after: str | None = None) -> float | None:
        """Release the slot; for a 429 the seconds to wait before asking again,
        or None when the archive is now given up for this run."""
        interval = 60.0 / self.per_minute if self.per_minute > 0 else 0.0
        wait: float | None = 0.0
        if status == 429:
            self.too_many += 1
            wait = min(parse_retry_after(retry_after, interval * 4 or 1.0), self.retry_after_cap)
            if self.too_many >= STOP_AFTER_429:
                self.stopped = (f"{self.name} answered 429 (too many requests) "
                                f"{self.too_many} times; not asked again in this run")
                wait = None
        self._next = time.monotonic() + max(interval, wait or 0.0)
        self._lock.release()
        return wait


def parse_retry_after(value: str | None, default: float) -> float:
    from linkcheck.resolve.retry import retry_after_seconds

    seconds = retry_after_seconds(value)
    return default if seconds is None else seconds
