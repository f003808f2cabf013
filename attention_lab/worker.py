"""The worker's side of a batch: claim pending jobs, drop stale ones, run the rest as one forward pass.

Only the Celery worker imports this module's engine (and with it torch); the web process never does.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from django.conf import settings

from attention_lab import jobs
from attention_lab.jobs import Job, StoredDetail, StoredResult

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def engine():
    """The model, loaded once per worker process on ATTENTION_DEVICE (verified weights, no download)."""
    from attention_lab.model import AttentionEngine

    loaded = AttentionEngine.load(device=settings.ATTENTION_DEVICE, threads=settings.ATTENTION_THREADS)
    logger.info("attention engine loaded on %s", loaded.device)
    return loaded


def batch_run(*, limit: int | None = None) -> dict[str, int]:
    """Claim up to `limit` pending jobs and answer every one of them; returns what happened."""
    claimed = jobs.jobs_claim(limit or settings.ATTENTION_BATCH_LIMIT)
    if not claimed:
        return {"claimed": 0}
    now = jobs.now()
    latest = jobs.pages_latest(sorted({job.page for _, job in claimed if job and job.page}))
    pipe = jobs.client().pipeline()
    runnable: list[tuple[str, Job]] = []
    expired = superseded = 0
    for job_id, job in claimed:
        if job is None or job.deadline < now:
            expired += 1  # its waiter gave up; nobody reads the answer
        elif job.page and latest.get(job.page) not in (None, job_id):
            superseded += 1
            jobs.job_notify(pipe, job_id, "superseded", "A newer text from the same page replaced this one.")
        else:
            runnable.append((job_id, job))
    computed = _run_and_store(pipe, runnable) if runnable else 0
    jobs.stats_add(pipe, skipped_stale=superseded, expired=expired)
    pipe.execute()
    return {"claimed": len(claimed), "computed": computed, "superseded": superseded, "expired": expired}


def _run_and_store(pipe, runnable: list[tuple[str, Job]]) -> int:
    """One padded forward pass for all distinct inputs; the same text asked twice is computed once."""
    from attention_lab.model import AttentionRequest

    try:
        model = engine()
    except Exception as error:  # e.g. ATTENTION_DEVICE=cuda without a GPU: tell the waiters now, clearly
        logger.exception("attention engine could not be loaded")
        for job_id, _ in runnable:
            jobs.job_notify(pipe, job_id, "error", f"The attention worker cannot load its model: {error}")
        return 0
    distinct: dict[tuple, Job] = {}
    for _, job in runnable:
        distinct.setdefault((job.text, job.text_pair, job.causal, job.detail), job)
    requests, failed = [], {}
    for signature, job in distinct.items():
        request = AttentionRequest(job.text, job.text_pair, job.causal, job.detail)
        try:
            model.encode(request)  # one bad input must not fail its batch-mates
            requests.append((signature, job, request))
        except ValueError as error:
            failed[signature] = str(error)
    try:
        results = model.run_batch([request for _, _, request in requests]) if requests else []
    except Exception as error:  # the worker failed: tell every waiter now rather than at its timeout
        logger.exception("attention batch of %d failed", len(requests))
        for job_id, _ in runnable:
            jobs.job_notify(pipe, job_id, "error", f"The attention worker failed: {type(error).__name__}.")
        return 0
    for (_, job, _), result in zip(requests, results):
        jobs.cache_store(pipe, job, _stored(result), _stored_detail(result.detail))
    for job_id, job in runnable:
        signature = (job.text, job.text_pair, job.causal, job.detail)
        if signature in failed:
            jobs.job_notify(pipe, job_id, "invalid", failed[signature])
        else:
            jobs.job_notify(pipe, job_id, "ok")
    jobs.stats_add(pipe, forwards=1 if requests else 0, items=len(requests))
    return len(requests)


def _stored(result) -> StoredResult:
    return StoredResult(
        tokens=result.tokens,
        token_type_ids=result.token_type_ids,
        sequence_ids=result.sequence_ids,
        offsets=[list(span) for span in result.offsets],
        attentions=result.attentions,
        model_name=result.model_name,
        device=result.device,
        causal=result.causal,
    )


def _stored_detail(detail) -> StoredDetail | None:
    if detail is None:
        return None
    return StoredDetail(detail.layer, detail.head, detail.query, detail.key, detail.value, detail.scores)
