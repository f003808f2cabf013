"""The lab's update endpoint (POST /lab/update/) through HTTP, with the real Redis and a real worker.

What a learner's browser relies on: the matrix it draws equals the model's weights (within the
byte quantisation), the toggles change what comes back as promised, and every failure is a clear,
retryable answer instead of a hang or an error page.
"""
import base64
import itertools
import json
import math
import uuid

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse

from attention_lab.model import MAX_TOKENS
from tests.attention_lab.conftest import text_of_exactly
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

SENTENCE = "The cat sat on the mat because it was tired."


def post(client: Client, **body):
    return client.post(reverse("attention_lab:update"), data=json.dumps(body), content_type="application/json")


_addresses = itertools.count(1)


def fresh_client() -> Client:
    # A client address of its own, so per-address rate counting never mixes tests.
    n = next(_addresses)
    return Client(REMOTE_ADDR=f"198.51.{100 + n // 250}.{n % 250 + 1}")


def decoded(matrix: dict) -> np.ndarray:
    cells = np.frombuffer(base64.b64decode(matrix["cells"]), dtype=np.uint8).astype(np.float64)
    size = matrix["size"]
    return (cells / 255.0 * matrix["max"]).reshape(size, size)


# ---------------------------------------------------------------- who may use it


def test_anonymous_visitors_and_students_may_use_the_lab(cast, attention_worker):
    for client in (fresh_client(), client_for(cast.student)):
        page = client.get(reverse("attention_lab:lab"))
        answer = post(client, text=SENTENCE)
        assert page.status_code == 200
        assert answer.status_code == 200, answer.content


def test_a_learners_lab_use_is_recorded_once_per_page_without_the_text(cast, attention_worker, django_capture_on_commit_callbacks):
    from progress.models import EventKind, LearningEvent

    # given: a student typing three versions of a sentence on one page, then opening another page
    client = client_for(cast.student)
    with django_capture_on_commit_callbacks(execute=True):
        for text in ("The cat", "The cat sat", SENTENCE):
            assert post(client, text=text, page="page-one").status_code == 200
        assert post(client, text=SENTENCE, page="page-two").status_code == 200
    # then: one event per page, and nothing of what was typed
    events = LearningEvent.objects.filter(kind=EventKind.LAB_USED, user=cast.student)
    assert events.count() == 2
    assert "cat" not in repr(list(events.values()))


def test_the_update_endpoint_only_takes_posts():
    assert fresh_client().get(reverse("attention_lab:update")).status_code == 405


def test_the_update_endpoint_needs_the_pages_csrf_token():
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.251")
    assert post(client, text=SENTENCE).status_code == 403


