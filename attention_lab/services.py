"""What the web process asks of the lab: attention for a text, from the cache or the worker.

Torch-free: tokens are counted here (tokenizers only) so over-long text is refused before anything
is queued; the forward pass itself always happens in the Celery worker.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import redis
from django.conf import settings

from attention_lab import jobs, result_store
from attention_lab.jobs import HeadList, Job, JobSupersededError, LabUnavailableError, WorkerUnavailableError
from attention_lab.model import MAX_TOKENS, TextTooLongError
from attention_lab.model.tokenization import default_tokenizer
from attention_lab.registry import DEFAULT_MODEL, model_spec
from attention_lab.model.result import AttentionResult, HeadDetail

__all__ = [
    "AttentionComputed",
    "InputRefusedError",
    "JobSupersededError",
    "LabUnavailableError",
    "MAX_TOKENS",
    "TextTooLongError",
    "WorkerUnavailableError",
    "attention_compute",
    "attention_most_attended_token",
    "token_count",
]


class InputRefusedError(ValueError):
    """The worker's model cannot read this input (a pair for a one-text model, too many tokens for a
    model whose tokenizer only the worker has): a 400 with the worker's reason."""


@dataclass(frozen=True, eq=False)
class AttentionComputed:
    result: AttentionResult
    detail: HeadDetail | None
    cached: bool  # True when no worker was involved


def token_count(*, text: str, text_pair: str | None = None) -> int:
    """Tokens the model would see, [CLS]/[SEP] included (no limit applied)."""
    return default_tokenizer().count_tokens(text, text_pair)


def attention_compute(
    *,
    text: str,
    text_pair: str | None = None,
    causal: bool = False,
    detail: tuple[int, int] | None = None,
    heads: HeadList = None,
    page: str | None = None,
    timeout: float | None = None,
    model: str | None = None,
) -> AttentionComputed:
    """Attention maps for one input: a cache hit never touches the worker; a miss waits for it.

    `heads` names the (layer, head) maps the caller reads (None: all 72); only those travel, and
    the result's `require` guards against reading any other.
    Raises TextTooLongError (before queueing), LabUnavailableError (Redis down),
    WorkerUnavailableError (no answer within `timeout`, or the worker failed), and
    JobSupersededError when a newer job from the same `page` replaced this one, InputRefusedError
    when the worker's model cannot read the input. `model`: a registry name (None: the default).
    """
    started = time.monotonic()  # the wait counts from here: the learner's clock, not the queue's
    text, text_pair = _valid_unicode(text), _valid_unicode(text_pair)
    model = None if model in (None, DEFAULT_MODEL) else model_spec(model).name  # UnknownModelError if not registered
    if model is None:  # the default model's tokenizer is torch-free: refuse long text before queueing
        count = token_count(text=text, text_pair=text_pair)
        if count > MAX_TOKENS:
            raise TextTooLongError(count, MAX_TOKENS)
    wait = settings.ATTENTION_WAIT_SECONDS if timeout is None else timeout
    if heads is not None:
        heads = tuple(sorted(set(heads)))
    job = Job(
        text=text, text_pair=text_pair, causal=causal, detail=detail, heads=heads, page=page,
        deadline=jobs.now() + wait, model=model,
    )
    try:
        lookup = result_store.lookup_or_submit(job)
        if lookup.cached is not None:
            return AttentionComputed(*lookup.cached, cached=True)
        reply = result_store.reply_decode(
            jobs.job_wait(lookup.submitted, timeout=max(0.05, wait - (time.monotonic() - started)))
        )
    except redis.RedisError as error:
        raise LabUnavailableError(LabUnavailableError.message) from error
    if reply.status == "superseded":
        raise JobSupersededError(reply.message)
    if reply.status == "invalid":
        raise InputRefusedError(reply.message)
    if reply.status != "ok":  # the worker failed on it: say so now, not at the timeout
        raise WorkerUnavailableError(reply.message or WorkerUnavailableError.message)
    return AttentionComputed(reply.result, reply.detail, cached=False)


def _valid_unicode(text: str | None) -> str | None:
    """Any Unicode is welcome, but a lone surrogate (JSON allows "\\ud800") is not a character:
    it becomes U+FFFD, as a browser would show it, instead of failing the tokenizer or the cache key."""
    if text is None:
        return None
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


@dataclass(frozen=True)
class MostAttended:
    token: str  # the key token the query token attends to most
    index: int  # its position, [CLS] = 0
    weight: float
    query_token: str
    tokens: list[str]
    weights: list[float]  # the query token's whole row, one weight per token, sums to 1


def attention_most_attended_token(*, text: str, layer: int, head: int, query_index: int) -> MostAttended:
    """Which token `query_index` attends to most in (layer, head), 0-based, [CLS] = token 0.

    For questions graded from the model: calls the worker synchronously (cache first). Raises
    like attention_compute, and IndexError for a query index outside the text's tokens.
    """
    computed = attention_compute(text=text, heads=((layer, head),))
    tokens = computed.result.tokens
    if not 0 <= query_index < len(tokens):
        raise IndexError(f"query_index {query_index} is outside 0..{len(tokens) - 1} for this text.")
    row = np.asarray(computed.result.attentions[layer, head, query_index], dtype=np.float64)
    best = int(row.argmax())
    return MostAttended(
        token=tokens[best],
        index=best,
        weight=float(row[best]),
        query_token=tokens[query_index],
        tokens=list(tokens),
        weights=[float(value) for value in row],
    )
