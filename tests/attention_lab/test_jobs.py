"""The job machinery with a REAL worker subprocess and Redis: requests that arrive together run as
one padded batch, a page's older queued texts are skipped (not computed), abandoned jobs are never
computed, and one test run's worker never takes another run's jobs."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from attention_lab import jobs, services

pytestmark = pytest.mark.integration


class Asker(threading.Thread):
    """One waiting web request, as a thread: its outcome is the result or the exception."""

    def __init__(self, **kwargs) -> None:
        super().__init__(daemon=True)
        self.kwargs, self.outcome, self.elapsed = kwargs, None, None

    def run(self) -> None:
        started = time.monotonic()
        try:
            self.outcome = services.attention_compute(**self.kwargs)
        except Exception as error:  # the test inspects which one
            self.outcome = error
        self.elapsed = time.monotonic() - started


def ask_in_order(paused_lab, requests: list[dict]) -> list[Asker]:
    """Send the requests one after another (each queued before the next), none computed yet."""
    askers = []
    for kwargs in requests:
        asker = Asker(**kwargs)
        asker.start()
        askers.append(asker)
        deadline = time.monotonic() + 5
        while paused_lab.pending < len(askers):
            assert time.monotonic() < deadline, "request was not queued"
            time.sleep(0.01)
    return askers


def test_requests_that_arrive_together_run_as_one_padded_batch(paused_lab, engine):
    texts = ["Short.", "A somewhat longer sentence than the first one.", "Mid length text here.", "Tiny", "Words, words and more words."]
    askers = ask_in_order(paused_lab, [{"text": text, "timeout": 30} for text in texts])
    # when: the worker arrives and finds all five waiting
    paused_lab.start_worker()
    for asker in askers:
        asker.join(30)
    # then: one forward pass for five items, each cut back to its own tokens, same as alone
    stats = jobs.stats_read()
    assert stats["forwards"] == 1 and stats["items"] == 5
    for text, asker in zip(texts, askers):
        computed = asker.outcome
        assert isinstance(computed, services.AttentionComputed), computed
        alone = engine.run_one(text)
        assert computed.result.tokens == alone.tokens
        assert np.abs(computed.result.attentions - alone.attentions).max() < 1e-5


def test_a_pages_older_queued_texts_are_skipped_not_computed(paused_lab):
    # given: a learner types three versions while the worker is busy elsewhere (here: absent)
    typed = ["The cat", "The cat sat", "The cat sat down."]
    askers = ask_in_order(paused_lab, [{"text": text, "page": "page-1", "timeout": 30} for text in typed])
    other_page = ask_in_order(paused_lab, [{"text": "Another learner's text.", "page": "page-2", "timeout": 30}])
    # when
    paused_lab.start_worker()
    for asker in askers + other_page:
        asker.join(30)
    # then: only the latest text of page-1 (and page-2's only text) were computed
    assert isinstance(askers[0].outcome, services.JobSupersededError)
    assert isinstance(askers[1].outcome, services.JobSupersededError)
    assert askers[2].outcome.result.tokens[-2:] == [".", "[SEP]"]
    assert isinstance(other_page[0].outcome, services.AttentionComputed)
    stats = jobs.stats_read()
    assert stats["skipped_stale"] == 2
    assert stats["items"] == 2


def test_a_job_nobody_waits_for_any_more_is_never_computed(paused_lab):
    # given: a request gives up after half a second: no worker yet
    started = time.monotonic()
    with pytest.raises(services.WorkerUnavailableError, match="not answering"):
        services.attention_compute(text="Nobody will read this.", timeout=0.5)
    assert time.monotonic() - started < 1.5
    assert paused_lab.pending == 0  # the abandoned job left the queue with its waiter
    # when: the worker comes back
    paused_lab.start_worker()
    computed = services.attention_compute(text="But this one is read.", timeout=10)
    # then: the abandoned job was dropped, only the new one was computed
    assert computed.result.tokens[1] == "but"
    stats = jobs.stats_read()
    assert stats.get("items") == 1
    assert stats.get("forwards") == 1


def test_another_runs_worker_never_takes_our_jobs(attention_worker, paused_lab, settings):
    # given: this process's own worker (attention_worker) is up, on the session's queue and prefix;
    # paused_lab has switched this test to another queue and prefix, which nobody consumes
    assert attention_worker.queue != settings.ATTENTION_QUEUE
    # when
    with pytest.raises(services.WorkerUnavailableError):
        services.attention_compute(text="Only my own worker may compute this.", timeout=1)
    # then: the running worker did not take it (its listener watches its own prefix's list): nothing
    # claimed or computed here; the waiter withdrew its job when it gave up; no Celery message at all
    assert jobs.stats_read() == {}
    assert paused_lab.pending == 0
    assert jobs.client().llen(settings.ATTENTION_QUEUE) == 0
