"""Abuse protection of the public forms that write records (the tip-off form).

A per-client rate limit reuses Django REST framework's throttle (the same cache-backed sliding
window, and the same client address, ``reemployment.core.network.client_ip``: the socket's unless a
trusted proxy forwarded the request, as the public API's ``PublicThrottle``), so that one client cannot flood the caseworkers' queue. Bots that fill every
field are caught by a honeypot field (``cms.forms.TipOffForm.HONEYPOT``).
"""

from __future__ import annotations

import logging
import math

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from reemployment.core.network import client_ip

# Tip-offs accepted per client (a login, else the IP address) and period. A person reporting
# several households stays well below it; people behind one carrier NAT share it.
DEFAULT_TIP_OFF_RATE = "10/hour"

logger = logging.getLogger(__name__)


class TipOffThrottle(SimpleRateThrottle):
    """Submissions of the tip-off form per client: ``PORTAL_TIP_OFF_RATE`` (default 10/hour)."""

    scope = "portal_tip_off"

    def get_rate(self) -> str | None:
        return getattr(settings, "PORTAL_TIP_OFF_RATE", DEFAULT_TIP_OFF_RATE)

    def get_ident(self, request) -> str:
        return client_ip(request)  # never a forged X-Forwarded-For

    def get_cache_key(self, request, view) -> str:
        user = getattr(request, "user", None)
        ident = f"user-{user.pk}" if user is not None and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def wait_minutes(self) -> int:
        return max(1, math.ceil((self.wait() or 0) / 60))


def tip_off_allowed(request) -> tuple[bool, int]:
    """Record one submission of ``request``'s client; returns (allowed, minutes to wait if not).

    If the cache is down the tip-off is let through (and logged): losing a report is worse than
    missing a count."""
    throttle = TipOffThrottle()
    try:
        if throttle.allow_request(request, None):
            return True, 0
    except Exception:  # any cache backend error
        logger.warning("tip-off rate limit unavailable (cache error): request let through", exc_info=True)
        return True, 0
    return False, throttle.wait_minutes()
