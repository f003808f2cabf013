"""One-line descriptions of what each head does on the current text, for the model view.

They are the thumbnails' text alternative ("Layer 1, head 3: the previous token, in 100% of rows")
and a reading aid: the patterns lesson 13 teaches (previous/next token, [CLS], [SEP], punctuation,
broad heads) named where the learner sees them. Computed from the weights the page already has.
"""
from __future__ import annotations

import numpy as np

PUNCTUATION = set(".,;:!?…-–—()\"'")
DOMINANT_SHARE = 0.5  # a pattern is named when it is the strongest key of at least half the rows
BROAD_ENTROPY = 0.7  # normalised row entropy (0 = one key, 1 = uniform) above which a head is "broad"


def head_patterns_describe(*, attentions: np.ndarray, tokens: list[str]) -> list[str]:
    """attentions: (layers, heads, n, n). Returns layers × heads descriptions, layer-major."""
    layers, heads, n, _ = attentions.shape
    if n <= 2:  # only [CLS] and [SEP]: nothing to describe
        return ["" for _ in range(layers * heads)]
    rows = np.arange(1, n - 1)  # ordinary tokens; [CLS]/[SEP] rows say little about a head
    weights = np.asarray(attentions[:, :, 1 : n - 1, :], dtype=np.float32)  # (L, H, m, n)
    strongest = weights.argmax(axis=-1)  # (L, H, m): each row's strongest key
    # A row only votes for a pattern when its strongest key stands out (at least twice the uniform
    # 1/n); in a near-uniform row the argmax is an accident of rounding.
    stands_out = weights.max(axis=-1) >= 2.0 / n  # (L, H, m)
    is_sep = np.array([token == "[SEP]" for token in tokens])
    is_punct = np.array([token in PUNCTUATION for token in tokens])
    # Checked in this order: a row whose strongest key is both "previous" and [CLS] (the first
    # word) counts as "previous", so a positional head is not mistaken for a [CLS] head.
    kinds = [
        ("the previous token", strongest == rows - 1),
        ("the next token", strongest == rows + 1),
        ("itself", strongest == rows),
        ("[CLS]", strongest == 0),
        ("[SEP]", is_sep[strongest]),
        ("punctuation", is_punct[strongest]),
    ]
    claimed = ~stands_out
    shares = []
    for label, match in kinds:
        first_time = match & ~claimed
        claimed |= match
        shares.append((label, first_time.mean(axis=-1)))  # (L, H)

    descriptions = []
    for layer in range(layers):
        for head in range(heads):
            label, share = max(((label, float(values[layer, head])) for label, values in shares), key=lambda pair: pair[1])
            if share >= DOMINANT_SHARE:
                descriptions.append(f"mostly {label} ({share:.0%} of rows)")
            elif _entropy(weights[layer, head]) >= BROAD_ENTROPY:
                descriptions.append("broad: spread over many tokens")
            else:
                descriptions.append("mixed: no single pattern")
    return descriptions


def _entropy(rows: np.ndarray) -> float:
    """Mean row entropy divided by log n: 0 when each row picks one key, 1 when rows are uniform.
    Only computed for heads without a dominant pattern (the log is the expensive part)."""
    return float(-(rows * np.log(rows + np.float32(1e-12))).sum(axis=-1).mean() / np.log(rows.shape[-1]))
