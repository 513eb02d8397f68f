"""Refuse to fetch internal addresses: loopback, private, link-local, multicast, cloud metadata.

A feed entry, a redirect or a user's /add can point anywhere, and whatever we fetch becomes
searchable. The check runs where it cannot be dodged: in the connection layer, on the addresses
the host name actually resolves to, for the first request and for every redirect alike (so
``http://2130706433/``, ``http://0177.0.0.1/``, ``[::ffff:127.0.0.1]`` and a name that resolves
to 10.0.0.5 are all caught, and the connection goes to the address that was checked).
``BRIEFBOT_FETCH_ALLOW`` (host names or CIDRs) lifts the rule for a self-hosted setup or tests.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import socket
import ssl
import typing
from collections.abc import Iterable
from dataclasses import dataclass

import httpcore
import httpx

__all__ = ["AddressPolicy", "BlockedAddress", "guarded_transport"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Cloud metadata services that sit on otherwise public-looking or private addresses.
_METADATA = (
    ipaddress.ip_network("169.254.169.254/32"),
    ipaddress.ip_network("100.100.100.200/32"),
    ipaddress.ip_network("fd00:ec2::254/128"),
)


class BlockedAddress(Exception):
    """A fetch refused because the host is (or resolves to) an internal address."""


def why_blocked(ip: IPAddress) -> str:
    """Why ``ip`` must not be fetched ("" when it is an ordinary public address)."""
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if mapped is not None:
            reason = why_blocked(mapped)
            if reason:
                return reason
    if any(ip in net for net in _METADATA):
        return "a cloud metadata address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_private or not ip.is_global:
        return "a private or reserved address"
    return ""


@dataclass(frozen=True)
class AddressPolicy:
    """Which hosts may be fetched: every public address, plus ``allow`` (names and CIDRs)."""

    allow_hosts: frozenset[str] = frozenset()
    allow_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_allow(cls, allow: Iterable[str]) -> AddressPolicy:
        """Build from entries like ``localhost``, ``127.0.0.1``, ``10.0.0.0/8``, ``::1``."""
        hosts: set[str] = set()
        nets: list[IPNetwork] = []
        for raw in allow:
            entry = raw.strip().strip("[]").lower().rstrip(".")
            if not entry:
                continue
            try:
                nets.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry)
        return cls(frozenset(hosts), tuple(nets))

    def refusal(self, host: str, ip: IPAddress) -> str:
        """A one-line reason to refuse connecting to ``ip`` for ``host`` ("" = allowed)."""
        if host.lower().rstrip(".") in self.allow_hosts:
            return ""
        if any(ip in net for net in self.allow_networks if net.version == ip.version):
            return ""
        reason = why_blocked(ip)
        if not reason:
            return ""
        shown = host if host == str(ip) else f"{host} ({ip})"
        return f"refused to fetch {shown}: {reason} (BRIEFBOT_FETCH_ALLOW lifts this)"


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves host names itself, checks every address, connects to a checked one."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Connect to the first allowed address of ``host``; raise BlockedAddress if none."""
        target = host.strip("[]")
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                target, port, type=socket.SOCK_STREAM
            )
        except (socket.gaierror, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from None
        refusals = []
        for family, _type, _proto, _name, sockaddr in infos:
            if family not in (socket.AF_INET, socket.AF_INET6):
                continue
            ip = ipaddress.ip_address(str(sockaddr[0]).partition("%")[0])
            refusal = self.policy.refusal(target, ip)
            if refusal:
                refusals.append(refusal)
                continue
            return await self.inner.connect_tcp(
                str(ip), port, timeout, local_address, socket_options
            )
        raise BlockedAddress(refusals[0] if refusals else f"cannot resolve {host}")

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Unix sockets are never fetched."""
        raise BlockedAddress("refused to fetch through a Unix socket")

    async def sleep(self, seconds: float) -> None:
        """Delegate to the default backend."""
        await self.inner.sleep(seconds)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context per process: loading the CA bundle costs 30-100 ms of CPU,
    which every /add and poll round would otherwise spend on the event loop."""
    return httpx.create_ssl_context(trust_env=False)


def guarded_transport(policy: AddressPolicy, limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose every connection passes ``policy``."""
    context = _ssl_context()
    transport = httpx.AsyncHTTPTransport(verify=context, limits=limits, trust_env=False)
    # httpx builds its pool without a way to pass a network backend: rebuild it with ours.
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=_GuardedBackend(policy),
    )
    return transport
