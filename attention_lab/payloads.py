"""Attention maps shaped for their readers: the public API (exact float32) and the lab page
(only what is on screen, quantised to bytes: ~10-30 KB per update instead of 1.2 MB of float32).

Also the two aggregates the lab shows: the mean over heads and attention rollout.
"""

from __future__ import annotations

import base64
import math

import numpy as np

from attention_lab.model.result import AttentionResult, HeadDetail

THUMB_BINS = 16  # model-view thumbnails are at most 16 x 16 cells
SPECIAL_TOKENS = ("[CLS]", "[SEP]")


def api_payload(result: AttentionResult, *, layers: list[int], heads: list[int]) -> dict:
    """The API's answer: the chosen layers × heads as the worker's float32 array, never rounded
    (the renderers write it exactly: shortest-repr JSON or a raw .npz)."""
    result.require((layer, head) for layer in layers for head in heads)
    full = result.attentions
    if layers == list(range(full.shape[0])) and heads == list(range(full.shape[1])):
        chosen = full  # all of it: no copy
    else:
        chosen = full[np.ix_(layers, heads)]  # (len(layers), len(heads), n, n), a fresh contiguous copy
    return {
        "model": result.model_name,
        "device": result.device,
        "tokens": result.tokens,
        "token_type_ids": result.token_type_ids,
        "layers": len(layers),
        "heads": len(heads),
        "layer_indices": list(layers),
        "head_indices": list(heads),
        "attentions": np.ascontiguousarray(chosen, dtype=np.float32),
    }


# ---------------------------------------------------------------- aggregates


def head_mean(attentions: np.ndarray, layer: int) -> np.ndarray:
    """Mean over the heads of one layer: still row-stochastic."""
    return attentions[layer].astype(np.float64).mean(axis=0)


def attention_rollout(attentions: np.ndarray, up_to_layer: int) -> np.ndarray:
    """Abnar & Zuidema (2020) with the residual: A' = 0.5·mean_heads(A) + 0.5·I, rows renormalised,
    multiplied from layer 0 up to `up_to_layer` (inclusive): R = A'_L · … · A'_0."""
    n = attentions.shape[-1]
    rollout = np.eye(n)
    for layer in range(up_to_layer + 1):
        mixed = 0.5 * head_mean(attentions, layer) + 0.5 * np.eye(n)
        mixed /= mixed.sum(axis=-1, keepdims=True)
        rollout = mixed @ rollout
    return rollout


