"""A rate limit on the lab's endpoints, per user (or per IP for visitors): ATTENTION_RATE, e.g. 300/min.

Debounced typing sends a few requests a second at most, so a learner never meets it; a script
hammering the worker does. Counters live in the Django cache (Redis); if Redis is down the limit
lapses, and the lab answers 503 anyway.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from rest_framework.throttling import SimpleRateThrottle


class LabRateThrottle(SimpleRateThrottle):
    scope = "attention"

    def get_rate(self) -> str:
        return settings.ATTENTION_RATE

    def get_cache_key(self, request, view) -> str:
        user = getattr(request, "user", None)
        ident = f"user-{user.pk}" if user is not None and user.is_authenticated else f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


def lab_throttle_wait(*, request: HttpRequest) -> float | None:
    """For plain Django views (the lab page's update endpoint): None when allowed, else the seconds
    to wait. Shares counters with the API, so the two endpoints draw from one allowance."""
    throttle = LabRateThrottle()
    if throttle.allow_request(request, None):
        return None
    return throttle.wait() or 1.0


def throttled_message(wait: float | None) -> str:
    return f"Too many attention requests: the limit is {settings.ATTENTION_RATE}. Try again in {max(1, round(wait or 1))} s."
