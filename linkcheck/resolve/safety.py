"""Which addresses linkcheck refuses to contact, and the network backend that
enforces it at connection time.

The check runs on the addresses a host name actually resolves to, when the
connection is made, for every hop: a public name that resolves inward (DNS
rebinding) or a public URL that redirects to 169.254.169.254 are both caught.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable

import httpcore

from linkcheck.errors import DnsError, PrivateAddressError  # noqa: F401
from linkcheck.resolve.netio import open_stream


def forbidden_reason(address: str) -> str | None:
    """Why an IP address is off limits by default, or None if it is public."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if not ip.is_global:
        return "not globally routable"
    return None


def literal_forbidden(host: str) -> str | None:
    """For a host written as an IP literal, why it is refused (no DNS needed)."""
    host = host.strip("[]")
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return "loopback" if host.lower() in ("localhost",) or host.lower().endswith(
            ".localhost") else None
    return forbidden_reason(host)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves the host itself, refuses forbidden addresses, then connects
    to the checked address (TLS still verifies and sends SNI for the name)."""

    def __init__(self, allow_private: bool = False):
        self.allow_private = allow_private

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable | None = None) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            infos = await asyncio.wait_for(
                loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout)
        except socket.gaierror as exc:
            # EAI_AGAIN is a resolver that could not answer now, not a name that does not exist
            raise DnsError(host, exc.strerror or str(exc),
                           temporary=exc.errno == socket.EAI_AGAIN) from None
        except TimeoutError:
            raise DnsError(host, "timed out", temporary=True) from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        allowed = []
        refused: tuple[str, str] | None = None
        for address in addresses:
            why = None if self.allow_private else forbidden_reason(address)
            if why:
                refused = refused or (address, why)
            else:
                allowed.append(address)
        if not allowed:
            if refused:
                raise PrivateAddressError(host, *refused)
            raise DnsError(host, "no addresses")
        last_exc: Exception | None = None
        for address in allowed:
            try:
                return await open_stream(address, port, timeout, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_exc = exc
        assert last_exc is not None
        raise last_exc

    async def connect_unix_socket(self, *args, **kwargs):  # pragma: no cover - unused
        raise httpcore.ConnectError("unix sockets are not supported")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
