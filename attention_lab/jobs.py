"""The Redis side of the lab: jobs a web request hands to the worker, batch claims, results, cache.

Torch-free; both processes import it. The flow (docs/attention-lab.md has the why):

web:    cache hit? -> answer.  Else store job, mark it its page's latest, push it on `pending`,
        enqueue a Celery task carrying its id, BLPOP the job's `done` list for ~3 s.
worker: the task pops up to BATCH_LIMIT pending ids at once (LPOP count is atomic, so two worker
        processes never claim the same job), skips jobs that expired or were superseded by a newer
        job of the same page, runs the rest as one padded forward pass, writes each result to the
        cache and pushes "ok" on each job's `done` list.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from dataclasses import asdict, dataclass
from functools import lru_cache

import numpy as np
import redis
from django.conf import settings

from attention_lab.model import MODEL_NAME

JOB_TTL_S = 30


def prefix() -> str:
    """Every lab key starts with this (ATTENTION_REDIS_PREFIX): test runs sharing one Redis get their own."""
    return settings.ATTENTION_REDIS_PREFIX


def pending_key() -> str:
    return f"{prefix()}:pending"


def stats_key() -> str:
    """A hash of counters: forwards, items, skipped_stale, expired, cache_hits, submitted."""
    return f"{prefix()}:stats"


class LabUnavailableError(RuntimeError):
    """Redis does not answer: the lab cannot work, the rest of the site can."""

    message = "The attention lab is unavailable right now (its data store is not answering). Lessons and quizzes still work."


class WorkerUnavailableError(RuntimeError):
    """No worker finished the job in time, or the worker failed on it."""

    message = (
        "The attention worker is not answering right now — your text is kept; "
        "the heatmap will update as soon as it's back."
    )


class JobSupersededError(RuntimeError):
    """A newer job from the same page replaced this one before it was computed."""


@dataclass(frozen=True)
class Job:
    text: str
    text_pair: str | None = None
    causal: bool = False
    detail: tuple[int, int] | None = None  # (layer, head) whose q, k, v and scores are wanted
    page: str | None = None  # lab page / widget instance id: only its latest job matters
    deadline: float = 0.0  # unix time after which nobody waits for the result

    @classmethod
    def from_json(cls, raw: bytes | str) -> Job:
        values = json.loads(raw)
        detail = values.get("detail")
        return cls(**{**values, "detail": tuple(detail) if detail is not None else None})

    def to_json(self) -> str:
        return json.dumps(asdict(self))


@lru_cache(maxsize=4)
def _client_for(url: str) -> redis.Redis:
    # The socket timeout must outlast the longest BLPOP (wait + margin), or the wait itself errors.
    return redis.Redis.from_url(
        url, socket_connect_timeout=0.5, socket_timeout=settings.ATTENTION_WAIT_SECONDS + 2
    )


def client() -> redis.Redis:
    return _client_for(settings.REDIS_URL)


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:40]


def result_key(text: str, text_pair: str | None, causal: bool) -> str:
    return f"{prefix()}:result:{_digest(MODEL_NAME, text, text_pair, causal)}"


def detail_key(text: str, text_pair: str | None, causal: bool, layer: int, head: int) -> str:
    return f"{prefix()}:detail:{_digest(MODEL_NAME, text, text_pair, causal, layer, head)}"


def done_key(job_id: str) -> str:
    return f"{prefix()}:done:{job_id}"


def job_key(job_id: str) -> str:
    return f"{prefix()}:job:{job_id}"


def page_key(page: str) -> str:
    return f"{prefix()}:page:{page}"


# ---------------------------------------------------------------- cached results (both sides)


@dataclass(frozen=True, eq=False)
class StoredResult:
    tokens: list[str]
    token_type_ids: list[int]
    sequence_ids: list[int | None]
    offsets: list[list[int]]
    attentions: np.ndarray  # (layers, heads, n, n) float32
    model_name: str
    device: str
    causal: bool


@dataclass(frozen=True, eq=False)
class StoredDetail:
    layer: int
    head: int
    query: np.ndarray  # (n, d_k) float32
    key: np.ndarray  # (n, d_k)
    value: np.ndarray  # (n, d_k)
    scores: np.ndarray  # (n, n): q·k/sqrt(d_k), -inf above the diagonal when causal


def cache_store(pipe, job: Job, result: StoredResult, detail: StoredDetail | None) -> None:
    """Queue the writes of one result (and its head detail) on a pipeline; float32 bytes, TTL'd."""
    ttl = settings.ATTENTION_CACHE_TTL
    meta = {
        "tokens": result.tokens,
        "token_type_ids": result.token_type_ids,
        "sequence_ids": result.sequence_ids,
        "offsets": [list(span) for span in result.offsets],
        "shape": list(result.attentions.shape),
        "model_name": result.model_name,
        "device": result.device,
        "causal": result.causal,
    }
    key = result_key(job.text, job.text_pair, job.causal)
    pipe.hset(key, mapping={"meta": json.dumps(meta), "attentions": result.attentions.astype("<f4").tobytes()})
    pipe.expire(key, ttl)
    if detail is not None:
        layer, head = detail.layer, detail.head
        dkey = detail_key(job.text, job.text_pair, job.causal, layer, head)
        n, width = detail.query.shape
        pipe.hset(
            dkey,
            mapping={
                "meta": json.dumps({"layer": layer, "head": head, "n": n, "d_k": width}),
                "qkv": np.stack([detail.query, detail.key, detail.value]).astype("<f4").tobytes(),
                "scores": detail.scores.astype("<f4").tobytes(),
            },
        )
        pipe.expire(dkey, ttl)


