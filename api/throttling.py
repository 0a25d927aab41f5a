"""Issue 12: per-token rate limits. Each token allows ``ApiToken.rate_per_minute`` requests a
minute; the portal's own pages (session users) share a generous default
(``API_SESSION_RATE_PER_MINUTE``). Counted in the Django cache (Redis in production, shared by
every web process) with one atomic INCR per request (one round trip: core.counters) in a fixed
one-minute window — DRF's SimpleRateThrottle keeps a list of timestamps per client and rewrites it on every request, which
is neither atomic across processes nor cheap at 600 requests a minute. Over the limit: 429 with
``Retry-After`` (the seconds left in the window) and the one error shape."""
from __future__ import annotations

import math
import time

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from core.counters import cache_count

from .models import ApiToken

WINDOW_SECONDS = 60


def session_rate_per_minute() -> int:
    return getattr(settings, "API_SESSION_RATE_PER_MINUTE", 1200)


class TokenRateThrottle(BaseThrottle):
    def __init__(self):
        self._wait: float | None = None

    def _identity(self, request) -> tuple[str, int] | None:
        token = request.auth
        if isinstance(token, ApiToken):
            return f"token:{token.pk}", token.rate_per_minute
        user = request.user
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}", session_rate_per_minute()
        # Anonymous callers reach only the public description and documentation (the data routes
        # refuse them before any work): counted per client address at the session users' rate, so
        # rebuilding the description cannot be asked for without limit.
        from portal.client_address import client_address

        address = client_address(getattr(request, "_request", request))
        return (f"address:{address}", session_rate_per_minute()) if address else None

    def allow_request(self, request, view) -> bool:
        identity = self._identity(request)
        if identity is None:
            return True
        ident, limit = identity
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        count = cache_count(f"api-rate:{ident}:{window}", WINDOW_SECONDS * 2)
        if count <= limit:
            return True
        self._wait = (window + 1) * WINDOW_SECONDS - now
        return False

    def wait(self) -> float | None:
        return None if self._wait is None else max(1, math.ceil(self._wait))
