"""The worker's side of a batch: claim pending jobs, drop stale ones, run the rest as one forward pass.

Only the Celery worker imports this module's engine (and with it torch); the web process never does.
"""

from __future__ import annotations

import dataclasses
import logging
from functools import lru_cache

import numpy as np

from django.conf import settings

from attention_lab import jobs
from attention_lab.jobs import Job
from attention_lab.registry import DEFAULT_MODEL, MODELS, model_spec
from attention_lab.model.result import AttentionResult, HeadDetail
from attention_lab.result_store import cache_store, reply_encode

logger = logging.getLogger(__name__)


@lru_cache(maxsize=None)
def engine(name: str = DEFAULT_MODEL):
    """A registered model, loaded once per worker process (the default one before the first job,
    any other on its first job); on ATTENTION_DEVICE, verified weights, no download."""
    entry = MODELS[name]
    loaded = entry.load()
    if not entry.batched:
        from attention_lab.runners import runner_check

        runner_check(loaded, model_spec(name))
    logger.info("attention engine loaded: %s on %s", name, getattr(loaded, "device", "its own device"))
    return loaded


def batch_run(*, limit: int | None = None, first: bytes | None = None) -> dict[str, int]:
    """Claim up to `limit` pending jobs (after `first`, already popped) and answer every one of them.
    Called by the process's one listener thread (attention_lab.listener), so one batch at a time."""
    claimed = jobs.jobs_claim(limit or settings.ATTENTION_BATCH_LIMIT, first=first)
    if not claimed:
        return {"claimed": 0}
    now = jobs.now()
    replies = jobs.client().pipeline(transaction=False)  # one round trip for every reply
    runnable: list[tuple[str, Job]] = []
    expired = superseded = 0
    for each in claimed:
        if each.job.deadline < now:
            expired += 1  # its waiter gave up; nobody reads the answer
        elif each.superseded:
            superseded += 1
            jobs.job_notify(replies, each.job_id, reply_encode("superseded", "A newer text from the same page replaced this one."))
        else:
            runnable.append((each.job_id, each.job))
    jobs.stats_add(replies, skipped_stale=superseded, expired=expired, claimed=len(claimed))
    computed = _run_and_reply(replies, runnable) if runnable else []
    # The cache writes go behind the replies on the same connection: Redis wakes each waiter
    # before it has read the (larger) results, and has stored them before the next request.
    for job, result, detail in computed:
        cache_store(replies, job, result, detail)
    replies.execute()
    return {"claimed": len(claimed), "computed": len(computed), "superseded": superseded, "expired": expired}


def _run_and_reply(pipe, runnable: list[tuple[str, Job]]) -> list[tuple[Job, AttentionResult, HeadDetail | None]]:
    """Each model's share of the batch: the default model as one padded forward pass, others one
    text at a time through their runner. Queues every reply on `pipe`; returns results for the cache."""
    by_model: dict[str, list[tuple[str, Job]]] = {}
    for job_id, job in runnable:
        by_model.setdefault(job.model or DEFAULT_MODEL, []).append((job_id, job))
    computed = []
    for name, share in by_model.items():
        if name not in MODELS:
            _notify_all(pipe, share, f"Unknown model {name!r}.", status="invalid")
        elif MODELS[name].batched:
            computed += _run_batched(pipe, share)
        else:
            computed += _run_runner(pipe, name, share)
    return computed


def _run_runner(pipe, name: str, runnable: list[tuple[str, Job]]) -> list[tuple[Job, AttentionResult, None]]:
    from attention_lab.runners import runner_result

    try:
        runner = engine(name)
    except Exception as error:
        logger.exception("attention model %s could not be loaded", name)
        _notify_all(pipe, runnable, f"The attention worker cannot load {name}: {error}")
        return []
    spec, done = model_spec(name), {}
    for job_id, job in runnable:
        signature = _signature(job)
        if signature not in done:
            try:
                done[signature] = (job, runner_result(runner, spec, job, device=str(getattr(runner, "device", "cpu"))), None)
            except ValueError as error:
                done[signature] = str(error)
        outcome = done[signature]
        if isinstance(outcome, str):
            jobs.job_notify(pipe, job_id, reply_encode("invalid", outcome))
        else:
            jobs.job_notify(pipe, job_id, _reply_ok(job, outcome[1], None))
    jobs.stats_add(pipe, forwards=sum(not isinstance(value, str) for value in done.values()))
    return [value for value in done.values() if not isinstance(value, str)]


