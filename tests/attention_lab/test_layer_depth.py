"""A view runs the model only as deep as the layer it shows, and gets the very same maps.

Layer i's maps depend on layers 0..i alone, so a learner typing with layer 2 open costs a third of
the model. These tests hold the shortcut to the full pass: same numbers for every layer it ran, no
map it did not run ever shown (as zeros or otherwise), and a deeper view of the same text computes
what is missing rather than reading an incomplete cache entry.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from attention_lab import jobs, services
from attention_lab.model import AttentionRequest
from attention_lab.model.bert import BertEncoderModel
from attention_lab.model.engine import forward_rows
from tests.attention_lab.conftest import wait_until_cached
from tests.attention_lab.test_batching import BATCH_TOLERANCE
from tests.attention_lab.test_bert_module import TINY, seeded_model

THREE_LAYERS = dataclasses.replace(TINY, num_hidden_layers=3)  # enough to stop at each of three depths


@pytest.fixture
def tiny_model() -> BertEncoderModel:
    return seeded_model(THREE_LAYERS)


def test_rows_of_different_depths_get_exactly_the_full_passes_maps(tiny_model):
    # given three rows that need 3, 2 and 1 layers (deepest first)
    input_ids = torch.randint(0, 50, (3, 6))
    full = tiny_model(input_ids, attentions_only=True)
    # when: the engine runs each row only as deep as it needs
    shallow = shallow_pass(tiny_model, input_ids, [3, 2, 1])
    # then layer i holds the rows that reached it, each equal to the full pass
    assert [maps.shape[0] for maps in shallow.attentions] == [3, 2, 1]
    for layer, maps in enumerate(shallow.attentions):
        torch.testing.assert_close(maps, full.attentions[layer][: maps.shape[0]], rtol=0, atol=1e-6)


def shallow_pass(model, input_ids, depths):
    ones = torch.ones_like(input_ids)
    return forward_rows(
        model, input_ids, attention_mask=ones, token_type_ids=torch.zeros_like(input_ids), causal=False, capture_qkv=False, depths=depths
    )


def test_one_depth_for_the_whole_batch_stops_the_stack_there(tiny_model):
    output = tiny_model(torch.randint(0, 50, (2, 5)), layers=1, capture_qkv=True)
    assert len(output.attentions) == len(output.captures) == 1
    assert output.last_hidden_state.shape == (2, 5, 16)  # after layer 1: an intermediate state, asked for


@pytest.mark.parametrize(("layers", "message"), [(0, "within 1..3"), (4, "within 1..3")])
def test_impossible_depths_are_refused_clearly_by_the_model(tiny_model, layers, message):
    with pytest.raises(ValueError, match=message):
        tiny_model(torch.randint(0, 50, (2, 4)), attentions_only=True, layers=layers)


@pytest.mark.parametrize(
    ("depths", "message"),
    [([0, 0], "within 1..3"), ([4, 1], "within 1..3"), ([1, 2], "deepest first"), ([3], "1 counts for a batch of 2")],
)
def test_impossible_row_depths_are_refused_clearly_by_the_engine(tiny_model, depths, message):
    with pytest.raises(ValueError, match=message):
        shallow_pass(tiny_model, torch.randint(0, 50, (2, 4)), depths)


def test_a_batch_of_mixed_depths_equals_each_text_run_in_full(engine):
    # given requests for 1, all, 3 and 2 layers, in no particular order, one with the step detail
    requests = [
        AttentionRequest("A short one.", layers=1),
        AttentionRequest("The bank of the river was steep, so the bank manager walked along it."),
        AttentionRequest("Is it?", "It is.", layers=3, detail=(2, 5)),
        AttentionRequest("Emoji 😀 and 中文", layers=2),
    ]
    # when
    results = engine.run_batch(requests)
    # then each result has exactly the layers it asked for, equal to the full pass's
    for request, result in zip(requests, results):
        full = engine.run_one(request.text, request.text_pair)
        depth = request.layers or 6
        assert result.tokens == full.tokens
        assert result.attentions.shape == (depth, 12, len(full.tokens), len(full.tokens))
        assert np.abs(result.attentions - full.attentions[:depth]).max() <= BATCH_TOLERANCE
    detail = results[2].detail
    full_detail = engine.run_one("Is it?", "It is.", detail=(2, 5)).detail
    assert np.abs(detail.scores - full_detail.scores).max() <= BATCH_TOLERANCE


def test_a_detail_deeper_than_the_layers_asked_for_is_refused(engine):
    with pytest.raises(ValueError, match="detail layer 3 is not among the first 2 layers"):
        engine.run_batch([AttentionRequest("Too shallow.", layers=2, detail=(3, 0))])


@pytest.mark.integration
def test_a_deeper_view_of_the_same_text_computes_what_the_cache_lacks(attention_worker, lab_clean, engine):
    text = "The learner typed this with layer two open."
    expected = engine.run_one(text).attentions
    # given a head view of layer 2 (index 1): only layers 1-2 are run and cached
    shallow = services.attention_compute(text=text, heads=((1, 3),))
    wait_until_cached(text)
    cached_heads = {field.decode() for field in jobs.client().hkeys(jobs.result_key(text, None, False))}
    assert cached_heads == {"meta"} | {f"{layer}.{head}" for layer in range(2) for head in range(12)}
    assert np.abs(shallow.result.attentions[1, 3] - expected[1, 3]).max() < 1e-5
    with pytest.raises(LookupError):
        shallow.result.require([(2, 0)])  # never run: cannot be read, not even as zeros
    # when the learner switches to another head of a layer that ran: the cache answers
    switched = services.attention_compute(text=text, heads=((0, 7),))
    # and then to layer 5 and to all heads: the worker computes them, the cache does not pretend
    deeper = services.attention_compute(text=text, heads=((4, 0),))
    everything = services.attention_compute(text=text)
    # then
    assert switched.cached is True
    assert deeper.cached is False and everything.cached is False
    assert np.abs(deeper.result.attentions[4, 0] - expected[4, 0]).max() < 1e-5
    assert np.abs(everything.result.attentions - expected).max() < 1e-5
