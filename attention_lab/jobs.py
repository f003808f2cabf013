"""The Redis side of the lab's queue: jobs a web request hands to the worker, batch claims, stats.

Torch-free; both processes import it. The flow (docs/attention-lab.md has the why):

web:    one Lua call (result_store.lookup_or_submit): the cached heads, or else the job pushed as
        JSON on `pending` and made its page's latest; then BLPOP the job's `done` list.
worker: its listener thread BLPOPs `pending` (the only way a job reaches it);
        one Lua call takes up to BATCH_LIMIT entries (LPOP count is atomic, so two workers never
        claim the same job) with their pages' latest ids; jobs that expired or were superseded by
        a newer job of the same page are answered without computing, the rest run as one padded
        forward pass; each waiter gets its reply with the heads it asked for (result_store), and
        the results go to the cache behind the replies.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from dataclasses import asdict, dataclass
from functools import lru_cache

import redis
from django.conf import settings

from attention_lab.registry import DEFAULT_MODEL

JOB_TTL_S = 30

HeadList = tuple[tuple[int, int], ...] | None  # (layer, head) maps a reader wants; None: all


def prefix() -> str:
    """Every lab key starts with this (ATTENTION_REDIS_PREFIX): test runs sharing one Redis get their own."""
    return settings.ATTENTION_REDIS_PREFIX


def pending_key() -> str:
    return f"{prefix()}:pending"


def stats_key() -> str:
    """A hash of counters: claimed, forwards, items, skipped_stale, expired, cache_hits."""
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
    heads: HeadList = None  # the maps the waiter shows (the reply carries only these)
    model: str | None = None  # a name from attention_lab.registry; None: the default model

    def to_entry(self, job_id: str) -> str:
        """The job as it sits on the `pending` list: JSON with its id, so a claim needs no lookup."""
        return json.dumps({"id": job_id, **asdict(self)})

    @classmethod
    def from_entry(cls, raw: bytes | str) -> tuple[str, Job]:
        values = json.loads(raw)
        job_id = values.pop("id")
        detail, heads = values.get("detail"), values.get("heads")
        values["detail"] = tuple(detail) if detail is not None else None
        values["heads"] = tuple(tuple(pair) for pair in heads) if heads is not None else None
        return job_id, cls(**values)


@lru_cache(maxsize=4)
def _client_for(url: str) -> redis.Redis:
    # The socket timeout must outlast the longest BLPOP (wait + margin), or the wait itself errors.
    return redis.Redis.from_url(
        url, socket_connect_timeout=0.5, socket_timeout=settings.ATTENTION_WAIT_SECONDS + 2
    )


def client() -> redis.Redis:
    return _client_for(settings.REDIS_URL)


@lru_cache(maxsize=16)
def _script_for(url: str, source: str):
    return _client_for(url).register_script(source)


def script(source: str):
    """A Lua script on the lab's Redis (EVALSHA, loaded again by redis-py after a Redis restart)."""
    return _script_for(settings.REDIS_URL, source)


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:40]


def result_key(text: str, text_pair: str | None, causal: bool, model: str | None = None) -> str:
    return f"{prefix()}:result:{_digest(model or DEFAULT_MODEL, text, text_pair, causal)}"


def detail_key(text: str, text_pair: str | None, causal: bool, layer: int, head: int, model: str | None = None) -> str:
    return f"{prefix()}:detail:{_digest(model or DEFAULT_MODEL, text, text_pair, causal, layer, head)}"


def done_key(job_id: str) -> str:
    return f"{prefix()}:done:{job_id}"


def page_key(page: str) -> str:
    return f"{prefix()}:page:{page}"


# ---------------------------------------------------------------- web side


@dataclass(frozen=True)
class Submitted:
    job_id: str
    entry: str  # as queued on `pending`: a waiter that gives up removes exactly this


