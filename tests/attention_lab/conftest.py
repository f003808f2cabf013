"""Fixtures for the lab tests: the real shipped weights (loaded once per session), clean lab keys in
Redis, and a paused queue whose worker a test starts when it has set the scene."""

from __future__ import annotations

import uuid

import pytest
import redis

from attention_lab.model import MAX_TOKENS, AttentionEngine, WordPieceTokenizer

# Prose with punctuation, numbers and subwords, to build long inputs from.
PARAGRAPH = (
    "Attention lets every token look at every other token; the weights come from a softmax over "
    "scaled dot products of queries and keys. In 2017, Vaswani et al. replaced recurrence with it, "
    "and BERT (an encoder) stacks twelve such layers — MiniLM keeps six, 384 wide. "
)


def text_of_exactly(tokenizer: WordPieceTokenizer, token_count: int) -> str:
    """A text that tokenises to exactly `token_count` tokens, [CLS]/[SEP] included."""
    words = (PARAGRAPH * 20).split()
    text = ""
    for word in words:
        candidate = f"{text} {word}".strip()
        if tokenizer.count_tokens(candidate) > token_count:
            break
        text = candidate
    while tokenizer.count_tokens(text) < token_count:  # top up one single-token word at a time
        text += " a"
    assert tokenizer.count_tokens(text) == token_count
    return text


@pytest.fixture(scope="session")
def engine() -> AttentionEngine:
    # Two threads: what our CI machine has, and what the reference timings assume.
    return AttentionEngine.load(device="cpu", threads=2)


@pytest.fixture(scope="session")
def reference_model():
    """transformers' BertModel (eager, float32) on the same shipped weights: what "exact" is measured against."""
    import os

    # Before transformers is imported: it must never try the hub, the weights are local files.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import torch
    from transformers import BertModel

    from attention_lab.model.weights import package_model_dir

    model = BertModel.from_pretrained(str(package_model_dir()), attn_implementation="eager", dtype=torch.float32)
    return model.eval()


@pytest.fixture
def script_api(db, settings):
    """A logged-in API client with room to call often, and time for a busy shared machine's worker."""
    from attention_lab import jobs
    from attention_lab.throttling import rate_key
    from tests.conftest import client_for
    from tests.factories import UserFactory

    settings.ATTENTION_RATE = "1000/min"
    settings.ATTENTION_WAIT_SECONDS = 30  # correctness here, not speed
    user = UserFactory(username="api-script")
    jobs.client().delete(rate_key(f"user-{user.pk}"))
    return client_for(user)


@pytest.fixture(scope="session")
def tokenizer(engine: AttentionEngine) -> WordPieceTokenizer:
    return engine.tokenizer


@pytest.fixture(scope="session")
def text_at_limit(tokenizer: WordPieceTokenizer) -> str:
    return text_of_exactly(tokenizer, MAX_TOKENS)


# --- the web side's view of the lab: Redis, a real worker --------------------------------------------


def wait_until_cached(text: str, timeout: float = 5.0) -> None:
    """The worker writes the cache right behind its reply: wait that moment out before testing a hit."""
    import time

    from attention_lab import jobs

    key = jobs.result_key(text, None, False)
    deadline = time.monotonic() + timeout
    while not jobs.client().exists(key) and time.monotonic() < deadline:
        time.sleep(0.01)


def lab_keys_delete(redis_url: str, prefix: str, queue: str | None = None) -> None:
    """Remove every key of one lab prefix (and its Celery queue) — never anything of another run."""
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if queue:
        keys.append(queue)
    if keys:
        client.delete(*keys)


@pytest.fixture
def lab_clean(settings):
    """This test process's lab keys, emptied before the test (results cached by earlier tests too)."""
    lab_keys_delete(settings.REDIS_URL, settings.ATTENTION_REDIS_PREFIX)
    return settings


class PausedLab:
    """A fresh queue and key prefix that no worker consumes until `start_worker()`: jobs pile up,
    so a test can decide what the worker finds when it arrives (a batch, stale jobs, expired jobs)."""

    def __init__(self, settings) -> None:
        self.settings = settings
        suffix = uuid.uuid4().hex[:8]
        settings.ATTENTION_QUEUE = f"attention-test-paused-{suffix}"
        settings.ATTENTION_REDIS_PREFIX = f"attn-test-paused-{suffix}"
        self.workers = []

    @property
    def pending(self) -> int:
        from attention_lab import jobs

        return jobs.client().llen(jobs.pending_key())

    def start_worker(self):
        from tests.lab_processes import WorkerProcess

        worker = WorkerProcess(
            redis_url=self.settings.REDIS_URL,
            queue=self.settings.ATTENTION_QUEUE,
            prefix=self.settings.ATTENTION_REDIS_PREFIX,
        ).start()
        self.workers.append(worker)
        return worker

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        lab_keys_delete(self.settings.REDIS_URL, self.settings.ATTENTION_REDIS_PREFIX, self.settings.ATTENTION_QUEUE)


@pytest.fixture
def paused_lab(settings):
    lab = PausedLab(settings)
    yield lab
    lab.close()
