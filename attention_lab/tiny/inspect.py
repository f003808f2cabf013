"""Find the two heads of the induction circuit by what they do, not by where we hope they are.

On a probe "<s> + a segment of distinct letters + the same segment again":
- a previous-token head puts its weight on position i - 1 from every position i;
- an induction head, from each position of the second copy, attends to the position just after
  the same letter's earlier occurrence (span - 1 positions back), whose letter comes next.
A score is the head's average weight on that one expected key: 1.0 for a perfect head, about
1/i for a head that spreads its weight evenly.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from attention_lab.tiny.model import TinyTransformer
from attention_lab.tiny.task import repeated_sequence

PROBE_SPAN = 15  # distinct letters per copy: <s> + 15 + 15 = 31 tokens, within the block
PROBE_COUNT = 16
PROBE_SEED = 7


@dataclass(frozen=True)
class HeadScore:
    layer: int  # counted from 1, as the lab shows it
    head: int  # counted from 1
    score: float


def previous_token_scores(attentions: torch.Tensor) -> torch.Tensor:
    """(layers, heads, n, n) maps of one text -> (layers, heads): mean weight on key i - 1 from
    queries i = 2..n-1 (query 1's previous token is <s>, where idle heads also rest, so it is skipped)."""
    n = attentions.shape[-1]
    queries = torch.arange(2, n)
    return attentions[:, :, queries, queries - 1].mean(dim=-1)


def induction_scores(attentions: torch.Tensor, span: int) -> torch.Tensor:
    """(layers, heads, n, n) maps of "<s> + segment + segment" (segment of `span` distinct letters)
    -> (layers, heads): mean weight from each query of the second copy on the key just after the
    earlier occurrence of the query's letter, span - 1 positions back."""
    if attentions.shape[-1] != 2 * span + 1:
        raise ValueError(f"expected maps over {2 * span + 1} tokens (<s> and the segment twice).")
    queries = torch.arange(span + 1, 2 * span + 1)
    return attentions[:, :, queries, queries - span + 1].mean(dim=-1)


@torch.no_grad()
def probe_attentions(model: TinyTransformer, *, span: int = PROBE_SPAN, count: int = PROBE_COUNT,
                     seed: int = PROBE_SEED) -> torch.Tensor:
    """(count, layers, heads, n, n): the model's maps on `count` repeated-segment probes."""
    generator = torch.Generator().manual_seed(seed)
    probes = torch.stack([repeated_sequence(span, generator) for _ in range(count)])  # (count, n)
    _, attentions = model(probes)  # (layers, count, heads, n, n)
    return attentions.transpose(0, 1)


def head_scores(model: TinyTransformer, *, span: int = PROBE_SPAN) -> dict[str, torch.Tensor]:
    """Both scores for every head, averaged over the probes: {"previous_token", "induction"} -> (layers, heads)."""
    maps = probe_attentions(model, span=span)
    return {
        "previous_token": torch.stack([previous_token_scores(m) for m in maps]).mean(dim=0),
        "induction": torch.stack([induction_scores(m, span) for m in maps]).mean(dim=0),
    }


def best_head(scores: torch.Tensor) -> HeadScore:
    """The (layer, head) with the highest score, both counted from 1."""
    index = int(scores.argmax())
    layer, head = divmod(index, scores.shape[1])
    return HeadScore(layer=layer + 1, head=head + 1, score=float(scores[layer, head]))


def find_previous_token_head(model: TinyTransformer) -> HeadScore:
    return best_head(head_scores(model)["previous_token"])


def find_induction_head(model: TinyTransformer) -> HeadScore:
    return best_head(head_scores(model)["induction"])
