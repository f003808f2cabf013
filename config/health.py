"""/healthz: the state of the database, Redis and the attention worker, as JSON.

Answers 200 while the web tier can serve lessons and quizzes (database up); Redis or the worker
being down degrades only the lab, so they are reported but do not fail the check.
"""
import time

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app as celery_app


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        detail = check()
        state = {"ok": True, **(detail or {})}
    except Exception as error:  # any failure is a reportable state, never a 500
        state = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    state["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return state


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _redis() -> dict:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)
    client.ping()
    return {}


def _worker() -> dict:
    replies = celery_app.control.ping(timeout=0.5)
    if not replies:
        raise RuntimeError("no Celery worker answered within 0.5 s")
    return {"workers": sorted(name for reply in replies for name in reply)}


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    database = _timed(_database)
    redis_state = _timed(_redis)
    # Pinging workers needs the broker; skip the wait when Redis is known to be down.
    worker = _timed(_worker) if redis_state["ok"] else {"ok": False, "error": "Redis is down", "ms": 0.0}
    status = "ok" if database["ok"] and redis_state["ok"] and worker["ok"] else ("degraded" if database["ok"] else "down")
    body = {"status": status, "database": database, "redis": redis_state, "worker": worker}
    return JsonResponse(body, status=200 if database["ok"] else 503)
