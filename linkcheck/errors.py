"""Every exception linkcheck raises on purpose, in one hierarchy.

`InputError` ends a command with exit status 2 and a one-line message. The
link failures are caught per link and named by `resolve/failures.py`; they
never end an audit. Anything else that escapes is a bug: exit status 3.
"""

from __future__ import annotations


class LinkcheckError(Exception):
    """Base of every error linkcheck raises on purpose."""


class InputError(LinkcheckError):
    """The user's input (a file, an option, a config) cannot be used."""


class LinkFailure(LinkcheckError):
    """One link could not be resolved; the audit goes on with the others."""


class PrivateAddressError(LinkFailure):
    """The target resolves only to addresses we refuse to contact."""

    def __init__(self, host: str, address: str, why: str):
        super().__init__(f"{host} resolves to {address} ({why}); refused")
        self.host, self.address, self.why = host, address, why


class DnsError(LinkFailure):
    def __init__(self, host: str, detail: str, temporary: bool = False):
        super().__init__(f"DNS lookup failed for {host}: {detail}")
        self.host, self.temporary = host, temporary


class RedirectError(LinkFailure):
    """A redirect chain that cannot be followed: a loop, too many hops, no Location."""


class RequestTimeout(LinkFailure):
    """One request (headers and body) took longer than --timeout."""


class DecodeError(LinkFailure):
    """A Content-Encoding we cannot undo."""


class ReplayMissError(LinkFailure):
    """A replayed audit asked for a URL its WARCs do not hold."""