def job_submit(job: Job) -> Submitted:
    """Queue a job and make it its page's latest (result_store.lookup_or_submit does the same in
    one round trip with the cache lookup; this is for callers that know there is no result)."""
    job_id = uuid.uuid4().hex
    entry = job.to_entry(job_id)
    pipe = client().pipeline()
    if job.page:
        pipe.set(page_key(job.page), job_id, ex=JOB_TTL_S)
    pipe.rpush(pending_key(), entry)
    pipe.execute()
    return Submitted(job_id, entry)


def job_wait(submitted: Submitted, timeout: float) -> bytes:
    """Block until the worker replies (result_store.reply_decode reads it); WorkerUnavailableError
    after `timeout` seconds."""
    # In slices no longer than the wait the client's socket timeout was sized for; a caller (the
    # model-graded question's author page, a test) may wait longer than a live update does.
    deadline = time.monotonic() + timeout
    reply = None
    while reply is None and (remaining := deadline - time.monotonic()) > 0:
        reply = client().blpop([done_key(submitted.job_id)], timeout=min(remaining, settings.ATTENTION_WAIT_SECONDS))
    if reply is None:
        # Nobody will read a late answer: drop the job (and its place in the queue) so a returning
        # worker does not compute it and the pending list holds only work someone waits for.
        client().lrem(pending_key(), 1, submitted.entry)
        raise WorkerUnavailableError(WorkerUnavailableError.message)
    return reply[1]


# ---------------------------------------------------------------- worker side


# One round trip for a whole claim: pop up to ARGV[2] more entries after ARGV[3] (one the caller
# already popped, or ""), and read, for each, the id of its page's latest job (or false).
_CLAIM = """
local entries = {}
if ARGV[3] ~= "" then entries[1] = ARGV[3] end
local more = tonumber(ARGV[2])
if more > 0 then
  local popped = redis.call("LPOP", KEYS[1], more)
  if popped then for _, entry in ipairs(popped) do entries[#entries + 1] = entry end end
end
local answer = {}
for _, entry in ipairs(entries) do
  local page = cjson.decode(entry)["page"]
  local latest = false
  if type(page) == "string" then latest = redis.call("GET", ARGV[1] .. ":page:" .. page) end
  answer[#answer + 1] = entry
  answer[#answer + 1] = latest
end
return answer
"""


@dataclass(frozen=True)
class Claimed:
    job_id: str
    job: Job
    superseded: bool  # a newer job from the same page has been queued since


def jobs_claim(limit: int, *, first: bytes | None = None) -> list[Claimed]:
    """Atomically take up to `limit` pending jobs (oldest first), after `first` if the caller already
    popped one (the listener's BLPOP), each with whether its page has a newer job."""
    more = limit - (1 if first else 0)
    flat = script(_CLAIM)(keys=[pending_key()], args=[prefix(), more, first or ""])
    claimed = []
    for raw, latest in zip(flat[0::2], flat[1::2]):
        job_id, job = Job.from_entry(raw)
        superseded = bool(job.page) and bool(latest) and latest.decode() != job_id
        claimed.append(Claimed(job_id, job, superseded))
    return claimed


def job_next(timeout: float) -> bytes | None:
    """The listener's wait: the oldest pending entry as soon as there is one, else None."""
    popped = client().blpop([pending_key()], timeout=timeout)
    return popped[1] if popped else None


def job_notify(pipe, job_id: str, reply: bytes) -> None:
    """Queue the reply (result_store.reply_encode) for the job's waiter and forget the job."""
    pipe.rpush(done_key(job_id), reply)
    pipe.expire(done_key(job_id), JOB_TTL_S)


def stats_add(pipe, **counters: int) -> None:
    for name, amount in counters.items():
        if amount:
            pipe.hincrby(stats_key(), name, amount)


def stats_read() -> dict[str, int]:
    return {key.decode(): int(value) for key, value in client().hgetall(stats_key()).items()}


def now() -> float:
    return time.time()
