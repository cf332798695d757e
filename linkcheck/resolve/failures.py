"""Naming failures: what went wrong with a link, in words an editor can use."""

from __future__ import annotations

import ssl

import httpx

from linkcheck.errors import (
    DnsError,
    PrivateAddressError,
    RedirectError,
    ReplayMissError,
    RequestTimeout,
)
from linkcheck.model import Outcome


def describe_failure(exc: BaseException) -> tuple[Outcome, str, str, str | None]:
    """(outcome, error kind, message, refused address) for an exception."""
    if isinstance(exc, PrivateAddressError):
        return Outcome.ERROR, "private-address", str(exc), exc.address
    if isinstance(exc, DnsError):
        return Outcome.BROKEN, "dns", str(exc), None
    if isinstance(exc, (RequestTimeout, httpx.TimeoutException)):
        detail = str(exc) or "timed out"
        return Outcome.BROKEN, "timeout", f"timeout: {detail}", None
    if isinstance(exc, RedirectError):
        return Outcome.ERROR, "redirect", str(exc), None
    if isinstance(exc, ReplayMissError):
        return Outcome.ERROR, "replay", str(exc), None
    text = str(exc) or type(exc).__name__
    low = text.lower()
    if isinstance(exc, httpx.ConnectError):
        if isinstance(exc.__cause__, ssl.SSLError) or "ssl" in low or "certificate" in low:
            return Outcome.BROKEN, "tls", f"TLS failure: {text}", None
        if "refused" in low:
            return Outcome.BROKEN, "refused", f"connection refused: {text}", None
        if "name or service" in low or "nodename" in low or "getaddrinfo" in low:
            return Outcome.BROKEN, "dns", f"DNS lookup failed: {text}", None
        return Outcome.BROKEN, "connect", f"connection failed: {text}", None
    if isinstance(exc, httpx.RemoteProtocolError):
        if "disconnected" in low or "closed" in low:
            return Outcome.ERROR, "reset", f"connection closed by the server: {text}", None
        return Outcome.ERROR, "protocol", f"not a valid HTTP answer: {text}", None
    if isinstance(exc, (httpx.ReadError, httpx.WriteError, ConnectionError)):
        return Outcome.ERROR, "reset", f"connection reset: {text}", None
    if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
        return Outcome.ERROR, "invalid-url", f"malformed URL: {text}", None
    return Outcome.ERROR, "internal", f"{type(exc).__name__}: {text}", None
