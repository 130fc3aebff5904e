"""The client's address (reemployment.core.network.client_ip): the socket's, unless a trusted proxy
forwarded the request; a client's own X-Forwarded-For never counts."""

import pytest
from django.test import RequestFactory

from reemployment.core.network import client_ip


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(("proxies", "count", "remote", "forwarded", "expected"), [
    # No trusted proxy configured: X-Forwarded-For is ignored whatever it says.
    ([], 0, "198.51.100.7", "1.2.3.4", "198.51.100.7"),
    ([], 1, "198.51.100.7", "1.2.3.4", "198.51.100.7"),
    # The request did not come through our proxy: a forged header from outside is ignored.
    (["10.0.0.5"], 0, "198.51.100.7", "1.2.3.4", "198.51.100.7"),
    # Through nginx at 10.0.0.5, which appends the peer it saw: a forged first entry is skipped.
    (["10.0.0.5"], 0, "10.0.0.5", "1.2.3.4, 198.51.100.7", "198.51.100.7"),
    (["10.0.0.5"], 0, "10.0.0.5", "198.51.100.7", "198.51.100.7"),
    # Two proxies of ours (load balancer 10.0.1.9 → nginx 10.0.0.5), given as a network: walk past both.
    (["10.0.0.0/16"], 0, "10.0.0.5", "1.2.3.4, 198.51.100.7, 10.0.1.9", "198.51.100.7"),
    # By count: two proxies in front, the second address from the right is the client's.
    (["10.0.0.5"], 2, "10.0.0.5", "1.2.3.4, 198.51.100.7, 10.0.1.9", "198.51.100.7"),
    (["10.0.0.5"], 1, "10.0.0.5", "1.2.3.4, 198.51.100.7", "198.51.100.7"),
    # Fewer entries than proxies: the leftmost one.
    (["10.0.0.5"], 3, "10.0.0.5", "198.51.100.7", "198.51.100.7"),
    # Every entry is a proxy of ours: the leftmost (the first proxy's own peer).
    (["10.0.0.0/8"], 0, "10.0.0.5", "10.1.2.3, 10.0.0.6", "10.1.2.3"),
    # Through the proxy without the header: the proxy's own address.
    (["10.0.0.5"], 0, "10.0.0.5", None, "10.0.0.5"),
    # Junk where our proxy should have written an address: the socket's address, never the junk.
    (["10.0.0.5"], 0, "10.0.0.5", "1.2.3.4, not-an-address", "10.0.0.5"),
    # IPv6 proxy and client, with a port.
    (["::1", "fd00::/8"], 0, "::1", "2001:db8::1, [2001:db8::2]:443", "2001:db8::2"),
    (["127.0.0.1"], 0, "127.0.0.1", "203.0.113.9:51234", "203.0.113.9"),
])
def test_client_ip(settings, proxies, count, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(_request(remote, forwarded)) == expected


def test_trusted_proxies_from_a_comma_separated_string(settings):
    settings.TRUSTED_PROXIES = "10.0.0.5, 10.0.1.0/24"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("10.0.1.7", "198.51.100.7, 10.0.0.5")) == "198.51.100.7"


def test_axes_uses_the_same_address(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXIES = []
    assert get_client_ip_address(_request("198.51.100.7", "1.2.3.4")) == "198.51.100.7"