def cache_load(job: Job) -> tuple[StoredResult, StoredDetail | None] | None:
    """The cached result for this job's input (and its detail when asked), or None on any miss."""
    pipe = client().pipeline()
    pipe.hgetall(result_key(job.text, job.text_pair, job.causal))
    if job.detail is not None:
        pipe.hgetall(detail_key(job.text, job.text_pair, job.causal, *job.detail))
    found = pipe.execute()
    if not found[0] or (job.detail is not None and not found[1]):
        return None
    meta = json.loads(found[0][b"meta"])
    attentions = np.frombuffer(found[0][b"attentions"], dtype="<f4").reshape(meta.pop("shape"))
    result = StoredResult(attentions=attentions, **meta)
    detail = None
    if job.detail is not None:
        dmeta = json.loads(found[1][b"meta"])
        n, width = dmeta["n"], dmeta["d_k"]
        qkv = np.frombuffer(found[1][b"qkv"], dtype="<f4").reshape(3, n, width)
        scores = np.frombuffer(found[1][b"scores"], dtype="<f4").reshape(n, n)
        detail = StoredDetail(dmeta["layer"], dmeta["head"], qkv[0], qkv[1], qkv[2], scores)
    return result, detail


# ---------------------------------------------------------------- web side


def job_submit(job: Job) -> str:
    """Store a job, make it its page's latest and queue its id; returns the job id."""
    job_id = uuid.uuid4().hex
    pipe = client().pipeline()
    pipe.set(job_key(job_id), job.to_json(), ex=JOB_TTL_S)
    if job.page:
        pipe.set(page_key(job.page), job_id, ex=JOB_TTL_S)
    pipe.rpush(pending_key(), job_id)
    pipe.execute()
    return job_id


def job_wait(job_id: str, timeout: float) -> dict:
    """Block until the worker reports on the job; WorkerUnavailableError after `timeout` seconds."""
    # In slices no longer than the wait the client's socket timeout was sized for; a caller (the
    # model-graded question's author page, a test) may wait longer than a live update does.
    deadline = time.monotonic() + timeout
    reply = None
    while reply is None and (remaining := deadline - time.monotonic()) > 0:
        reply = client().blpop([done_key(job_id)], timeout=min(remaining, settings.ATTENTION_WAIT_SECONDS))
    if reply is None:
        # Nobody will read a late answer: drop the job (and its place in the queue) so a returning
        # worker does not compute it and the pending list holds only work someone waits for.
        pipe = client().pipeline()
        pipe.delete(job_key(job_id))
        pipe.lrem(pending_key(), 1, job_id)
        pipe.execute()
        raise WorkerUnavailableError(WorkerUnavailableError.message)
    return json.loads(reply[1])


# ---------------------------------------------------------------- worker side


def jobs_claim(limit: int) -> list[tuple[str, Job | None]]:
    """Atomically take up to `limit` pending jobs (oldest first). Job is None when it expired."""
    redis_client = client()
    job_ids = [raw.decode() for raw in (redis_client.lpop(pending_key(), limit) or [])]
    if not job_ids:
        return []
    pipe = redis_client.pipeline()
    for job_id in job_ids:
        pipe.get(job_key(job_id))
    raws = pipe.execute()
    return [(job_id, Job.from_json(raw) if raw else None) for job_id, raw in zip(job_ids, raws)]


def pages_latest(pages: list[str]) -> dict[str, str | None]:
    if not pages:
        return {}
    values = client().mget([page_key(page) for page in pages])
    return {page: value.decode() if value else None for page, value in zip(pages, values)}


def job_notify(pipe, job_id: str, status: str, message: str = "") -> None:
    pipe.rpush(done_key(job_id), json.dumps({"status": status, "message": message}))
    pipe.expire(done_key(job_id), JOB_TTL_S)
    pipe.delete(job_key(job_id))


def stats_add(pipe, **counters: int) -> None:
    for name, amount in counters.items():
        if amount:
            pipe.hincrby(stats_key(), name, amount)


def stats_count(**counters: int) -> None:
    """Count outside a pipeline (a cache hit has none); never fails the request it counts."""
    try:
        pipe = client().pipeline()
        stats_add(pipe, **counters)
        pipe.execute()
    except redis.RedisError:
        pass


def stats_read() -> dict[str, int]:
    return {key.decode(): int(value) for key, value in client().hgetall(stats_key()).items()}


def now() -> float:
    return time.time()
