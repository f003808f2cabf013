"""The trained tiny model as the lab serves it: `load_runner()` -> text in, causal attention maps out.

The lab's model registry (name `attentive/tiny-induction`) calls `load_runner()` once per worker
process; the checksum in weights/SHA256SUMS is verified before the weights are read.
"""

from __future__ import annotations

from pathlib import Path

import torch

from attention_lab.tiny.checkpoint import WEIGHTS_DIR, load_model
from attention_lab.tiny.model import TinyTransformer
from attention_lab.tiny.card import CAUSAL, DESCRIPTION, MODEL_NAME
from attention_lab.tiny.tokenizer import TOKEN_IDS, CharTokenizer


class TinyInductionRunner:
    """Tokenize learner text and return every head's causal attention map for it."""

    name = MODEL_NAME
    description = DESCRIPTION
    causal = CAUSAL

    def __init__(self, model: TinyTransformer, tokenizer: CharTokenizer | None = None) -> None:
        self.model = model.eval()
        self.tokenizer = tokenizer or CharTokenizer(max_tokens=model.config.block_size)
        self.num_layers = model.config.n_layer
        self.num_heads = model.config.n_head
        self.tokenizer_name = self.tokenizer.name
        self.max_tokens = self.tokenizer.max_tokens

    def tokenize(self, text: str) -> list[str]:
        """<s>, then one token per letter (whitespace skipped, other characters <unk>);
        TextTooLongError past `max_tokens`."""
        return self.tokenizer.tokenize(text)

    @torch.no_grad()
    def attentions(self, text: str) -> tuple[list[str], torch.Tensor]:
        """(tokens, maps): maps is float32 (layers, heads, n, n); row i (the query) sums to 1 and is
        zero right of the diagonal, because a decoder's token i never sees tokens after it."""
        tokens = self.tokenize(text)
        ids = torch.tensor([[TOKEN_IDS[token] for token in tokens]])  # (1, n)
        _, attentions = self.model(ids)  # (layers, 1, heads, n, n)
        return tokens, attentions[:, 0].float().contiguous()

    @torch.no_grad()
    def predict_next(self, text: str) -> str:
        """The token the model expects after `text` (the lesson uses it to show the copy at work)."""
        tokens = self.tokenize(text)
        ids = torch.tensor([[TOKEN_IDS[token] for token in tokens]])  # (1, n)
        logits, _ = self.model(ids)  # (1, n, vocab)
        return self.tokenizer.vocab[int(logits[0, -1].argmax())]


def load_runner(directory: Path = WEIGHTS_DIR) -> TinyInductionRunner:
    """The committed model, checksum verified (TinyWeightsIntegrityError if the file was changed)."""
    return TinyInductionRunner(load_model(directory))
