"""Batched requests give each text exactly what it would get alone, plus the step-by-step detail."""

from __future__ import annotations

import numpy as np
import pytest

from attention_lab.model import MAX_TOKENS, AttentionRequest, TextTooLongError

# Batched and single runs are not bit-identical in float32: a padded row's softmax sum and its
# probs @ v reduce over more (zero) terms, and the GEMM splits work by batch size, so summation order
# differs. Measured: up to ~3e-6 over random batches on 2 threads. A masking bug (a padded key
# getting weight) moves maps by orders of magnitude more; the exact zeros are tested separately.
BATCH_TOLERANCE = 1e-5

TEXTS = [
    "Short.",
    "The bank of the river was steep, so the bank manager walked along it.",
    "Emoji 😀 mixed with 中文 and numbers 3.14159",
    "",
]


def softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def test_batch_equals_each_text_alone(engine):
    # given a batch mixing very different lengths and a sentence pair
    requests = [AttentionRequest(text) for text in TEXTS] + [AttentionRequest("Is it?", "It is.")]
    # when
    batched = engine.run_batch(requests)
    alone = [engine.run_batch([request])[0] for request in requests]
    # then
    for together, single in zip(batched, alone):
        assert together.tokens == single.tokens
        assert together.attentions.shape == single.attentions.shape
        assert np.abs(together.attentions - single.attentions).max() <= BATCH_TOLERANCE


def test_result_shape_dtype_and_rows_sum_to_one(engine):
    result = engine.run_batch([AttentionRequest(TEXTS[1]), AttentionRequest(TEXTS[0])])[0]
    n = len(result.tokens)
    assert result.attentions.shape == (6, 12, n, n)
    assert result.attentions.dtype == np.float32
    np.testing.assert_allclose(result.attentions.sum(axis=-1), 1.0, atol=1e-5)
    assert result.model_name == "sentence-transformers/all-MiniLM-L6-v2"
    assert result.device == "cpu"


def test_detail_scores_softmax_to_the_heads_attention(engine):
    # given a detail request beside a plain one in the same batch
    results = engine.run_batch(
        [AttentionRequest(TEXTS[0]), AttentionRequest(TEXTS[1], detail=(3, 7))]
    )
    plain, detailed = results
    n = len(detailed.tokens)
    detail = detailed.detail
    # then
    assert plain.detail is None
    assert (detail.layer, detail.head) == (3, 7)
    assert detail.query.shape == detail.key.shape == detail.value.shape == (n, 32)
    assert detail.scores.shape == (n, n)
    np.testing.assert_allclose(softmax(detail.scores), detailed.attentions[3, 7], atol=1e-6)
    # and the scores are the scaled dot products of the q and k shown
    np.testing.assert_allclose(detail.query @ detail.key.T / np.sqrt(32), detail.scores, atol=1e-4)


def test_causal_what_if_hides_future_tokens(engine):
    result = engine.run_one(TEXTS[1], causal=True, detail=(0, 0))
    n = len(result.tokens)
    future = np.triu(np.ones((n, n), dtype=bool), k=1)
    assert result.causal
    assert np.all(result.attentions[:, :, future] == 0.0)
    np.testing.assert_allclose(result.attentions.sum(axis=-1), 1.0, atol=1e-5)
    assert result.attentions[0, 0, 0, 0] == pytest.approx(1.0)  # [CLS] can only see itself
    assert np.all(np.isneginf(result.detail.scores[future]))


def test_mixed_causal_flags_in_one_batch_match_separate_runs(engine):
    requests = [
        AttentionRequest(TEXTS[1], causal=True),
        AttentionRequest(TEXTS[1]),
        AttentionRequest(TEXTS[2], causal=True),
    ]
    batched = engine.run_batch(requests)
    for request, together in zip(requests, batched):
        single = engine.run_batch([request])[0]
        assert together.causal == request.causal
        assert np.abs(together.attentions - single.attentions).max() <= BATCH_TOLERANCE
    assert not np.allclose(batched[0].attentions, batched[1].attentions)


def test_empty_batch_returns_nothing(engine):
    assert engine.run_batch([]) == []


def test_too_long_request_fails_the_batch_before_any_compute(engine):
    with pytest.raises(TextTooLongError):
        engine.run_batch([AttentionRequest("fine"), AttentionRequest(" ".join(["word"] * MAX_TOKENS))])


@pytest.mark.parametrize("detail", [(6, 0), (0, 12), (-1, 0)])
def test_out_of_range_detail_is_rejected(engine, detail):
    with pytest.raises(ValueError, match="detail"):
        engine.run_one("text", detail=detail)