def without_specials(matrix: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Drop [CLS]/[SEP] rows and columns, then renormalise each row to sum to 1 again."""
    kept = matrix[np.ix_(keep, keep)]
    sums = kept.sum(axis=-1, keepdims=True)
    return np.divide(kept, sums, out=np.zeros_like(kept), where=sums > 0)


# ---------------------------------------------------------------- lab update


def _bytes_b64(matrix: np.ndarray, scale: float) -> str:
    """Cells as bytes 0..255 relative to `scale` (the colour scale's top), base64."""
    quantised = np.clip(np.rint(matrix / scale * 255.0), 0, 255).astype(np.uint8) if scale > 0 else np.zeros(matrix.shape, np.uint8)
    return base64.b64encode(quantised.tobytes()).decode("ascii")


def _binned(matrix: np.ndarray, bins: int) -> np.ndarray:
    """Average-pool an n x n map down to bins x bins (uneven blocks when n is not a multiple)."""
    n = matrix.shape[-1]
    if n <= bins:
        return matrix
    edges = np.linspace(0, n, bins + 1).round().astype(int)
    rows = np.add.reduceat(matrix, edges[:-1], axis=-2) / np.diff(edges)[:, None]
    return np.add.reduceat(rows, edges[:-1], axis=-1) / np.diff(edges)[None, :]


def lab_heads_needed(*, view: str, mode: str, layer: int, head: int, heads_per_layer: int):
    """The (layer, head) maps one lab update reads; None means all of them (the model view)."""
    if view == "model":
        return None
    if view == "step" or mode == "head":
        return ((layer, head),)
    layers = range(layer + 1) if mode == "rollout" else (layer,)  # rollout multiplies layers 0..layer
    return tuple((each, index) for each in layers for index in range(heads_per_layer))


def lab_payload(
    result: AttentionResult,
    *,
    mode: str,
    layer: int,
    head: int,
    hide_specials: bool,
    thumbs: bool,
    detail: HeadDetail | None,
    query_index: int,
) -> dict:
    """One update of the lab page: the shown matrix (bytes), optional model-view thumbnails and the
    optional step-by-step numbers for one query token."""
    result.require(
        None if thumbs else lab_heads_needed(view="head", mode=mode, layer=layer, head=head, heads_per_layer=result.attentions.shape[1])
    )
    attentions = result.attentions
    n = len(result.tokens)
    keep = np.array([token not in SPECIAL_TOKENS or sequence is not None for token, sequence in zip(result.tokens, result.sequence_ids)])
    if not hide_specials or keep.sum() == 0:
        keep = np.ones(n, dtype=bool)
    shown = np.flatnonzero(keep)

    if mode == "mean":
        matrix = head_mean(attentions, layer)
    elif mode == "rollout":
        matrix = attention_rollout(attentions, layer)
    else:
        matrix = attentions[layer, head].astype(np.float64)
    if hide_specials:
        matrix = without_specials(matrix, keep)
    top = float(matrix.max()) if matrix.size else 0.0

    payload = {
        "model": result.model_name,
        "device": result.device,
        "tokens": result.tokens,
        "sequence_ids": result.sequence_ids,
        "token_count": n,
        "layers": int(attentions.shape[0]),
        "heads": int(attentions.shape[1]),
        "shown": shown.tolist(),
        "causal": result.causal,
        "matrix": {"mode": mode, "layer": layer, "head": head, "size": len(shown), "max": round(top, 6), "cells": _bytes_b64(matrix, top)},
    }
    if thumbs:
        grids = []
        for layer_index in range(attentions.shape[0]):
            for head_index in range(attentions.shape[1]):
                cells = attentions[layer_index, head_index].astype(np.float64)
                if hide_specials:
                    cells = without_specials(cells, keep)
                grids.append(_binned(cells, THUMB_BINS))
        stack = np.stack(grids)  # (layers * heads, b, b)
        # One scale per thumbnail: each shows its own pattern (a broad head would look blank otherwise).
        peaks = stack.max(axis=(1, 2), keepdims=True)
        quantised = np.clip(np.rint(np.divide(stack, peaks, out=np.zeros_like(stack), where=peaks > 0) * 255), 0, 255)
        payload["thumbs"] = {"size": int(stack.shape[-1]), "cells": base64.b64encode(quantised.astype(np.uint8).tobytes()).decode("ascii")}
    if detail is not None:
        payload["step"] = step_payload(result, detail, query_index)
    return payload


def _rounded(values: np.ndarray, decimals: int = 4) -> list:
    return [None if not math.isfinite(value) else round(float(value), decimals) for value in np.ravel(values)]


def step_payload(result: AttentionResult, detail: HeadDetail, query_index: int) -> dict:
    """The arithmetic of one head for one query token, with the worker's real numbers."""
    n, d_k = detail.query.shape
    query_index = min(max(query_index, 0), n - 1)
    query = detail.query[query_index].astype(np.float64)
    keys = detail.key.astype(np.float64)
    values = detail.value.astype(np.float64)
    dots = keys @ query  # q·k_j for every key j
    scaled = detail.scores[query_index].astype(np.float64)  # = dots / sqrt(d_k); -inf when masked
    weights = result.attentions[detail.layer, detail.head, query_index].astype(np.float64)
    output = weights @ values
    masked = ~np.isfinite(scaled)
    return {
        "layer": detail.layer,
        "head": detail.head,
        "query_index": query_index,
        "d_k": d_k,
        "sqrt_d_k": round(math.sqrt(d_k), 6),
        # 3 decimals for the vectors (2 × n × 32 numbers: the bulk of the step payload), so that a
        # step update at 64 tokens stays under 40 KB; the sums the page shows use 4.
        "q": _rounded(query, 3),
        "k": [_rounded(row, 3) for row in keys],
        "v": [_rounded(row, 3) for row in values],
        "dots": _rounded(np.where(masked, np.nan, dots)),
        "scaled": _rounded(scaled),
        "weights": _rounded(weights, 5),
        "output": _rounded(output),
    }
