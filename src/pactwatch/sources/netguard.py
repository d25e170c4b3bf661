"""The SSRF guard: pactwatch connects only to public internet addresses.

A URL from a feed or a user must not make us read the cloud metadata service
(169.254.169.254), a database on localhost or a printer on the office network. Two
pieces enforce this:

- ``check_url`` validates a URL before each request and before each redirect target:
  the scheme is http or https, there are no credentials, and every address the host
  resolves to is public (``is_public_address``).
- ``GuardedTransport`` is httpx's own transport whose connection pool connects through
  ``GuardedNetworkBackend``: at connect time it resolves the host itself, checks every
  address, and opens the socket to one of the addresses it checked. The name is never
  resolved again after the check, so DNS rebinding (a name that answers a public
  address to the check and a private one to the connect) cannot slip through. TLS still
  verifies the certificate against the host name, since httpcore takes SNI from the URL.

``allow_private=True`` lifts the address rule (for a newsroom's intranet, or a test
server on 127.0.0.1); the scheme and credential rules still hold. Proxies from the
environment are ignored (``trust_env=False``): through a proxy we could not see where a
name leads.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from typing import Any

import httpcore
import httpx

from pactwatch.errors import BlockedAddress, FetchError, UnsupportedInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

Resolver = Callable[[str, int], list[str]]
"""``(host, port) -> IP address strings``; raises ``FetchError`` (reason ``dns_failed``)."""

ALLOWED_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}

# IPv6 forms that carry an IPv4 address a gateway will connect to for us.
_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the order the system gives them."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"{host}: the name does not resolve ({exc})", reason="dns_failed") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public_address(address: IPAddress) -> bool:
    """True when ``address`` is a global unicast address we may connect to.

    Refused: loopback, private, link-local, multicast, reserved, unspecified
    (0.0.0.0, ::), shared (100.64/10) and every other non-global range. An IPv6 address
    that embeds an IPv4 one (IPv4-mapped, NAT64, 6to4) is judged by the IPv4 address
    too, since that is where the packets end up.
    """
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public_address(address.ipv4_mapped)
        if address in _NAT64_WELL_KNOWN:
            return is_public_address(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if address.sixtofour is not None and not is_public_address(address.sixtofour):
            return False
    # is_global alone lets multicast through on Python 3.11, hence the explicit list.
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_unspecified
    )


def _kind_of(address: IPAddress) -> str:
    """A word for why an address is refused, for the user's one-line message."""
    for kind in ("loopback", "unspecified", "link_local", "multicast", "private", "reserved"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    return "non-public"


def _resolve(host: str, port: int, resolver: Resolver) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass  # not a literal address: a name to resolve
    answers = resolver(host, port)
    if not answers:
        raise FetchError(f"{host}: the name resolves to no address", reason="dns_failed")
    try:
        return [ipaddress.ip_address(answer) for answer in answers]
    except ValueError as exc:
        raise FetchError(
            f"{host}: the resolver gave a non-address ({exc})", reason="dns_failed"
        ) from exc


def resolve_checked(
    host: str, port: int, *, allow_private: bool, resolver: Resolver
) -> list[IPAddress]:
    """The addresses of ``host``, all of them public unless ``allow_private``.

    A literal IP host is used as it is; any other name goes to ``resolver`` (which is
    also how legacy numeric forms such as ``2130706433`` become 127.0.0.1). Raises
    ``BlockedAddress`` (``private_address``) if ANY address is refused: a name with one
    public and one private address is refused, since we cannot choose which one a later
    connect would use. Raises ``FetchError`` (``dns_failed``) when nothing resolves.
    """
    addresses = _resolve(host, port, resolver)
    if not allow_private:
        for address in addresses:
            if not is_public_address(address):
                raise BlockedAddress(
                    f"{host} resolves to {address}, a {_kind_of(address)} address; "
                    "set allow_private to fetch such addresses",
                    reason="private_address",
                )
    return addresses


def check_url(url: str, *, allow_private: bool, resolver: Resolver = system_resolver) -> None:
    """Refuse ``url`` unless pactwatch may fetch it; return None when it may.

    Raises ``UnsupportedInput`` with reason ``unsupported_scheme`` (not http/https) or
    ``bad_url`` (unparseable, credentials in the URL, no host), and the errors of
    ``resolve_checked``. The URL is parsed by httpx, the same parser that will send it,
    so the checked host is the host we connect to. With ``allow_private`` nothing is
    resolved here.
    """
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise UnsupportedInput(f"{url}: not a valid URL ({exc})", reason="bad_url") from exc
    if parsed.scheme not in ALLOWED_SCHEMES:
        scheme = parsed.scheme or "no scheme"
        raise UnsupportedInput(
            f"{url}: only http and https URLs are fetched, not {scheme}",
            reason="unsupported_scheme",
        )
    if parsed.userinfo:
        raise UnsupportedInput(f"{url}: URLs with credentials are refused", reason="bad_url")
    if not parsed.raw_host:
        raise UnsupportedInput(f"{url}: the URL has no host", reason="bad_url")
    if allow_private:
        return
    port = parsed.port or DEFAULT_PORTS[parsed.scheme]
    # raw_host is the IDNA (punycode) form, the one httpcore hands to the connect.
    resolve_checked(parsed.raw_host.decode("ascii"), port, allow_private=False, resolver=resolver)


class GuardedNetworkBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to addresses ``resolve_checked`` passed."""

    def __init__(self, *, allow_private: bool, resolver: Resolver) -> None:
        super().__init__()
        self._allow_private = allow_private
        self._resolver = resolver

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = resolve_checked(
            host, port, allow_private=self._allow_private, resolver=self._resolver
        )
        last_error: Exception = httpcore.ConnectError(f"{host}: no address to connect to")
        for address in addresses:
            try:
                return super().connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        raise last_error


class GuardedTransport(httpx.HTTPTransport):
    """httpx's HTTP transport whose connections go through ``GuardedNetworkBackend``."""

    def __init__(self, *, allow_private: bool, resolver: Resolver = system_resolver) -> None:
        super().__init__(trust_env=False)
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
        # httpx 0.28 takes no network backend, so we replace the pool it built with an
        # equal one that has ours; httpx's exception mapping and streaming stay in use.
        # The real-server test in tests/test_sources_fetch.py fails if this stops working.
        self._pool.close()
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedNetworkBackend(allow_private=allow_private, resolver=resolver),
        )
