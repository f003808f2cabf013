"""Unit tests of the encoder module on a tiny random config: shapes, masks and config validation."""

from __future__ import annotations

import pytest
import torch

from attention_lab.model.bert import BertConfig, BertEncoderModel

TINY = BertConfig(
    vocab_size=50,
    hidden_size=16,
    num_hidden_layers=2,
    num_attention_heads=4,
    intermediate_size=32,
    max_position_embeddings=20,
)


def seeded_model(config: BertConfig) -> BertEncoderModel:
    """Random weights, the same on every run."""
    torch.manual_seed(0)
    return BertEncoderModel(config).eval()


@pytest.fixture
def tiny_model() -> BertEncoderModel:
    return seeded_model(TINY)


def test_forward_shapes_with_capture(tiny_model):
    input_ids = torch.randint(0, 50, (3, 7))
    output = tiny_model(input_ids, capture_qkv=True)
    assert output.last_hidden_state.shape == (3, 7, 16)
    assert len(output.attentions) == len(output.captures) == 2
    for probs, capture in zip(output.attentions, output.captures):
        assert probs.shape == (3, 4, 7, 7)
        assert capture.query.shape == capture.key.shape == capture.value.shape == (3, 4, 7, 4)
        assert capture.scores.shape == (3, 4, 7, 7)
        torch.testing.assert_close(probs.sum(-1), torch.ones(3, 4, 7))


def test_no_capture_by_default(tiny_model):
    assert tiny_model(torch.randint(0, 50, (1, 4))).captures is None


def test_padded_keys_get_exactly_zero_weight(tiny_model):
    input_ids = torch.randint(0, 50, (2, 6))
    attention_mask = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0]])
    output = tiny_model(input_ids, attention_mask=attention_mask)
    for probs in output.attentions:
        assert torch.all(probs[1, :, :, 3:] == 0)


def test_padding_does_not_change_real_tokens(tiny_model):
    input_ids = torch.randint(0, 50, (1, 4))
    padded_ids = torch.cat([input_ids, torch.zeros(1, 3, dtype=torch.long)], dim=1)
    mask = torch.tensor([[1, 1, 1, 1, 0, 0, 0]])
    alone = tiny_model(input_ids).attentions[-1]
    padded = tiny_model(padded_ids, attention_mask=mask).attentions[-1][:, :, :4, :4]
    torch.testing.assert_close(alone, padded)


def test_per_row_causal_flags(tiny_model):
    input_ids = torch.randint(0, 50, (2, 5))
    output = tiny_model(input_ids, causal=torch.tensor([True, False]))
    future = torch.ones(5, 5, dtype=torch.bool).triu(1)
    assert torch.all(output.attentions[0][0][:, future] == 0)
    assert torch.all(output.attentions[0][1][:, future] > 0)


def test_token_type_ids_change_the_embedding(tiny_model):
    input_ids = torch.randint(0, 50, (1, 4))
    first = tiny_model(input_ids, token_type_ids=torch.zeros(1, 4, dtype=torch.long)).last_hidden_state
    second = tiny_model(input_ids, token_type_ids=torch.ones(1, 4, dtype=torch.long)).last_hidden_state
    assert not torch.allclose(first, second)


def test_hidden_size_not_divisible_by_heads_is_a_value_error():
    expected = r"hidden_size \(100\) must be divisible by num_attention_heads \(12\)"
    with pytest.raises(ValueError, match=expected):
        BertConfig(hidden_size=100, num_attention_heads=12)


@pytest.mark.parametrize(
    "values",
    [{"num_hidden_layers": 0}, {"hidden_act": "relu"}, {"vocab_size": -1}, {"layer_norm_eps": 0.0}],
)
def test_other_bad_configs_are_value_errors(values):
    with pytest.raises(ValueError):
        BertConfig(**values)


def test_from_dict_reads_a_hugging_face_config_and_rejects_relative_positions():
    config = BertConfig.from_dict({"hidden_size": 32, "num_attention_heads": 4, "model_type": "bert"})
    assert config.head_dim == 8
    with pytest.raises(ValueError, match="absolute"):
        BertConfig.from_dict({"position_embedding_type": "relative_key"})


def test_too_many_positions_is_a_value_error(tiny_model):
    with pytest.raises(ValueError, match="max_position_embeddings"):
        tiny_model(torch.zeros(1, 21, dtype=torch.long))


def test_asking_only_for_attentions_gives_the_same_maps_without_the_last_block(tiny_model):
    input_ids = torch.tensor([[2, 5, 9, 4, 3, 1, 7]])
    full = tiny_model(input_ids)
    maps_only = tiny_model(input_ids, attentions_only=True)
    assert maps_only.last_hidden_state is None
    for ours, theirs in zip(maps_only.attentions, full.attentions):
        assert torch.equal(ours, theirs)
