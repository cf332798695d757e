"""When and how long to retry: transient failures only, exponential backoff
with jitter, and a server's Retry-After honoured up to a cap.

A plain loop in the resolver applies these (no retry library on the hot path:
most links succeed at the first attempt and should cost nothing extra)."""

from __future__ import annotations

import email.utils
import random
import time

import httpx

from linkcheck.errors import RequestTimeout  # noqa: F401  (raised here; re-exported)
from linkcheck.model import Exchange

TRANSIENT_STATUSES = {429, 500, 502, 503, 504, 520, 521, 522, 523, 524}


def is_transient_exception(exc: BaseException) -> bool:
    from linkcheck.errors import DnsError

    if isinstance(exc, DnsError):
        return exc.temporary
    if isinstance(exc, httpx.ConnectError) and "TLS" in str(exc):
        return False  # a bad certificate does not get better by asking again
    return isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadError,
                            httpx.ReadTimeout, httpx.WriteError, httpx.PoolTimeout,
                            httpx.RemoteProtocolError, RequestTimeout))


def is_transient_answer(ex: Exchange) -> bool:
    return ex.status in TRANSIENT_STATUSES


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP-date."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²" passes isdigit(), but not int()
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except Exception:  # whatever a server sends, a header is never an error of ours
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


def backoff_delay(attempt_number: int, answer: Exchange | None, base: float,
                  cap: float) -> float:
    """Seconds to wait after attempt `attempt_number` (1-based) failed: the
    server's Retry-After when the failed attempt was an answer that gave one
    (capped), else base * 2^(n-1) with full jitter on top, capped."""
    if answer is not None:
        header = next((v for k, v in answer.response_headers if k.lower() == "retry-after"),
                      None)
        seconds = retry_after_seconds(header)
        if seconds is not None:
            return min(seconds, cap)
    exp = base * 2 ** (attempt_number - 1)
    return min(cap, exp + random.uniform(0, exp))
