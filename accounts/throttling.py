"""Login throttling: after repeated failures for one username (or from one address), logins pause.

Counters live in the cache (Redis). If Redis is down the cache answers nothing and logins are not
throttled: we prefer letting learners in over locking everyone out during an outage.
"""
from django.core.cache import cache
from django.http import HttpRequest

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


def _keys(username: str, request: HttpRequest | None) -> list[str]:
    keys = [f"login-failures:user:{username.strip().lower()}"]
    if request is not None:
        keys.append(f"login-failures:ip:{request.META.get('REMOTE_ADDR', '')}")
    return keys


def login_is_throttled(*, username: str, request: HttpRequest | None) -> bool:
    counts = cache.get_many(_keys(username, request))
    user_key, *ip_key = _keys(username, request)
    # An address gets more room than one username: a classroom may share one public IP.
    return counts.get(user_key, 0) >= MAX_FAILURES or any(counts.get(key, 0) >= MAX_FAILURES * 4 for key in ip_key)


def login_failure_record(*, username: str, request: HttpRequest | None) -> None:
    for key in _keys(username, request):
        if cache.add(key, 1, timeout=WINDOW_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=WINDOW_SECONDS)


def login_success_record(*, username: str) -> None:
    cache.delete(f"login-failures:user:{username.strip().lower()}")