def test_too_many_requests_from_one_address_are_refused_with_a_retry_hint(settings):
    settings.ATTENTION_RATE = "3/min"
    client, neighbour = fresh_client(), fresh_client()
    answers = [post(client, text="") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [400, 400, 400, 429]
    assert answers[-1].json()["code"] == "rate_limited"
    assert "3/min" in answers[-1].json()["detail"]
    assert 1 <= int(answers[-1]["Retry-After"]) <= 60
    # another address still has its own allowance
    assert post(neighbour, text="").status_code == 400


# ---------------------------------------------------------------- input limits


def test_empty_text_is_refused_with_a_prompt_to_type():
    answer = post(fresh_client(), text="   ")
    assert answer.status_code == 400
    assert answer.json()["code"] == "empty"
    assert "Type some text" in answer.json()["detail"]


def test_text_over_the_limit_is_refused_with_the_count_and_the_limit(tokenizer):
    # No worker needed: tokens are counted in the web process before anything is queued.
    text = text_of_exactly(tokenizer, MAX_TOKENS + 1)
    answer = post(fresh_client(), text=text)
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "too_long"
    assert body["token_count"] == MAX_TOKENS + 1 and body["limit"] == MAX_TOKENS
    assert str(MAX_TOKENS) in body["detail"]


@pytest.mark.parametrize(
    "body",
    [{"text": SENTENCE, "layer": 6}, {"text": SENTENCE, "head": 12}, {"text": SENTENCE, "view": "movie"}, {"text": SENTENCE, "mode": "max"}],
)
def test_settings_out_of_range_are_refused(body):
    answer = post(fresh_client(), **body)
    assert answer.status_code == 400
    assert answer.json()["code"] == "bad_request"


@pytest.mark.parametrize("raw", [b"text=hello", b"[1, 2]", b'"text"', b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_is_refused(raw):
    answer = fresh_client().post(reverse("attention_lab:update"), data=raw, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "bad_request"


# ---------------------------------------------------------------- what comes back


def test_the_head_view_matrix_is_the_models_weights(attention_worker, engine):
    # given
    reference = engine.run_one(SENTENCE).attentions[2, 8]
    # when
    answer = post(fresh_client(), text=SENTENCE, view="head", layer=2, head=8, page=uuid.uuid4().hex)
    # then
    body = answer.json()
    assert answer.status_code == 200
    assert body["tokens"][0] == "[CLS]" and body["tokens"][-1] == "[SEP]"
    assert body["token_count"] == len(body["tokens"]) == reference.shape[0]
    assert body["limit"] == MAX_TOKENS
    matrix = decoded(body["matrix"])
    assert np.abs(matrix - reference).max() <= body["matrix"]["max"] / 255 / 2 + 1e-6
    assert "thumbs" not in body and "step" not in body


def test_any_unicode_is_accepted(attention_worker):
    answer = post(fresh_client(), text="Ça va? 東京は大きい 🙂 — naïve café")
    assert answer.status_code == 200
    assert len(answer.json()["tokens"]) > 4


def test_hiding_special_tokens_drops_them_and_renormalises_the_rows(attention_worker):
    body = post(fresh_client(), text=SENTENCE, hide_specials=True).json()
    n = len(body["tokens"])
    assert body["shown"] == list(range(1, n - 1))
    matrix = decoded(body["matrix"])
    assert matrix.shape == (n - 2, n - 2)
    assert np.allclose(matrix.sum(axis=1), 1.0, atol=0.02 * n)


def test_mean_and_rollout_are_row_stochastic_and_differ_from_a_single_head(attention_worker):
    client = fresh_client()
    head = decoded(post(client, text=SENTENCE, mode="head", layer=3).json()["matrix"])
    mean = decoded(post(client, text=SENTENCE, mode="mean", layer=3).json()["matrix"])
    rollout = decoded(post(client, text=SENTENCE, mode="rollout", layer=3).json()["matrix"])
    for matrix in (mean, rollout):
        assert np.allclose(matrix.sum(axis=1), 1.0, atol=0.05)
    assert np.abs(head - mean).max() > 0.05
    assert np.abs(mean - rollout).max() > 0.05


def test_sentence_pair_mode_marks_the_two_sentences(attention_worker):
    body = post(fresh_client(), text="The cat sat.", text_pair="It was tired.", pair=True).json()
    assert body["tokens"].count("[SEP]") == 2
    assert 0 in body["sequence_ids"] and 1 in body["sequence_ids"]


def test_the_pair_text_is_ignored_unless_pair_mode_is_on(attention_worker):
    body = post(fresh_client(), text="The cat sat.", text_pair="It was tired.", pair=False).json()
    assert body["tokens"].count("[SEP]") == 1


def test_pair_mode_with_an_empty_second_sentence_reads_the_first_alone(attention_worker):
    body = post(fresh_client(), text="The cat sat.", text_pair="  ", pair=True).json()
    assert body["tokens"] == ["[CLS]", "the", "cat", "sat", ".", "[SEP]"]


def test_the_model_view_carries_all_72_thumbnails(attention_worker):
    body = post(fresh_client(), text=SENTENCE, view="model").json()
    size = body["thumbs"]["size"]
    assert size == len(body["tokens"])  # short text: one thumbnail cell per token
    assert len(base64.b64decode(body["thumbs"]["cells"])) == 6 * 12 * size * size
    # and a text alternative per thumbnail: layer 1, head 3 is this model's previous-token head
    labels = body["thumbs"]["labels"]
    assert len(labels) == 72
    assert labels[2] == "mostly the previous token (100% of rows)"
    assert labels[1 * 12 + 8].startswith("mostly the next token")


def test_the_step_view_shows_the_arithmetic_of_one_query_token(attention_worker, engine):
    # when
    body = post(fresh_client(), text=SENTENCE, view="step", layer=0, head=2, query=8).json()
    # then: q·k / sqrt(32), softmaxed, is the head's row; the output is the weighted sum of the v's
    step = body["step"]
    n = len(body["tokens"])
    assert (step["layer"], step["head"], step["query_index"], step["d_k"]) == (0, 2, 8, 32)
    assert len(step["q"]) == 32 and len(step["k"]) == len(step["v"]) == n
    dots = np.array([np.dot(step["q"], key) for key in step["k"]])
    assert np.allclose(dots, step["dots"], atol=0.05)
    assert np.allclose(np.array(step["dots"]) / math.sqrt(32), step["scaled"], atol=1e-2)
    softmax = np.exp(np.array(step["scaled"]) - max(step["scaled"]))
    assert np.allclose(softmax / softmax.sum(), step["weights"], atol=1e-3)
    assert np.allclose(step["weights"], engine.run_one(SENTENCE).attentions[0, 2, 8], atol=1e-4)
    assert np.allclose(np.array(step["weights"]) @ np.array(step["v"]), step["output"], atol=0.01)


def test_the_causal_what_if_masks_future_keys(attention_worker):
    body = post(fresh_client(), text=SENTENCE, view="step", layer=1, head=4, query=3, causal=True).json()
    assert body["causal"] is True
    step = body["step"]
    assert all(score is None for score in step["scaled"][4:])  # −∞ travels as null
    assert sum(step["weights"][4:]) == 0
    assert math.isclose(sum(step["weights"][:4]), 1.0, abs_tol=1e-3)
    matrix = decoded(body["matrix"])
    assert np.triu(matrix, k=1).max() == 0


# ---------------------------------------------------------------- when things are down


def test_no_worker_gives_a_clear_retryable_message_and_the_lab_recovers(paused_lab, settings):
    # given: a queue no worker consumes yet
    settings.ATTENTION_WAIT_SECONDS = 0.5
    client = fresh_client()
    # when
    down = post(client, text="Nobody is listening yet.")
    # then
    assert down.status_code == 503
    assert down.json()["code"] == "worker_unavailable"
    assert "not answering" in down.json()["detail"]
    assert down["Retry-After"] == "3"
    assert down.json()["token_count"] == 7  # the counter still works: [CLS] nobody is listening yet . [SEP]
    # when the worker comes back, the same request simply works (no reload, nothing to reset)
    paused_lab.start_worker()
    settings.ATTENTION_WAIT_SECONDS = 10
    back = post(client, text="Nobody is listening yet.")
    assert back.status_code == 200
    assert back.json()["tokens"][1] == "nobody"


def test_redis_down_gives_a_clear_message_not_an_error_page(settings):
    from tests.lab_processes import free_port

    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    answer = post(fresh_client(), text=SENTENCE)
    assert answer.status_code == 503
    assert answer.json()["code"] == "lab_unavailable"
    assert "Lessons and quizzes still work" in answer.json()["detail"]
