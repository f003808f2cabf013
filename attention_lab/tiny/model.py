"""The tiny decoder-only Transformer: token + position embeddings, two pre-LN blocks, a linear head.

Written like nanoGPT's model.py, with the attention computed by hand (softmax(q k^T / sqrt(d)) under
a causal mask) because the lab shows exactly those weights. No dropout: the task has no noise to
overfit, and leaving it out keeps training and inference the same function.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class TinyConfig:
    vocab_size: int = 28  # <s>, <unk> and the letters a-z (tokenizer.VOCAB)
    block_size: int = 32  # longest input, <s> included: room for a segment of 15 letters and its copy
    n_layer: int = 2  # an induction circuit needs two: one head to shift, one to match and copy
    n_head: int = 2  # two heads per layer: few enough that each one's job is plain to see
    n_embd: int = 48  # 48 / 2 = 24 dimensions per head
    mlp_ratio: int = 4  # feed-forward width = mlp_ratio * n_embd

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"TinyConfig.{name} must be a positive integer, got {value!r}.")
        if self.n_embd % self.n_head != 0:
            raise ValueError(f"n_embd ({self.n_embd}) must be divisible by n_head ({self.n_head}).")

    @property
    def head_dim(self) -> int:
        return self.n_embd // self.n_head


def sinusoidal_positions(length: int, width: int) -> torch.Tensor:
    """(length, width): sin and cos pairs at geometrically spaced frequencies, as in the 2017 paper."""
    position = torch.arange(length, dtype=torch.float32).unsqueeze(1)  # (length, 1)
    frequency = torch.exp(torch.arange(0, width, 2, dtype=torch.float32) * (-math.log(10000.0) / width))
    table = torch.zeros(length, width)
    table[:, 0::2] = torch.sin(position * frequency)  # (length, width / 2)
    table[:, 1::2] = torch.cos(position * frequency)
    return table


class CausalSelfAttention(nn.Module):
    def __init__(self, config: TinyConfig) -> None:
        super().__init__()
        self.n_head = config.n_head
        self.head_dim = config.head_dim
        self.qkv = nn.Linear(config.n_embd, 3 * config.n_embd)  # W_Q, W_K, W_V side by side
        self.proj = nn.Linear(config.n_embd, config.n_embd)  # W_O
        # True above the diagonal: position i may not look at any j > i.
        future = torch.ones(config.block_size, config.block_size, dtype=torch.bool).triu(1)
        self.register_buffer("future", future, persistent=False)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)  # each (B, T, C)
        q = q.view(B, T, self.n_head, self.head_dim).transpose(1, 2)  # (B, heads, T, head_dim)
        k = k.view(B, T, self.n_head, self.head_dim).transpose(1, 2)  # (B, heads, T, head_dim)
        v = v.view(B, T, self.n_head, self.head_dim).transpose(1, 2)  # (B, heads, T, head_dim)
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(self.head_dim)  # (B, heads, T, T)
        scores = scores.masked_fill(self.future[:T, :T], float("-inf"))
        weights = F.softmax(scores, dim=-1)  # (B, heads, T, T): each row sums to 1, zero above the diagonal
        out = weights @ v  # (B, heads, T, head_dim)
        out = out.transpose(1, 2).contiguous().view(B, T, C)  # (B, T, C): heads side by side again
        return self.proj(out), weights


class MLP(nn.Module):
    def __init__(self, config: TinyConfig) -> None:
        super().__init__()
        self.up = nn.Linear(config.n_embd, config.mlp_ratio * config.n_embd)
        self.down = nn.Linear(config.mlp_ratio * config.n_embd, config.n_embd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down(F.gelu(self.up(x)))


class Block(nn.Module):
    """Pre-LN: x + attn(ln(x)), then x + mlp(ln(x)), so the residual stream is never normalised away."""

    def __init__(self, config: TinyConfig) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.n_embd)
        self.mlp = MLP(config)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        attended, weights = self.attn(self.ln_1(x))
        x = x + attended
        x = x + self.mlp(self.ln_2(x))
        return x, weights


class TinyTransformer(nn.Module):
    def __init__(self, config: TinyConfig) -> None:
        super().__init__()
        self.config = config
        self.tok_emb = nn.Embedding(config.vocab_size, config.n_embd)
        # Fixed sinusoidal positions (Vaswani et al., 2017): "one step back" is the same rotation at
        # every position, so a previous-token head is one linear map to learn, and training is fast.
        self.register_buffer("positions", sinusoidal_positions(config.block_size, config.n_embd), persistent=False)
        self.blocks = nn.ModuleList(Block(config) for _ in range(config.n_layer))
        self.ln_f = nn.LayerNorm(config.n_embd)
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, (nn.Linear, nn.Embedding)):
            # GPT-2's init, except token embeddings: at unit scale, like the positions they are added to.
            std = 1.0 if isinstance(module, nn.Embedding) else 0.02
            nn.init.normal_(module.weight, mean=0.0, std=std)
            if getattr(module, "bias", None) is not None:
                nn.init.zeros_(module.bias)

    def forward(self, idx: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """idx (B, T) token ids -> logits (B, T, vocab) for the next token, and the attention
        weights of every layer stacked as (layers, B, heads, T, T)."""
        B, T = idx.shape
        if T > self.config.block_size:
            raise ValueError(f"Input is {T} tokens long; this model reads at most {self.config.block_size}.")
        x = self.tok_emb(idx) + self.positions[:T]  # (B, T, C)
        attentions = []
        for block in self.blocks:
            x, weights = block(x)
            attentions.append(weights)
        logits = self.lm_head(self.ln_f(x))  # (B, T, vocab)
        return logits, torch.stack(attentions)  # (layers, B, heads, T, T)
