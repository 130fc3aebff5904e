"""The client's IP address, as every rate limit, lockout and audit record should see it.

``X-Forwarded-For`` is a header anyone can send: read as is, it lets a client choose its own address
and escape every per-address limit by sending a new one with each request. So the address is the
socket's (``REMOTE_ADDR``) unless the socket peer is one of our own reverse proxies
(``TRUSTED_PROXIES``: addresses or CIDR networks). Then ``X-Forwarded-For`` is read from the right,
where our proxies append what they saw:

* ``TRUSTED_PROXY_COUNT`` = n > 0: the n-th address from the right is the client (n proxies in front
  of the application, each appending its peer — nginx's ``$proxy_add_x_forwarded_for``);
* otherwise: skip the addresses that are themselves trusted proxies; the first one that is not is
  the client.

Whatever a client wrote itself stands to the left of what our proxies appended and is never used.
docs/operations.md shows the gunicorn and nginx setup; docs/security.md the tests.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def trusted_proxies() -> tuple[Network, ...]:
    """``settings.TRUSTED_PROXIES`` parsed (a list, or a comma-separated string, of addresses/CIDRs)."""
    value = getattr(settings, "TRUSTED_PROXIES", ()) or ()
    if isinstance(value, str):
        value = value.split(",")
    return _networks(tuple(value))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:1234"
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.5:1234"
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    parsed = _address(address)
    return parsed is not None and any(parsed in network for network in trusted_proxies())


def client_ip(request) -> str:
    """The client's address for ``request`` (a Django or DRF request): see the module docstring."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not is_trusted_proxy(remote):
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if not forwarded:
        return remote
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count > 0:
        candidate = forwarded[-min(count, len(forwarded))]
    else:
        candidate = next((hop for hop in reversed(forwarded) if not is_trusted_proxy(hop)), forwarded[0])
    parsed = _address(candidate)
    # An entry our proxy appended is always an address; anything else means a misconfigured chain.
    return str(parsed) if parsed is not None else remote
