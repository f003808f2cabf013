"""The attention worker's Celery hooks (this module is what Celery's autodiscovery imports).

No task brings lab jobs: they reach the worker one way only, its listener thread
(attention_lab.listener), which takes them straight off the Redis `pending` list — measured cheaper
and faster than a Celery message per keystroke (bench/README.md, issue 14). The worker is still
Celery's: its start, its model loading per process, its health pings (/healthz) and its scaling
(`--scale worker=N`, more hosts on the same broker).
"""

from __future__ import annotations

from billiard.process import current_process
from celery.signals import worker_process_init, worker_process_shutdown, worker_ready, worker_shutdown

from attention_lab import listener, worker


def _load_model_and_listen(runner: listener.Runner = listener.run_here) -> None:
    try:
        worker.engine()
    finally:
        # Even when the model cannot load: the listener's batches then tell each waiter why, at once.
        listener.listener_start(runner)


@worker_process_init.connect
def _prepare_child(**_) -> None:
    # prefork: each child process loads its own model (and CUDA context) after the fork. The solo
    # pool sends this signal too, in the main process: worker_ready prepares that one.
    if current_process().name != "MainProcess":
        _load_model_and_listen()


@worker_ready.connect
def _prepare_solo_worker(sender=None, **_) -> None:
    # solo pool (our default): load before the first job arrives; the listener's batches run on this
    # thread, through Celery's event loop when there is one (see attention_lab.listener for why).
    controller = getattr(sender, "controller", None)
    pool = getattr(controller, "pool", None) or getattr(sender, "pool", None)
    if pool is not None and type(pool).__module__.endswith("solo"):
        hub = getattr(sender, "hub", None) or getattr(controller, "hub", None)
        _load_model_and_listen(listener.run_on_event_loop(hub) if hub is not None else listener.run_here)


@worker_shutdown.connect
@worker_process_shutdown.connect
def _stop_listening(**_) -> None:
    listener.listener_stop()
