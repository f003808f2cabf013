"""A rate limit on the lab's endpoints, per user (or per IP for visitors): ATTENTION_RATE, e.g. 300/min.

Debounced typing sends a few requests a second at most, so a learner never meets it; a script
hammering the worker does. A sliding window in the lab's Redis, checked and counted in one round
trip (the update endpoint pays it on every keystroke); if Redis is down the limit lapses, and the
lab answers 503 anyway.
"""

from __future__ import annotations

import time
import uuid

import redis
from django.conf import settings
from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle

from attention_lab import jobs
from config.client_address import client_address

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

# KEYS[1]: the times of this client's recent requests (a sorted set).
# ARGV: now, window (s), limit, a unique member. Returns false (allowed, counted) or the seconds to wait.
_SLIDING_WINDOW = """
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call("ZCARD", KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = tonumber(redis.call("ZRANGE", KEYS[1], 0, 0, "WITHSCORES")[2])
  return tostring(oldest + tonumber(ARGV[2]) - tonumber(ARGV[1]))
end
redis.call("ZADD", KEYS[1], ARGV[1], ARGV[4])
redis.call("EXPIRE", KEYS[1], math.ceil(tonumber(ARGV[2])))
return false
"""


def rate_key(ident: str) -> str:
    return f"{jobs.prefix()}:rate:{ident}"


def _rate() -> tuple[int, int]:
    """ATTENTION_RATE as (requests, seconds): "300/min" -> (300, 60)."""
    count, period = settings.ATTENTION_RATE.split("/")
    return int(count), _PERIODS[period.strip()[0]]


def rate_limit_wait(*, ident: str) -> float | None:
    """Count one request for `ident`: None when allowed, else the seconds until it would be."""
    limit, window = _rate()
    try:
        wait = jobs.script(_SLIDING_WINDOW)(keys=[rate_key(ident)], args=[time.time(), window, limit, uuid.uuid4().hex])
    except redis.RedisError:
        return None
    return None if wait is None else max(float(wait), 0.001)


class LabRateThrottle(BaseThrottle):
    """The same allowance for DRF views (POST /api/attention/)."""

    def allow_request(self, request, view) -> bool:
        self._wait = rate_limit_wait(ident=_ident(request))
        return self._wait is None

    def wait(self) -> float | None:
        return self._wait


def _ident(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user-{user.pk}"
    return f"ip-{client_address(request)}"  # the same address the login lock-out sees (NUM_PROXIES)


def lab_throttle_wait(*, request: HttpRequest) -> float | None:
    """For plain Django views (the lab page's update endpoint): None when allowed, else the seconds
    to wait. Shares counters with the API, so the two endpoints draw from one allowance."""
    return rate_limit_wait(ident=_ident(request))


def throttled_message(wait: float | None) -> str:
    return f"Too many attention requests: the limit is {settings.ATTENTION_RATE}. Try again in {max(1, round(wait or 1))} s."
