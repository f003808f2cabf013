"""The induction task: random letters in which one segment appears twice; predict the second copy.

Once the second copy has begun, its next letter is fully determined: find where the current letter
appeared in the first copy and read the letter after it. Two heads can do that (Olsson et al., 2022,
"In-context learning and induction heads"): a layer-1 head that copies each token's left neighbour
into it, and a layer-2 head whose query "my letter" matches the key "my left neighbour was that
letter", so it attends to the position just after the earlier occurrence and copies its letter.
Every other target is random and carries no signal, so the loss only counts the predictable ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from attention_lab.tiny.tokenizer import BOS_ID, FIRST_LETTER_ID, LETTERS, UNK_ID

MIN_SEGMENT, MAX_SEGMENT = 3, 15  # 15 + 15 letters fill the 32-token block with <s>
UNK_RATE = 0.03  # a few <unk> in the filler, so the learner's punctuation gets a trained embedding


@dataclass(frozen=True)
class InductionBatch:
    inputs: torch.Tensor  # (B, T) token ids, <s> first
    targets: torch.Tensor  # (B, T) the next token at each position
    predictable: torch.Tensor  # (B, T) bool: the target lies inside the second copy of the segment


def induction_batch(batch_size: int, length: int, generator: torch.Generator) -> InductionBatch:
    """`batch_size` sequences of `length` tokens (<s> included): filler letters, one segment twice.

    The segment's letters are distinct and never used as filler, so each letter of the second copy
    occurs exactly once before it: the attention that solves the task is unique, hence checkable.
    """
    body = length - 1  # positions after <s>
    if body < 2 * MIN_SEGMENT:
        raise ValueError(f"length must be at least {2 * MIN_SEGMENT + 1} to hold a repeated segment.")
    sequences = torch.full((batch_size, length), BOS_ID)
    predictable = torch.zeros(batch_size, length, dtype=torch.bool)
    for row in range(batch_size):
        span = int(torch.randint(MIN_SEGMENT, min(MAX_SEGMENT, body // 2) + 1, (1,), generator=generator))
        alphabet = FIRST_LETTER_ID + torch.randperm(len(LETTERS), generator=generator)
        segment, filler_letters = alphabet[:span], alphabet[span:]
        filler = filler_letters[torch.randint(len(filler_letters), (body,), generator=generator)]
        unknown = torch.rand(body, generator=generator) < UNK_RATE
        sequences[row, 1:] = filler.masked_fill(unknown, UNK_ID)
        first = 1 + int(torch.randint(0, body - 2 * span + 1, (1,), generator=generator))
        gap = int(torch.randint(0, body - 2 * span - (first - 1) + 1, (1,), generator=generator))
        second = first + span + gap
        sequences[row, first:first + span] = segment
        sequences[row, second:second + span] = segment
        # From the second copy's first token on, each next token is known (the copy's last
        # position predicts what follows the segment, which is random: excluded).
        predictable[row, second:second + span - 1] = True
    targets = torch.cat([sequences[:, 1:], torch.full((batch_size, 1), BOS_ID)], dim=1)
    return InductionBatch(inputs=sequences, targets=targets, predictable=predictable)


def repeated_sequence(span: int, generator: torch.Generator) -> torch.Tensor:
    """<s> followed by `span` distinct letters, twice: the clean probe for induction scores."""
    if not 2 <= span <= len(LETTERS):
        raise ValueError(f"span must be from 2 to {len(LETTERS)}.")
    segment = FIRST_LETTER_ID + torch.randperm(len(LETTERS), generator=generator)[:span]
    return torch.cat([torch.tensor([BOS_ID]), segment, segment])
