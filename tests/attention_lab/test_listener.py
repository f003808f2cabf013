"""The worker's one way in (attention_lab.listener), with a REAL worker subprocess and Redis: it takes
jobs straight off the pending list, with no Celery message, and a bad job does not stop it."""

from __future__ import annotations

import pytest

from attention_lab import jobs, services
from attention_lab.result_store import reply_decode

pytestmark = pytest.mark.integration


def test_jobs_reach_the_worker_through_its_listener_with_no_celery_message(paused_lab, settings):
    paused_lab.start_worker()
    for index in range(3):
        computed = services.attention_compute(text=f"Straight off the list, number {index}.", heads=((1, 2),))
        assert computed.result.loaded == {(1, 2)}
    stats = jobs.stats_read()
    assert stats["claimed"] == 3 and stats["forwards"] == 3
    assert jobs.client().llen(settings.ATTENTION_QUEUE) == 0  # no task message was ever published
    assert paused_lab.pending == 0


def test_a_job_queued_before_the_worker_starts_is_answered_when_it_does(paused_lab):
    # given: a job waiting on the pending list, nobody listening yet
    submitted = jobs.job_submit(jobs.Job(text="Waiting before the worker.", deadline=jobs.now() + 60))
    assert paused_lab.pending == 1
    # when: the worker (and its listener) starts
    paused_lab.start_worker()
    # then: the listener finds the job without any message telling it to look
    reply = reply_decode(jobs.job_wait(submitted, timeout=20))
    assert reply.status == "ok" and reply.result.tokens[1:3] == ["waiting", "before"]


def test_a_head_outside_the_model_is_refused_not_crashing_the_batch(attention_worker, lab_clean):
    with pytest.raises(ValueError, match="heads must be within"):
        services.attention_compute(text="Which head?", heads=((6, 0),))
    assert services.attention_compute(text="Still answering.", heads=((5, 11),)).result.loaded == {(5, 11)}
