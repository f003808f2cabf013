"""The worker's one way in: a thread that takes jobs off the Redis `pending` list the moment they land.

Every lab job reaches the worker this way (issue 14, "one path"). A Celery message per keystroke
used to be the other way in; measured side by side it cost the web side ~1.8 ms more CPU and Redis
~0.5 ms more per job, and its round trips were slower (bench/README.md, 6 Dec), so it was removed.
The worker is still the Celery worker on queue "attention": its start, model loading, health pings
and scaling (`--scale worker=N`: BLPOP hands each job to exactly one listener) stay Celery's.

The listener only waits; the batch itself runs on the worker's main thread (handed over through
Celery's event loop, which a thread may wake): PyTorch's CPU thread pool runs a forward pass
markedly slower when it is driven from a second thread (measured: 30 vs 13 ms at 8 tokens).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import redis

from attention_lab import jobs, worker

logger = logging.getLogger(__name__)

WAIT_SECONDS = 1.0  # each empty wait ends this soon, so that a stop is noticed

Runner = Callable[[Callable[[], object]], None]  # runs a batch somewhere and returns when it is done


def run_here(batch: Callable[[], object]) -> None:
    batch()


def run_on_event_loop(hub) -> Runner:
    """A runner that hands each batch to the thread of Celery's event loop (kombu's Hub) and waits."""

    def run(batch: Callable[[], object]) -> None:
        done, failure = threading.Event(), []

        def call() -> None:
            try:
                batch()
            except Exception as error:  # never let a batch take Celery's loop down
                failure.append(error)
            finally:
                done.set()

        hub.call_soon(call)
        done.wait()
        if failure:
            raise failure[0]

    return run


class JobListener(threading.Thread):
    def __init__(self, runner: Runner = run_here) -> None:
        super().__init__(name="attention-listener", daemon=True)
        self._runner = runner
        self._stopping = threading.Event()

    def stop(self) -> None:
        self._stopping.set()

    def run(self) -> None:
        logger.info("attention listener started")
        while not self._stopping.is_set():
            try:
                first = jobs.job_next(timeout=WAIT_SECONDS)
                if first is not None:
                    self._runner(lambda: worker.batch_run(first=first))
            except redis.RedisError as error:  # Redis restarting: try again shortly, keep the thread
                logger.warning("attention listener: Redis not answering (%s); retrying", error)
                self._stopping.wait(0.5)
            except Exception:  # a bug must not silently end the fast path: log it and go on
                logger.exception("attention listener: batch failed")
                self._stopping.wait(0.1)
        logger.info("attention listener stopped")


_listener: JobListener | None = None


def listener_start(runner: Runner = run_here) -> JobListener:
    """Start this process's listener (once); called after the worker process has loaded its model."""
    global _listener
    if _listener is None or not _listener.is_alive():
        _listener = JobListener(runner)
        _listener.start()
    return _listener


def listening() -> bool:
    """Whether this process's listener is running."""
    return _listener is not None and _listener.is_alive()


def listener_stop(timeout: float = WAIT_SECONDS + 1) -> None:
    """Let the current batch finish and the thread end (warm shutdown)."""
    if _listener is not None and _listener.is_alive():
        _listener.stop()
        deadline = time.monotonic() + timeout
        _listener.join(max(0.0, deadline - time.monotonic()))
