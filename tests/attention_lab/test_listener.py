"""The worker's listener (attention_lab.listener) with a REAL worker subprocess and Redis: it takes
jobs straight off the pending list, so no Celery message is sent while it is alive, and a worker
started without it still answers every job through Celery."""

from __future__ import annotations

import pytest

from attention_lab import jobs, services

pytestmark = pytest.mark.integration


def test_while_a_listener_is_alive_jobs_need_no_celery_message(paused_lab, settings):
    paused_lab.start_worker()
    for index in range(3):
        computed = services.attention_compute(text=f"Straight off the list, number {index}.", heads=((1, 2),))
        assert computed.result.loaded == {(1, 2)}
    stats = jobs.stats_read()
    assert stats["by_listener"] == 3 and "by_task" not in stats
    assert jobs.client().llen(settings.ATTENTION_QUEUE) == 0  # no task message was ever published
    assert jobs.client().exists(jobs.listener_key())


def test_a_worker_without_its_listener_answers_through_celery(paused_lab, monkeypatch, settings):
    monkeypatch.setenv("ATTENTION_LISTENER", "0")
    paused_lab.start_worker()
    computed = services.attention_compute(text="Through the Celery queue.", timeout=10)
    assert computed.result.tokens[1:3] == ["through", "the"]
    stats = jobs.stats_read()
    assert stats["by_task"] == 1 and "by_listener" not in stats
    assert not jobs.client().exists(jobs.listener_key())


def test_a_head_outside_the_model_is_refused_not_crashing_the_batch(attention_worker, lab_clean):
    with pytest.raises(ValueError, match="heads must be within"):
        services.attention_compute(text="Which head?", heads=((6, 0),))
    assert services.attention_compute(text="Still answering.", heads=((5, 11),)).result.loaded == {(5, 11)}