def _run_batched(pipe, runnable: list[tuple[str, Job]]) -> list[tuple[Job, AttentionResult, HeadDetail | None]]:
    """One padded forward pass for all distinct inputs (the same text asked twice is computed once)."""
    from attention_lab.model import AttentionRequest

    try:
        model = engine()
    except Exception as error:  # e.g. ATTENTION_DEVICE=cuda without a GPU: tell the waiters now, clearly
        logger.exception("attention engine could not be loaded")
        _notify_all(pipe, runnable, f"The attention worker cannot load its model: {error}")
        return []
    total_layers = model.config.num_hidden_layers
    distinct: dict[tuple, Job] = {}
    depth: dict[tuple, int | None] = {}  # the same input asked by two views runs as deep as the deeper
    for _, job in runnable:
        signature = _signature(job)
        distinct.setdefault(signature, job)
        needed = _layers_needed(job, total_layers)
        depth[signature] = needed if signature not in depth else _deeper(depth[signature], needed)
    requests, encoded, failed = [], [], {}
    for signature, job in distinct.items():
        request = AttentionRequest(job.text, job.text_pair, job.causal, job.detail, depth[signature])
        try:
            encoded.append(model.encode(request))  # one bad input must not fail its batch-mates
            requests.append((signature, job, request))
        except ValueError as error:
            failed[signature] = str(error)
    try:
        results = model.run_batch([request for _, _, request in requests], encoded=encoded) if requests else []
    except Exception as error:  # the worker failed: tell every waiter now rather than at its timeout
        logger.exception("attention batch of %d failed", len(requests))
        _notify_all(pipe, runnable, f"The attention worker failed: {type(error).__name__}.")
        return []
    stored = {
        signature: (job, _stored(result, total_layers), result.detail)
        for (signature, job, _), result in zip(requests, results)
    }
    for job_id, job in runnable:
        signature = _signature(job)
        if signature in failed:
            jobs.job_notify(pipe, job_id, reply_encode("invalid", failed[signature]))
        else:
            _, result, detail = stored[signature]
            jobs.job_notify(pipe, job_id, _reply_ok(job, result, detail))
    jobs.stats_add(pipe, forwards=1 if requests else 0, items=len(requests))
    return list(stored.values())


def _reply_ok(job: Job, result: AttentionResult, detail: HeadDetail | None) -> bytes:
    layers, heads = result.attentions.shape[:2]
    outside = [pair for pair in job.heads or () if not (0 <= pair[0] < layers and 0 <= pair[1] < heads)]
    if outside:
        return reply_encode("invalid", f"heads must be within layers 0..{layers - 1} and heads 0..{heads - 1}, got {outside}.")
    try:
        result.require(job.heads)  # its input ran as deep as its deepest asker; never send zeros if not
    except LookupError as error:
        return reply_encode("error", f"The attention worker did not compute these maps: {error}.")
    return reply_encode("ok", result=result, detail=detail, heads=job.heads)


def _layers_needed(job: Job, total_layers: int) -> int | None:
    """How many layers the job's view needs run (None: all). The maps of layer i depend on layers
    0..i alone, so a learner typing with layer 1 open costs a sixth of the model, not all of it."""
    if job.heads is None:  # the model view and the API show every layer
        return None
    deepest = max([layer for layer, _ in job.heads] + ([job.detail[0]] if job.detail else []))
    needed = deepest + 1
    return needed if 1 <= needed < total_layers else None  # a layer outside the model: _reply_ok says so


def _deeper(first: int | None, second: int | None) -> int | None:
    return None if first is None or second is None else max(first, second)


def _signature(job: Job) -> tuple:
    return (job.model, job.text, job.text_pair, job.causal, job.detail)


def _notify_all(pipe, runnable: list[tuple[str, Job]], message: str, status: str = "error") -> None:
    for job_id, _ in runnable:
        jobs.job_notify(pipe, job_id, reply_encode(status, message))


def _stored(result: AttentionResult, total_layers: int) -> AttentionResult:
    """The engine's result in the model's full (layers, heads, n, n) shape; when fewer layers ran,
    the others stay unloaded (`loaded` names the maps present), so nobody can read them as zeros."""
    run, heads, n, _ = result.attentions.shape
    if run == total_layers:
        return result
    # np.zeros is lazily zeroed memory: the layers that did not run cost nothing.
    attentions = np.zeros((total_layers, heads, n, n), dtype=np.float32)
    attentions[:run] = result.attentions
    loaded = frozenset((layer, head) for layer in range(run) for head in range(heads))
    return dataclasses.replace(result, attentions=attentions, loaded=loaded)
