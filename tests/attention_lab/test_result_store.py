"""How results travel through Redis (real Redis, a prefix no worker serves): the cache keeps one field per head so a
reader takes only the heads it shows, a worker's reply carries exactly the asked heads, and a miss
queues the job in the same round trip."""

from __future__ import annotations

import numpy as np
import pytest

from attention_lab import jobs
from attention_lab.jobs import Job
from attention_lab.model.result import HeadDetail
from attention_lab.result_store import cache_store, lookup_or_submit, reply_decode, reply_encode
from tests.attention_lab.test_payloads import random_result


def stored(result, job, detail=None) -> None:
    pipe = jobs.client().pipeline()
    cache_store(pipe, job, result, detail)
    pipe.execute()


def a_detail(n: int) -> HeadDetail:
    rng = np.random.default_rng(1)
    return HeadDetail(2, 7, *(rng.normal(size=(n, 32)).astype(np.float32) for _ in range(3)), rng.normal(size=(n, n)).astype(np.float32))


def test_a_cached_result_is_read_back_whole_or_by_head(paused_lab):
    result = random_result(11)
    stored(result, Job(text="eleven tokens"))
    # whole
    whole, _ = lookup_or_submit(Job(text="eleven tokens")).cached
    assert np.array_equal(whole.attentions, result.attentions) and whole.loaded is None
    assert whole.tokens == result.tokens
    # by head: the asked maps are exact, and reading any other is an error, never zeros
    some, _ = lookup_or_submit(Job(text="eleven tokens", heads=((0, 3), (5, 11)))).cached
    assert np.array_equal(some.attentions[0, 3], result.attentions[0, 3])
    assert np.array_equal(some.attentions[5, 11], result.attentions[5, 11])
    some.require([(0, 3), (5, 11)])
    with pytest.raises(LookupError, match=r"\(1, 1\)"):
        some.require([(1, 1)])
    assert jobs.stats_read()["cache_hits"] == 2
    assert jobs.client().llen(jobs.pending_key()) == 0  # nothing was queued


def test_a_miss_queues_the_job_in_the_same_round_trip(paused_lab, settings):
    # given: a result cached without the step detail a reader now asks for
    stored(random_result(6), Job(text="six"))
    # when
    first = lookup_or_submit(Job(text="six", detail=(2, 7), page="page-a"))
    second = lookup_or_submit(Job(text="not cached", page="page-a"))
    # then: both queued for the worker's listener, in order, the page's latest is the second; no
    # Celery message is sent (the pending list is the one way to the worker)
    assert first.cached is None and second.cached is None
    assert jobs.client().llen(settings.ATTENTION_QUEUE) == 0
    assert jobs.client().lrange(jobs.pending_key(), 0, -1) == [first.submitted.entry.encode(), second.submitted.entry.encode()]
    claimed = jobs.jobs_claim(16)
    assert [each.job_id for each in claimed] == [first.submitted.job_id, second.submitted.job_id]
    assert [each.superseded for each in claimed] == [True, False]
    assert claimed[0].job.detail == (2, 7)


def test_the_step_detail_comes_back_from_the_cache_with_its_head(paused_lab):
    result, detail = random_result(9), a_detail(9)
    stored(result, Job(text="nine", detail=(2, 7)), detail)
    hit, hit_detail = lookup_or_submit(Job(text="nine", detail=(2, 7), heads=((2, 7),))).cached
    assert np.array_equal(hit.attentions[2, 7], result.attentions[2, 7])
    for name in ("query", "key", "value", "scores"):
        assert np.array_equal(getattr(hit_detail, name), getattr(detail, name))


def test_a_reply_carries_only_the_asked_heads_and_decodes_to_the_same_numbers():
    result, detail = random_result(256), a_detail(256)
    one_head = reply_encode("ok", result=result, detail=detail, heads=((4, 1),))
    everything = reply_encode("ok", result=result)
    assert len(one_head) < 700_000 < 18_000_000 < len(everything)  # 256 KB + detail vs 19 MB of maps
    decoded = reply_decode(one_head)
    assert decoded.status == "ok" and decoded.result.loaded == {(4, 1)}
    assert np.array_equal(decoded.result.attentions[4, 1], result.attentions[4, 1])
    assert np.array_equal(decoded.detail.scores, detail.scores)
    assert np.array_equal(reply_decode(everything).result.attentions, result.attentions)
    refused = reply_decode(reply_encode("superseded", "A newer text from the same page replaced this one."))
    assert refused.status == "superseded" and refused.result is None and "newer" in refused.message
