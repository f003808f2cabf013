"""Our encoder's attention maps equal Hugging Face BertModel's (eager, float32) on the same weights."""

from __future__ import annotations

import os

# Before transformers is imported: it must never try the hub, the weights are local files.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import numpy as np
import pytest
import torch

from attention_lab.model import AttentionEngine, AttentionRequest

TOLERANCE = 1e-5

TEXTS = [
    "Hi.",
    "The animal didn't cross the street because it was too tired.",
    "Wait... what?! (Really?) -- yes: 100% [sure]; #hashtag @user $5.99 & more <b>tags</b>",
    "Emoji 😀🚀 and CJK 注意力机制 and Arabic الانتباه and café naïve Å e\u0301 \u200b zero-width",
    "",
]
PAIRS = [
    ("Where is the cat?", "The cat is on the mat."),
    ("", "Only the second sentence has words."),
    ("A question about attention heads?", "Each head has its own query, key and value projections."),
]


def reference_attentions(reference_model, engine: AttentionEngine, inputs: list) -> list[np.ndarray]:
    """HF attentions for a padded batch, each cut to its item's real tokens: (layers, heads, n, n)."""
    batch = engine.tokenizer.encode_batch(inputs)
    with torch.inference_mode():
        output = reference_model(
            input_ids=torch.from_numpy(batch.input_ids),
            attention_mask=torch.from_numpy(batch.attention_mask),
            token_type_ids=torch.from_numpy(batch.token_type_ids),
            output_attentions=True,
        )
    stacked = torch.stack(output.attentions, dim=1).numpy()  # (B, layers, heads, T, T)
    return [stacked[row, :, :, :n, :n] for row, n in enumerate(batch.lengths)]


def assert_close_per_layer(ours: np.ndarray, theirs: np.ndarray) -> None:
    assert ours.shape == theirs.shape
    for layer, (our_layer, their_layer) in enumerate(zip(ours, theirs)):
        difference = float(np.abs(our_layer - their_layer).max())
        assert difference <= TOLERANCE, f"layer {layer}: max |diff| {difference:.2e}"


@pytest.mark.parametrize("text", TEXTS, ids=["short", "sentence", "punctuation", "unicode", "empty"])
def test_single_text_matches_reference(engine, reference_model, text):
    # when
    ours = engine.run_one(text)
    (theirs,) = reference_attentions(reference_model, engine, [text])
    # then
    assert_close_per_layer(ours.attentions, theirs)


def test_text_at_token_limit_matches_reference(engine, reference_model, text_at_limit):
    ours = engine.run_one(text_at_limit)
    (theirs,) = reference_attentions(reference_model, engine, [text_at_limit])
    assert len(ours.tokens) == 256
    assert_close_per_layer(ours.attentions, theirs)


@pytest.mark.parametrize("pair", PAIRS, ids=["question-answer", "empty-first", "longer"])
def test_sentence_pair_matches_reference(engine, reference_model, pair):
    ours = engine.run_one(*pair)
    (theirs,) = reference_attentions(reference_model, engine, [pair])
    assert 1 in ours.token_type_ids
    assert_close_per_layer(ours.attentions, theirs)


def test_padded_batch_matches_reference(engine, reference_model, text_at_limit):
    # given texts of very different lengths, so most rows of the batch are padding
    inputs = [TEXTS[0], PAIRS[0], TEXTS[3], text_at_limit[:300], TEXTS[4]]
    requests = [
        AttentionRequest(item) if isinstance(item, str) else AttentionRequest(*item) for item in inputs
    ]
    # when both models run the same padded batch
    ours = engine.run_batch(requests)
    theirs = reference_attentions(reference_model, engine, inputs)
    # then every item matches on its own tokens
    for our_result, their_attentions in zip(ours, theirs):
        assert_close_per_layer(our_result.attentions, their_attentions)


def test_hidden_states_match_reference(engine, reference_model):
    """Not only the maps: the encoder's output vectors agree too, so no layer is quietly wrong."""
    batch = engine.tokenizer.encode_batch([TEXTS[1], PAIRS[2]])
    tensors = {
        "input_ids": torch.from_numpy(batch.input_ids),
        "attention_mask": torch.from_numpy(batch.attention_mask),
        "token_type_ids": torch.from_numpy(batch.token_type_ids),
    }
    with torch.inference_mode():
        ours = engine.model(**tensors).last_hidden_state
        theirs = reference_model(**tensors).last_hidden_state
    mask = tensors["attention_mask"].bool()
    assert float((ours[mask] - theirs[mask]).abs().max()) <= 1e-4
