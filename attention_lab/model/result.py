"""The lab's one result type, from the engine through the cache and the worker's reply to the payloads.

Torch-free (numpy only), so the web process reads the same class the worker fills.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, eq=False)
class HeadDetail:
    """The step-by-step view of one head: softmax(scores) row by row is that head's attention map."""

    layer: int
    head: int
    query: np.ndarray  # (n, head_dim) float32
    key: np.ndarray  # (n, head_dim) float32
    value: np.ndarray  # (n, head_dim) float32
    scores: np.ndarray  # (n, n) float32: q·k/sqrt(d_k) (+ -inf above the diagonal when causal)


@dataclass(frozen=True, eq=False)
class AttentionResult:
    tokens: list[str]  # [CLS]/[SEP] included (or the model's own specials)
    token_type_ids: list[int]
    sequence_ids: list[int | None]  # 0 = text, 1 = text_pair, None = special token
    offsets: list  # character spans in the text they came from
    # (layers, heads, n, n) float32; rows = query token, each sums to 1. When `loaded` is set, only
    # those (layer, head) maps are real: the engine ran fewer layers, or a reader fetched some heads.
    attentions: np.ndarray
    model_name: str
    device: str
    causal: bool
    loaded: frozenset[tuple[int, int]] | None = None  # None: every head
    detail: HeadDetail | None = field(default=None)

    def require(self, heads: Iterable[tuple[int, int]] | None) -> None:
        """Fail loudly, never draw zeros, if a reader wants a head this result was not loaded with."""
        if self.loaded is None:
            return
        missing = (set(all_heads(self.attentions.shape)) if heads is None else set(heads)) - self.loaded
        if missing:
            raise LookupError(f"heads {sorted(missing)} were not loaded with this result")


def all_heads(shape: tuple[int, ...]) -> list[tuple[int, int]]:
    return [(layer, head) for layer in range(shape[0]) for head in range(shape[1])]
