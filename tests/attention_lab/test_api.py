"""POST /api/attention/ per the contract, through the real worker: tokens, layers × heads × n × n
weights whose rows sum to 1, the model's name; 400s that say what is wrong; 503 when the worker or
Redis does not answer; 429 past the rate limit; documented in the OpenAPI schema."""

from __future__ import annotations

import time

import numpy as np
import pytest

from attention_lab import jobs
from attention_lab.throttling import rate_key
from tests.attention_lab.conftest import wait_until_cached
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

URL = "/api/attention/"


@pytest.fixture
def api(db):
    user = UserFactory(username="api-user")
    jobs.client().delete(rate_key(f"user-{user.pk}"))  # a counter left by an earlier test's user
    return client_for(user)


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def test_answers_tokens_and_every_layer_and_head(api, attention_worker, lab_clean):
    response = post(api, {"text": "Attention is all you need."})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert body["tokens"] == ["[CLS]", "attention", "is", "all", "you", "need", ".", "[SEP]"]
    attentions = np.array(body["attentions"])
    assert attentions.shape == (6, 12, 8, 8) == (body["layers"], body["heads"], 8, 8)
    assert np.abs(attentions.sum(-1) - 1).max() < 1e-5  # float32 rows, unrounded
    assert body["cached"] is False
    wait_until_cached("Attention is all you need.")
    assert post(api, {"text": "Attention is all you need."}).json()["cached"] is True


def test_sentence_pairs(api, attention_worker):
    body = post(api, {"text": "Is it raining?", "text_pair": "Yes, it is."}).json()
    assert body["tokens"].count("[SEP]") == 2
    assert set(body["token_type_ids"]) == {0, 1}


def test_any_unicode(api, attention_worker):
    response = post(api, {"text": "Ünïcödé ✓ 日本語 🙂 \ud83d\ude00"})
    assert response.status_code == 200
    assert response.json()["tokens"][0] == "[CLS]"
    # A lone surrogate is no character: the one JSON reader refuses it for every endpoint, saying why.
    lone = post(api, {"text": "a lone \ud800"})
    assert lone.status_code == 400 and lone.json()["code"] == "lone_surrogate"


def test_over_the_limit_is_a_400_that_states_the_limit(api):
    response = post(api, {"text": "word " * 300})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "too_long" and body["limit"] == 256 and body["token_count"] == 302
    assert "256 tokens" in body["detail"]
    huge = post(api, {"text": "x" * 50_000})
    assert huge.status_code == 400 and "256 tokens" in huge.json()["detail"]


@pytest.mark.parametrize(
    "body, wanted",
    [
        ({"text": ""}, "empty"),
        ({"text": "   \n "}, "empty"),
        ({}, "required"),
        ({"text": 42}, "JSON string"),
        ({"text": None}, "null"),
        ({"text": ["a", "list"]}, "JSON string"),
        ({"text": "fine", "text_pair": 7}, "JSON string"),
    ],
)
def test_empty_or_non_string_text_is_a_400_that_says_so(api, body, wanted):
    response = post(api, body)
    assert response.status_code == 400
    assert wanted in response.json()["detail"]


def test_visitors_are_rate_limited_by_address_like_everyone(client, settings):
    # given: a visitor (no login) and a tiny allowance
    settings.ATTENTION_RATE = "1/min"
    jobs.client().delete(rate_key("ip-127.0.0.1"))  # other visitors' requests earlier in the run
    # when: a second request within the minute (the first is refused for its empty text, still counted)
    first = post(client, {"text": ""})
    second = post(client, {"text": ""})
    # then
    assert first.status_code == 400
    assert second.status_code == 429 and "1/min" in second.json()["detail"]


def test_no_worker_is_a_quick_503_with_a_clear_message(api, paused_lab, settings):
    settings.ATTENTION_WAIT_SECONDS = 1  # the paused queue has no worker
    started = time.monotonic()
    response = post(api, {"text": "Is anyone there?"})
    assert time.monotonic() - started < 2.5
    assert response.status_code == 503
    assert response.json()["code"] == "worker_unavailable"
    assert "not answering" in response.json()["detail"]
    assert response["Retry-After"] == "3"


def test_redis_down_is_a_quick_503(api, settings):
    from tests.lab_processes import free_port

    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    started = time.monotonic()
    response = post(api, {"text": "Is Redis there?"})
    assert time.monotonic() - started < 1.5
    assert response.status_code == 503
    assert response.json()["code"] == "lab_unavailable"
    assert "unavailable" in response.json()["detail"]


def test_past_the_rate_limit_is_a_429_that_states_it(api, attention_worker, settings):
    settings.ATTENTION_RATE = "3/min"
    codes = [post(api, {"text": f"request {index}"}).status_code for index in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = post(api, {"text": "again"})
    assert refused.status_code == 429
    assert "3/min" in refused.json()["detail"]


def test_the_openapi_schema_documents_it(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/attention/"]["post"]
    assert {"200", "400", "429", "503"} <= set(operation["responses"])
    request_schema = schema["components"]["schemas"]["AttentionRequestRequest"]
    assert "text" in request_schema["required"]
    assert "attentions" in schema["components"]["schemas"]["AttentionResponse"]["properties"]


def test_plain_views_share_the_limit_through_lab_throttle_wait(rf, settings):
    from django.contrib.auth.models import AnonymousUser

    from attention_lab.throttling import lab_throttle_wait

    settings.ATTENTION_RATE = "2/min"
    address = f"10.{int(time.time()) % 250}.{time.monotonic_ns() % 250}.7"  # a visitor no other test used
    jobs.client().delete(rate_key(f"ip-{address}"))

    def visit():
        request = rf.post("/lab/update/", REMOTE_ADDR=address)
        request.user = AnonymousUser()
        return lab_throttle_wait(request=request)

    assert visit() is None and visit() is None
    wait = visit()
    assert wait is not None and 0 < wait <= 60
