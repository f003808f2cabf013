"""attention_compute and attention_most_attended_token through a REAL worker subprocess and Redis:
the numbers equal the model's, the cache answers repeats without the worker, limits hold."""

from __future__ import annotations

import numpy as np
import pytest

from attention_lab import jobs, services
from attention_lab.model import MAX_TOKENS
from tests.attention_lab.conftest import wait_until_cached

pytestmark = pytest.mark.integration


def test_compute_returns_the_models_attention_through_the_worker(attention_worker, lab_clean, engine):
    # when
    computed = services.attention_compute(text="The cat sat on the mat.")
    # then
    result = computed.result
    assert computed.cached is False
    assert result.tokens == ["[CLS]", "the", "cat", "sat", "on", "the", "mat", ".", "[SEP]"]
    assert result.attentions.shape == (6, 12, 9, 9)
    assert np.allclose(result.attentions.sum(-1), 1, atol=1e-5)
    assert result.model_name == "sentence-transformers/all-MiniLM-L6-v2"
    expected = engine.run_one("The cat sat on the mat.").attentions
    assert np.abs(result.attentions - expected).max() < 1e-5


def test_a_repeated_input_is_answered_from_the_cache_without_the_worker(attention_worker, lab_clean):
    first = services.attention_compute(text="Repeat after me.")
    wait_until_cached("Repeat after me.")
    before = jobs.stats_read()
    attention_worker.kill()  # no worker at all now: only the cache can answer
    try:
        second = services.attention_compute(text="Repeat after me.", timeout=0.5)
    finally:
        attention_worker.start()
    after = jobs.stats_read()
    assert first.cached is False and second.cached is True
    assert np.array_equal(first.result.attentions, second.result.attentions)
    assert after.get("forwards", 0) == before.get("forwards", 0)
    assert after.get("cache_hits", 0) == before.get("cache_hits", 0) + 1


def test_sentence_pairs_and_the_step_detail(attention_worker, lab_clean):
    computed = services.attention_compute(text="Where is it?", text_pair="Over there.", detail=(2, 7))
    result, detail = computed.result, computed.detail
    assert result.tokens.count("[SEP]") == 2
    assert result.token_type_ids == [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]
    assert detail.layer == 2 and detail.head == 7
    n = len(result.tokens)
    assert detail.query.shape == detail.key.shape == detail.value.shape == (n, 32)
    # softmax(q·k / sqrt(d_k)) of the worker's own numbers is the worker's attention map
    scores = detail.query.astype(np.float64) @ detail.key.T.astype(np.float64) / np.sqrt(32)
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    assert np.abs(weights - result.attentions[2, 7]).max() < 1e-4


def test_over_the_limit_is_refused_before_anything_is_queued(lab_clean, text_at_limit):
    with pytest.raises(services.TextTooLongError) as refused:
        services.attention_compute(text=text_at_limit + " more words")
    assert refused.value.limit == MAX_TOKENS == 256
    assert "256" in str(refused.value)
    assert jobs.client().llen(jobs.pending_key()) == 0


def test_exactly_at_the_limit_is_computed(attention_worker, lab_clean, text_at_limit):
    computed = services.attention_compute(text=text_at_limit)
    assert len(computed.result.tokens) == MAX_TOKENS
    assert computed.result.attentions.shape == (6, 12, MAX_TOKENS, MAX_TOKENS)


@pytest.mark.parametrize(
    "text",
    ["naïve café — ½ ≠ 0.5", "注意力就是你所需要的", "مرحبا بالعالم", "I ❤️ transformers 🤖", "\x00 nul and \u200b zero-width", "lone \ud800 surrogate"],
)
def test_any_unicode_is_accepted(attention_worker, text):
    computed = services.attention_compute(text=text)
    assert computed.result.tokens[0] == "[CLS]" and computed.result.tokens[-1] == "[SEP]"
    assert np.allclose(computed.result.attentions.sum(-1), 1, atol=1e-5)


def test_most_attended_token_is_the_argmax_of_the_models_row(attention_worker, engine):
    sentence = "The animal didn't cross the street because it was too tired."
    reference = engine.run_one(sentence)
    it = reference.tokens.index("it")
    answer = services.attention_most_attended_token(text=sentence, layer=4, head=3, query_index=it)
    row = reference.attentions[4, 3, it]
    assert answer.index == int(row.argmax())
    assert answer.token == answer.tokens[answer.index]
    assert answer.query_token == answer.tokens[it] == "it"
    assert answer.weight == pytest.approx(float(row.max()), abs=1e-5)
    assert sum(answer.weights) == pytest.approx(1.0, abs=1e-4)


def test_most_attended_token_refuses_a_query_outside_the_text(attention_worker):
    with pytest.raises(IndexError, match="outside 0..3"):
        services.attention_most_attended_token(text="two words", layer=0, head=0, query_index=4)


def test_token_count_includes_cls_and_sep():
    assert services.token_count(text="hello world") == 4
    assert services.token_count(text="hello", text_pair="world") == 5


def test_every_lab_update_at_64_tokens_is_under_40_kb(attention_worker, tokenizer):
    import json

    from attention_lab.payloads import lab_payload
    from tests.attention_lab.conftest import text_of_exactly

    computed = services.attention_compute(text=text_of_exactly(tokenizer, 64), detail=(3, 5))
    for view in ("head", "model", "step"):
        payload = lab_payload(
            computed.result, mode="head", layer=3, head=5, hide_specials=False,
            thumbs=view == "model", detail=computed.detail if view == "step" else None, query_index=10,
        )
        assert len(json.dumps(payload)) <= 40_000, (view, len(json.dumps(payload)))  # as JsonResponse sends it
