"""Celery side of the attention worker (queue "attention"). Thin: the work is in attention_lab.worker.

Each task carries the id of the job that caused it, but claims whatever is pending (its own job and
any that arrived with it): one forward pass for all. A task whose job was already claimed (by an
earlier task) finds nothing and returns at once, so running a task twice is harmless. In a process
whose listener runs (attention_lab.listener), the listener takes every pending job and a task that
still arrives (sent before the listener was up) returns at once.
"""

from __future__ import annotations

from billiard.process import current_process
from celery import shared_task
from celery.signals import worker_process_init, worker_process_shutdown, worker_ready, worker_shutdown
from django.conf import settings

from attention_lab import listener, worker


@shared_task(name="attention_lab.tasks.attention_batch_run", ignore_result=True, acks_late=False)
def attention_batch_run(job_id: str) -> dict[str, int]:
    if listener.listening():  # this process's listener takes every pending job: nothing to race for
        return {"claimed": 0}
    return worker.batch_run()


def _load_model_and_listen(runner: listener.Runner = listener.run_here) -> None:
    try:
        worker.engine()
    finally:
        # Even when the model cannot load: the listener's batches then tell each waiter why, at once.
        if settings.ATTENTION_LISTENER:
            listener.listener_start(runner)


@worker_process_init.connect
def _prepare_child(**_) -> None:
    # prefork: each child process loads its own model (and CUDA context) after the fork. The solo
    # pool sends this signal too, in the main process: worker_ready prepares that one.
    if current_process().name != "MainProcess":
        _load_model_and_listen()


@worker_ready.connect
def _prepare_solo_worker(sender=None, **_) -> None:
    # solo pool (our default): tasks run in this process, so load before the first task arrives;
    # the listener's batches run on this thread too, through Celery's event loop when there is one.
    controller = getattr(sender, "controller", None)
    pool = getattr(controller, "pool", None) or getattr(sender, "pool", None)
    if pool is not None and type(pool).__module__.endswith("solo"):
        hub = getattr(sender, "hub", None) or getattr(controller, "hub", None)
        _load_model_and_listen(listener.run_on_event_loop(hub) if hub is not None else listener.run_here)


@worker_shutdown.connect
@worker_process_shutdown.connect
def _stop_listening(**_) -> None:
    listener.listener_stop()
