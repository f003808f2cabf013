"""What `make run`'s supervisor (bin/run-platform) tells the web process about the attention worker.

When the worker dies, the supervisor marks it "restarting" in Redis for as long as the restart may
take; the lab's endpoints then say so instead of a bare "not answering". The mark expires on its own,
so nothing needs to clear it when the worker is back. Run as a script by the supervisor:
    python -m config.supervision restarting <seconds>    |    python -m config.supervision clear
"""
from __future__ import annotations

import os
import sys

import redis

RESTARTING_MESSAGE = "The attention worker stopped and is restarting: your text is kept; try again in a few seconds."


def _key(prefix: str) -> str:
    return f"{prefix}:worker-restarting"


def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)


def worker_is_restarting() -> bool:
    """Asked by the lab's views only after the worker failed to answer, so it costs nothing otherwise."""
    from django.conf import settings

    try:
        return bool(_client(settings.REDIS_URL).exists(_key(settings.ATTENTION_REDIS_PREFIX)))
    except redis.RedisError:
        return False


def worker_unavailable_message(default: str) -> str:
    return RESTARTING_MESSAGE if worker_is_restarting() else default


def main(argv: list[str]) -> int:
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    key = _key(os.environ.get("ATTENTION_REDIS_PREFIX", "attn"))
    try:
        if argv[:1] == ["restarting"]:
            _client(url).set(key, "1", ex=max(1, int(argv[1])))
        elif argv[:1] == ["clear"]:
            _client(url).delete(key)
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except redis.RedisError:
        return 1  # no Redis: the lab says "unavailable" anyway
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
