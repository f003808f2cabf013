"""Log-in lock-out policy on top of django-axes: one throttle for every path that checks a password.

Axes counts failures per (username, client address) pair, so guessing from one place never locks the
account's owner out elsewhere. The cool-off grows while the guessing goes on: FAILURE_LIMIT failures
lock the pair for BASE_COOL_OFF, and each further failure during the lock doubles it, up to MAX_COOL_OFF.
The answer names the wait: a page for people, JSON 429 with Retry-After for API clients.
"""
from __future__ import annotations

import math
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

FAILURE_LIMIT = 5
BASE_COOL_OFF = timedelta(minutes=5)
MAX_COOL_OFF = timedelta(hours=24)
USERNAME_CHARS = AccessAttempt._meta.get_field("username").max_length


def client_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the username as sent, made storable in axes' records.

    A username is whatever a client types or puts in a Basic header: 300 characters or a NUL would
    make axes' own insert fail on PostgreSQL (a 500 instead of a refusal). No account has such a name,
    so cutting it to the column's length (and NUL to U+FFFD) keys its lock no worse.
    """
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "data", request.POST).get("username")
    if not isinstance(username, str):
        return username
    return username.replace("\x00", "\ufffd")[:USERNAME_CHARS]


def _pair_attempts(request: HttpRequest):
    return AccessAttempt.objects.filter(
        username=getattr(request, "axes_username", None), ip_address=getattr(request, "axes_ip_address", None)
    )


def cool_off(request: HttpRequest | None) -> timedelta:
    """AXES_COOLOFF_TIME: how long this (username, address) pair stays locked, growing with its failures."""
    if request is None or not hasattr(request, "axes_username"):
        return BASE_COOL_OFF
    failures = _pair_attempts(request).aggregate(total=Sum("failures_since_start"))["total"] or 0
    doublings = min(max(failures - FAILURE_LIMIT, 0), 16)
    return min(BASE_COOL_OFF * (2**doublings), MAX_COOL_OFF)


class PairLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, told the username first so that the cool-off can be the pair's own."""

    def is_allowed(self, request, credentials=None) -> bool:
        request.axes_username = get_client_username(request, credentials)
        return super().is_allowed(request, credentials)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is not None:
            request.axes_username = get_client_username(request, credentials)
        return super().user_login_failed(sender, credentials, request, **kwargs)


def seconds_to_wait(request: HttpRequest) -> int:
    """Seconds until the pair's lock lapses (at least 1)."""
    attempt = _pair_attempts(request).select_related("expiration").order_by("-attempt_time").first()
    expires_at = getattr(getattr(attempt, "expiration", None), "expires_at", None)
    if expires_at is None:
        return int(cool_off(request).total_seconds())
    return max(1, math.ceil((expires_at - timezone.now()).total_seconds()))


def wait_in_words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        return f"{minutes} minutes"
    return f"{math.ceil(minutes / 60)} hours"


def lockout_message(request: HttpRequest) -> str:
    return (
        "Too many failed log-in attempts for this account from your address. "
        f"Try again in {wait_in_words(seconds_to_wait(request))}, or reset your password."
    )


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: 429 with the wait, as JSON for API clients and as a page for people."""
    wait = seconds_to_wait(request)
    message = lockout_message(request)
    if wants_json(request):
        response = JsonResponse({"detail": message, "retry_after": wait}, status=429)
    else:
        response = render(request, "429.html", {"reason": message}, status=429)
    response["Retry-After"] = str(wait)
    return response
