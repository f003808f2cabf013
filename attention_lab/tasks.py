"""Celery tasks of the attention worker (queue "attention"). Thin: the work is in attention_lab.worker.

Each task carries the id of the job that caused it, but claims whatever is pending (its own job and
any that arrived with it): one forward pass for all. A task whose job was already claimed by an
earlier task finds nothing and returns at once, so running a task twice is harmless.
"""

from __future__ import annotations

from celery import shared_task
from celery.signals import worker_process_init, worker_ready

from attention_lab import worker


@shared_task(name="attention_lab.tasks.attention_batch_run", ignore_result=True, acks_late=False)
def attention_batch_run(job_id: str) -> dict[str, int]:
    return worker.batch_run()


@worker_process_init.connect
def _load_model_in_child(**_) -> None:
    # prefork: each child process loads its own model (and CUDA context) after the fork.
    worker.engine()


@worker_ready.connect
def _load_model_in_solo_worker(sender=None, **_) -> None:
    # solo pool (our default): tasks run in this process, so load before the first task arrives.
    pool = getattr(getattr(sender, "controller", None), "pool", None) or getattr(sender, "pool", None)
    if pool is not None and type(pool).__module__.endswith("solo"):
        worker.engine()
