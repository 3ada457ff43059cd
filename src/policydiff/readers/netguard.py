"""The network guard of ``fetch``: public addresses only, one deadline for the whole download.

Why a network backend and not a check of the URL: a host name may resolve to a public address when it
is checked and to ``127.0.0.1`` when the connection is made (DNS rebinding), and a redirect or an
attachment link may point anywhere. So the check sits where the connection is made: httpcore asks the
backend for a TCP connection to (host, port); the guard resolves the host once, refuses it when *any*
of its addresses is not public, and connects to the addresses it checked, never resolving again. The
URL, the ``Host`` header and TLS (SNI and certificate names) are untouched, because httpcore keeps
using the host name above this layer.

The same streams carry the deadline: every connect, TLS handshake, write and read waits at most until
the one deadline of the download, so a server sending its headers (or body) a byte every two seconds
cannot hold the command past ``--timeout``; httpx's own timeouts bound each wait, not the sum.

Imported only when something is downloaded (httpx and httpcore cost import time).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
"""The well-known NAT64 prefix: its last 32 bits are an IPv4 address, checked as that address."""


class AddressRefused(Exception):
    """A host resolves to an address that is not public (and private addresses are not allowed)."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        super().__init__(f"{host} resolves to {address}, a {kind} address")
        self.host = host
        self.address = address
        self.kind = kind


class DeadlineExpired(httpcore.TimeoutException):
    """The download's one deadline passed (an httpcore timeout, so httpx reports it as one)."""


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries: IPv4-mapped, 6to4, NAT64 or Teredo's client."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def address_kind(ip: IPAddress) -> str | None:
    """None for a public unicast address; otherwise what it is ("loopback", "private", …).

    ``is_global`` follows the IANA special-purpose registries (it excludes 100.64/10, 192.0.0/24,
    documentation ranges …); the named checks come first so that the refusal says what was found.
    IPv6 forms that carry an IPv4 address (``::ffff:127.0.0.1``, ``2002:7f00:1::``, NAT64, Teredo)
    are judged by that IPv4 address, where the packets end up.

    >>> [address_kind(ipaddress.ip_address(a)) for a in ("93.184.216.34", "127.0.0.1", "::ffff:10.0.0.1",
    ...                                                   "169.254.169.254", "0.0.0.0", "224.0.0.1", "100.64.0.1")]
    [None, 'loopback', 'private', 'link-local', 'unspecified', 'multicast', 'non-public']
    """
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return "link-local"
        inner = _embedded_ipv4(ip)
        if inner is not None:  # the IPv4 address is where the packets end up
            return address_kind(inner)
    for kind, flag in (("unspecified", ip.is_unspecified), ("loopback", ip.is_loopback),
                       ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
                       ("private", ip.is_private), ("reserved", ip.is_reserved)):
        if flag:
            return kind
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "site-local"
    return None if ip.is_global else "non-public"


class Guard(httpcore.NetworkBackend):
    """Connects only to checked addresses, and bounds every wait by one deadline (see the module)."""

    def __init__(self, deadline: float, *, allow_private: bool = False) -> None:
        self.deadline = deadline
        self.allow_private = allow_private
        self.expired = False
        """Set when the deadline (not a single wait) ended the download."""
        self._backend = httpcore.SyncBackend()

    def left(self, timeout: float | None) -> float:
        """Seconds the next wait may take: the smaller of its own timeout and what the deadline leaves."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            self.expired = True
            raise DeadlineExpired("the download's deadline passed")
        return remaining if timeout is None else min(timeout, remaining)

    def resolve(self, host: str, port: int, timeout: float | None) -> list[str]:
        """The host's addresses, each checked; resolution itself is bounded by the deadline."""
        result: list[Any] = []
        error: list[BaseException] = []

        def lookup() -> None:
            try:
                result.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
            except OSError as exc:
                error.append(exc)

        worker = threading.Thread(target=lookup, name="policydiff-dns", daemon=True)
        worker.start()
        worker.join(self.left(timeout))
        if worker.is_alive():
            self.expired = self.deadline <= time.monotonic()
            raise httpcore.ConnectTimeout(f"no address for {host} in time")
        if error:
            raise httpcore.ConnectError(f"cannot resolve {host} ({error[0]})")
        addresses = list(dict.fromkeys(str(info[4][0]) for info in result))
        if not addresses:
            raise httpcore.ConnectError(f"cannot resolve {host}")
        if not self.allow_private:
            for address in addresses:
                kind = address_kind(ipaddress.ip_address(address))
                if kind is not None:
                    raise AddressRefused(host, address, kind)
        return addresses

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        last: Exception | None = None
        for address in self.resolve(host, port, timeout):
            try:
                stream = self._backend.connect_tcp(address, port, self.left(timeout), local_address, socket_options)
            except httpcore.ConnectError as exc:  # refused or unreachable: the next checked address
                last = exc
                continue
            return _Stream(stream, self)
        raise last or httpcore.ConnectError(f"cannot connect to {host}")

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("policydiff does not fetch over Unix sockets")

    def sleep(self, seconds: float) -> None:
        time.sleep(min(seconds, max(0.0, self.deadline - time.monotonic())))


class _Stream(httpcore.NetworkStream):
    """A connection whose every wait ends by the guard's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, guard: Guard) -> None:
        self._inner = inner
        self._guard = guard

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._guard.left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._guard.left(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, self._guard.left(timeout)), self._guard)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


def transport(guard: Guard) -> httpx.HTTPTransport:
    """An httpx transport whose connections go through ``guard`` (no proxies, no environment).

    httpx takes no network backend, so the transport's connection pool is replaced by one built with
    the guard; a test (``test_security_readers``) proves that every connection passes through it.
    """
    tr = httpx.HTTPTransport(trust_env=False)
    pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(trust_env=False), network_backend=guard,
                                   max_connections=4, retries=0)
    if not hasattr(tr, "_pool"):  # pragma: no cover - an httpx that changed its internals
        raise RuntimeError("this httpx version cannot be guarded; pin httpx < 1.0")
    tr._pool = pool
    return tr
