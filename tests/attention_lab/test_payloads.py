"""The payloads the lab sends: the API's exact float32 selection, the compact lab update
(quantised bytes, only what is on screen, ≤ 40 KB at 64 tokens), mean over heads and rollout."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from attention_lab.payloads import api_payload, attention_rollout, head_mean, lab_payload
from attention_lab.model.result import AttentionResult, HeadDetail


def random_result(n: int, *, seed: int = 0, pair_at: int | None = None) -> AttentionResult:
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(6, 12, n, n)) * 3
    weights = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    tokens = ["[CLS]"] + [f"w{i}" for i in range(n - 2)] + ["[SEP]"]
    sequence_ids = [None] + [0] * (n - 2) + [None]
    if pair_at is not None:
        tokens[pair_at] = "[SEP]"
        sequence_ids = [None] + [0 if i < pair_at else 1 for i in range(1, n - 1)] + [None]
        sequence_ids[pair_at] = None
    return AttentionResult(
        tokens=tokens, token_type_ids=[0] * n, sequence_ids=sequence_ids, offsets=[[0, 0]] * n,
        attentions=weights.astype(np.float32), model_name="sentence-transformers/all-MiniLM-L6-v2",
        device="cpu", causal=False,
    )


def decode_cells(cells: str, size: int) -> np.ndarray:
    return np.frombuffer(base64.b64decode(cells), dtype=np.uint8).reshape(size, size)


def test_api_payload_is_the_float32_maps_unrounded_and_selectable():
    result = random_result(17)
    everything = api_payload(result, layers=list(range(6)), heads=list(range(12)))
    chosen = api_payload(result, layers=[3], heads=[7, 2])
    assert everything["attentions"].dtype == np.float32
    assert np.array_equal(everything["attentions"], result.attentions)
    assert np.array_equal(chosen["attentions"], result.attentions[3:4, [7, 2]])
    assert (chosen["layers"], chosen["heads"], chosen["head_indices"]) == (1, 2, [7, 2])


def test_head_view_cells_decode_back_to_the_weights():
    result = random_result(12)
    payload = lab_payload(result, mode="head", layer=2, head=5, hide_specials=False, thumbs=False, detail=None, query_index=0)
    matrix = payload["matrix"]
    decoded = decode_cells(matrix["cells"], matrix["size"]) / 255 * matrix["max"]
    assert matrix["size"] == 12 and payload["shown"] == list(range(12))
    assert np.abs(decoded - result.attentions[2, 5]).max() <= matrix["max"] / 255  # one quantisation step


def test_hiding_specials_drops_them_and_renormalises_rows():
    result = random_result(10, pair_at=5)  # [CLS] a a a a [SEP] b b b [SEP]
    payload = lab_payload(result, mode="head", layer=0, head=0, hide_specials=True, thumbs=False, detail=None, query_index=0)
    assert payload["shown"] == [1, 2, 3, 4, 6, 7, 8]
    kept = result.attentions[0, 0][np.ix_(payload["shown"], payload["shown"])].astype(np.float64)
    expected = kept / kept.sum(-1, keepdims=True)
    matrix = payload["matrix"]
    decoded = decode_cells(matrix["cells"], matrix["size"]) / 255 * matrix["max"]
    assert np.abs(decoded - expected).max() <= matrix["max"] / 255


def test_mean_over_heads_and_rollout_are_row_stochastic_and_correct():
    result = random_result(8)
    mean = head_mean(result.attentions, 3)
    assert np.allclose(mean, result.attentions[3].mean(0), atol=1e-6)
    rollout0 = attention_rollout(result.attentions, 0)
    assert np.allclose(rollout0, 0.5 * result.attentions[0].mean(0) + 0.5 * np.eye(8), atol=1e-6)
    rollout5 = attention_rollout(result.attentions, 5)
    assert np.allclose(rollout5.sum(-1), 1)
    step = 0.5 * head_mean(result.attentions, 1) + 0.5 * np.eye(8)
    assert np.allclose(attention_rollout(result.attentions, 1), step @ rollout0)


def test_compact_payload_at_64_tokens_is_under_40_kb_even_with_all_thumbnails():
    result = random_result(64)
    head = lab_payload(result, mode="head", layer=0, head=0, hide_specials=False, thumbs=False, detail=None, query_index=0)
    model = lab_payload(result, mode="head", layer=0, head=0, hide_specials=False, thumbs=True, detail=None, query_index=0)
    head_bytes, model_bytes = len(json.dumps(head)), len(json.dumps(model))
    raw_float32 = 6 * 12 * 64 * 64 * 4
    assert head_bytes < 10_000
    assert model_bytes <= 40_000, model_bytes
    assert raw_float32 > 1_000_000 and model_bytes < raw_float32 / 25
    thumbs = np.frombuffer(base64.b64decode(model["thumbs"]["cells"]), dtype=np.uint8)
    assert thumbs.size == 72 * 16 * 16


def test_step_payload_carries_the_formula_numbers():
    n, d_k = 5, 32
    rng = np.random.default_rng(1)
    q, k, v = (rng.normal(size=(n, d_k)).astype(np.float32) for _ in range(3))
    scores = (q @ k.T) / np.sqrt(d_k)
    weights = np.exp(scores) / np.exp(scores).sum(-1, keepdims=True)
    result = random_result(n)
    attentions = result.attentions.copy()
    attentions[1, 4] = weights
    result = AttentionResult(**{**result.__dict__, "attentions": attentions})
    detail = HeadDetail(layer=1, head=4, query=q, key=k, value=v, scores=scores.astype(np.float32))
    payload = lab_payload(result, mode="head", layer=1, head=4, hide_specials=False, thumbs=False, detail=detail, query_index=2)
    step = payload["step"]
    assert step["d_k"] == 32 and step["query_index"] == 2
    assert np.allclose(step["dots"], k @ q[2], atol=1e-3)
    assert np.allclose(step["scaled"], np.array(step["dots"]) / np.sqrt(32), atol=1e-3)
    assert np.allclose(step["weights"], weights[2], atol=1e-5)
    assert np.allclose(step["output"], weights[2] @ v, atol=1e-3)
