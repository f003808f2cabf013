"""A small, readable BERT encoder (inference only) that exposes what the attention lab shows.

Numerically it matches Hugging Face's `BertModel` with eager attention; unlike it, every layer's
attention probabilities come back by default, and on request the per-head q, k, v and the scaled
scores the softmax was applied to. Dropout is left out: this module never trains.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class BertConfig:
    vocab_size: int = 30522  # uncased WordPiece vocabulary
    hidden_size: int = 384  # width of every token vector (MiniLM-L6; BERT-base is 768)
    num_hidden_layers: int = 6
    num_attention_heads: int = 12  # 384 / 12 = 32 dimensions per head
    intermediate_size: int = 1536  # feed-forward width, 4 x hidden
    max_position_embeddings: int = 512  # learned absolute positions
    type_vocab_size: int = 2  # segment A / segment B of a sentence pair
    layer_norm_eps: float = 1e-12
    hidden_act: str = "gelu"  # exact (erf) GELU, the only activation implemented here

    def __post_init__(self) -> None:
        for name in (
            "vocab_size",
            "hidden_size",
            "num_hidden_layers",
            "num_attention_heads",
            "intermediate_size",
            "max_position_embeddings",
            "type_vocab_size",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or value <= 0:
                raise ValueError(f"BertConfig.{name} must be a positive integer, got {value!r}.")
        if self.hidden_size % self.num_attention_heads != 0:
            raise ValueError(
                f"hidden_size ({self.hidden_size}) must be divisible by num_attention_heads "
                f"({self.num_attention_heads}) so that every head gets the same width."
            )
        if self.hidden_act != "gelu":
            raise ValueError(
                f"Only hidden_act='gelu' (exact erf GELU) is supported, got {self.hidden_act!r}."
            )
        if not self.layer_norm_eps > 0:
            raise ValueError(f"layer_norm_eps must be positive, got {self.layer_norm_eps!r}.")

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_attention_heads

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> BertConfig:
        """Take our fields from a Hugging Face config dict; its other keys are irrelevant here."""
        position_type = values.get("position_embedding_type", "absolute")
        if position_type != "absolute":
            raise ValueError(f"Only absolute position embeddings are supported, got {position_type!r}.")
        known = {field.name for field in fields(cls)}
        return cls(**{key: value for key, value in values.items() if key in known})

    @classmethod
    def from_json(cls, path: Path | str) -> BertConfig:
        with Path(path).open(encoding="utf-8") as stream:
            return cls.from_dict(json.load(stream))


@dataclass
class AttentionCapture:
    """One layer's intermediate attention tensors, for the lab's step-by-step view."""

    query: torch.Tensor  # (B, heads, T, head_dim)
    key: torch.Tensor  # (B, heads, T, head_dim)
    value: torch.Tensor  # (B, heads, T, head_dim)
    scores: torch.Tensor  # (B, heads, T, T): q·k/sqrt(d_k) + mask, before the softmax


@dataclass
class BertOutput:
    last_hidden_state: torch.Tensor | None  # (B, T, hidden); None when only attentions were asked for
    attentions: tuple[torch.Tensor, ...]  # one (B, heads, T, T) per layer; rows sum to 1
    captures: tuple[AttentionCapture, ...] | None = None  # one per layer when capture_qkv=True


class Embeddings(nn.Module):
    """token + position + segment embeddings, then LayerNorm."""

    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.token_type_embeddings = nn.Embedding(config.type_vocab_size, config.hidden_size)
        self.norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)

    def forward(self, input_ids: torch.Tensor, token_type_ids: torch.Tensor) -> torch.Tensor:
        seq_len = input_ids.shape[1]
        positions = torch.arange(seq_len, device=input_ids.device)  # (T,)
        # Same summation order as the reference (word + type, then + position) for bit-near results.
        x = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        x = x + self.position_embeddings(positions)  # (B, T, hidden) + (T, hidden)
        return self.norm(x)


class SelfAttention(nn.Module):
    """Multi-head scaled dot-product self-attention, written out step by step."""

    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.head_dim
        self.query = nn.Linear(config.hidden_size, config.hidden_size)
        self.key = nn.Linear(config.hidden_size, config.hidden_size)
        self.value = nn.Linear(config.hidden_size, config.hidden_size)

    def _split_heads(self, x: torch.Tensor) -> torch.Tensor:
        batch, seq_len, _ = x.shape
        x = x.view(batch, seq_len, self.num_heads, self.head_dim)  # (B, T, heads, head_dim)
        return x.transpose(1, 2)  # (B, heads, T, head_dim)

    def forward(
        self, x: torch.Tensor, attention_bias: torch.Tensor, *, capture: bool = False
    ) -> tuple[torch.Tensor, torch.Tensor, AttentionCapture | None]:
        """x: (B, T, hidden); attention_bias: additive, broadcastable to (B, heads, T, T).

        Returns the context vectors (B, T, hidden), the probabilities (B, heads, T, T) and,
        when `capture` is set, the intermediate tensors.
        """
        batch, seq_len, hidden = x.shape
        q = self._split_heads(self.query(x))  # (B, heads, T, head_dim)
        k = self._split_heads(self.key(x))  # (B, heads, T, head_dim)
        v = self._split_heads(self.value(x))  # (B, heads, T, head_dim)

        # softmax(q k^T / sqrt(d_k) + mask): the formula the lab teaches, kept explicit on purpose
        # (no fused scaled_dot_product_attention, which would hide the probabilities).
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.head_dim)  # (B, heads, T, T)
        scores = scores + attention_bias  # padded (and, for the what-if, future) keys pushed to -inf
        probs = F.softmax(scores, dim=-1)  # (B, heads, T, T), each row sums to 1

        context = probs @ v  # (B, heads, T, head_dim)
        context = context.transpose(1, 2).reshape(batch, seq_len, hidden)  # (B, T, hidden)
        captured = AttentionCapture(query=q, key=k, value=v, scores=scores) if capture else None
        return context, probs, captured


class Layer(nn.Module):
    """One post-LayerNorm transformer block: attention, add & norm, feed-forward, add & norm."""

    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.attention = SelfAttention(config)
        self.attention_output = nn.Linear(config.hidden_size, config.hidden_size)
        self.attention_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.ffn_up = nn.Linear(config.hidden_size, config.intermediate_size)
        self.ffn_down = nn.Linear(config.intermediate_size, config.hidden_size)
        self.ffn_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)

    def forward(
        self, x: torch.Tensor, attention_bias: torch.Tensor, *, capture: bool = False
    ) -> tuple[torch.Tensor, torch.Tensor, AttentionCapture | None]:
        context, probs, captured = self.attention(x, attention_bias, capture=capture)
        return self.finish(x, context), probs, captured

    def finish(self, x: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        """What follows the attention: output projection, add & norm, feed-forward, add & norm."""
        x = self.attention_norm(x + self.attention_output(context))  # (B, T, hidden)
        return self.ffn_norm(x + self.ffn_down(F.gelu(self.ffn_up(x))))  # exact erf GELU, as BERT


class Encoder(nn.Module):
    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.layers = nn.ModuleList(Layer(config) for _ in range(config.num_hidden_layers))

    def forward(
        self,
        x: torch.Tensor,
        attention_bias: torch.Tensor,
        *,
        capture: bool = False,
        attentions_only: bool = False,
        layers: int | None = None,
    ) -> tuple[torch.Tensor | None, list[torch.Tensor], list[AttentionCapture]]:
        """Run the first `layers` blocks (None: all). `attentions_only`: the last block's maps are
        all that is wanted, so its output projection and feed-forward are skipped (x is None)."""
        attentions: list[torch.Tensor] = []
        captures: list[AttentionCapture] = []
        blocks = self.layers[: layers or len(self.layers)]
        for index, layer in enumerate(blocks):
            context, probs, captured = layer.attention(x, attention_bias, capture=capture)
            attentions.append(probs)
            if captured is not None:
                captures.append(captured)
            last = index == len(blocks) - 1
            x = None if (last and attentions_only) else layer.finish(x, context)
        return x, attentions, captures


def attention_bias(
    attention_mask: torch.Tensor, causal: bool | torch.Tensor, dtype: torch.dtype
) -> torch.Tensor:
    """Additive mask from a (B, T) 0/1 padding mask and the causal what-if flag(s).

    Padded keys get the dtype's most negative value (as Hugging Face does: the result after softmax
    is exactly 0, and a row can never turn into NaN). Future keys get -inf when `causal` is True, or
    for the batch rows where a (B,) bool tensor `causal` is True. [CLS] is always a real, visible key,
    so no row is ever fully masked.
    """
    batch, seq_len = attention_mask.shape
    is_real_key = attention_mask.bool()[:, None, None, :]  # (B, 1, 1, T)
    zero = torch.zeros((), dtype=dtype, device=attention_mask.device)
    bias = torch.where(is_real_key, zero, torch.finfo(dtype).min)  # (B, 1, 1, T)
    if isinstance(causal, bool) and not causal:
        return bias
    future = torch.ones(seq_len, seq_len, dtype=torch.bool, device=attention_mask.device)
    future = future.triu(diagonal=1)  # (T, T): True above the diagonal, the keys still to come
    if isinstance(causal, torch.Tensor):
        future = future & causal.bool().view(batch, 1, 1, 1)  # (B, 1, T, T)
    return bias.masked_fill(future, float("-inf"))  # (B, 1, T, T)


class BertEncoderModel(nn.Module):
    """Embeddings + encoder stack. No pooler: the lab only needs the attention maps."""

    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.config = config
        self.embeddings = Embeddings(config)
        self.encoder = Encoder(config)

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        token_type_ids: torch.Tensor | None = None,
        *,
        causal: bool | torch.Tensor = False,
        capture_qkv: bool = False,
        attentions_only: bool = False,
        layers: int | None = None,
    ) -> BertOutput:
        """Encode a batch.

        input_ids, attention_mask (1 = real token, 0 = padding), token_type_ids: (B, T) integer
        tensors. `causal`: the what-if view that hides future keys, for the whole batch (bool) or
        per row ((B,) bool tensor). `capture_qkv`: also return each layer's q, k, v and scores.
        `attentions_only`: skip what follows the last layer's attention (last_hidden_state is None).
        `layers`: run only the first `layers` blocks (None: all): layer i's maps depend on blocks
        0..i alone. (Rows of different depths in one batch: attention_lab.model.engine.)
        """
        if input_ids.dim() != 2:
            raise ValueError(f"input_ids must be (batch, tokens), got shape {tuple(input_ids.shape)}.")
        seq_len = input_ids.shape[1]
        if seq_len > self.config.max_position_embeddings:
            raise ValueError(
                f"Sequence of {seq_len} tokens exceeds max_position_embeddings "
                f"({self.config.max_position_embeddings})."
            )
        total = self.config.num_hidden_layers
        if layers is not None and not (isinstance(layers, int) and 1 <= layers <= total):
            raise ValueError(f"layers must be within 1..{total}, got {layers!r}.")
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)

        x = self.embeddings(input_ids, token_type_ids)  # (B, T, hidden)
        bias = attention_bias(attention_mask, causal, x.dtype)
        x, attentions, captures = self.encoder(x, bias, capture=capture_qkv, attentions_only=attentions_only, layers=layers)
        return BertOutput(
            last_hidden_state=x,  # after the last layer run
            attentions=tuple(attentions),
            captures=tuple(captures) if capture_qkv else None,
        )


# --- loading the checkpoint -------------------------------------------------------------------

# Checkpoint tensors that are not weights of this module, dropped on purpose: the pooler (a
# sentence-level head the lab does not use) and buffers Hugging Face stores alongside weights.
IGNORED_CHECKPOINT_KEYS = (
    "pooler.dense.weight",
    "pooler.dense.bias",
    "embeddings.position_ids",
    "embeddings.token_type_ids",
)

# Hugging Face name (after `encoder.layer.<i>.`) -> our name (after `encoder.layers.<i>.`).
_LAYER_KEY_NAMES = {
    "attention.self.query": "attention.query",
    "attention.self.key": "attention.key",
    "attention.self.value": "attention.value",
    "attention.output.dense": "attention_output",
    "attention.output.LayerNorm": "attention_norm",
    "intermediate.dense": "ffn_up",
    "output.dense": "ffn_down",
    "output.LayerNorm": "ffn_norm",
}
_EMBEDDING_KEY_NAMES = {
    "embeddings.word_embeddings": "embeddings.word_embeddings",
    "embeddings.position_embeddings": "embeddings.position_embeddings",
    "embeddings.token_type_embeddings": "embeddings.token_type_embeddings",
    "embeddings.LayerNorm": "embeddings.norm",
}


class CheckpointMismatchError(ValueError):
    """The checkpoint's tensors do not fit this module one to one."""


def _our_key(checkpoint_key: str) -> str | None:
    """Map one Hugging Face BERT tensor name to ours; None when it has no counterpart."""
    module_name, _, param = checkpoint_key.rpartition(".")  # param: weight / bias
    if module_name in _EMBEDDING_KEY_NAMES:
        return f"{_EMBEDDING_KEY_NAMES[module_name]}.{param}"
    parts = module_name.split(".", 3)  # ["encoder", "layer", "<i>", "<rest>"]
    if len(parts) == 4 and parts[:2] == ["encoder", "layer"] and parts[3] in _LAYER_KEY_NAMES:
        return f"encoder.layers.{parts[2]}.{_LAYER_KEY_NAMES[parts[3]]}.{param}"
    return None


def convert_checkpoint(tensors: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Rename a Hugging Face BERT checkpoint (with or without the `bert.` prefix) to our names.

    Strict: any tensor that is neither mapped nor in IGNORED_CHECKPOINT_KEYS is an error.
    """
    state_dict: dict[str, torch.Tensor] = {}
    unexpected: list[str] = []
    for name, tensor in tensors.items():
        bare = name.removeprefix("bert.")  # BertFor* checkpoints nest the encoder under `bert.`
        if bare in IGNORED_CHECKPOINT_KEYS:
            continue
        ours = _our_key(bare)
        if ours is None:
            unexpected.append(name)
        else:
            state_dict[ours] = tensor
    if unexpected:
        raise CheckpointMismatchError(
            f"Checkpoint has tensors this model does not use: {sorted(unexpected)}"
        )
    return state_dict


def load_weights(model: BertEncoderModel, tensors: dict[str, torch.Tensor]) -> None:
    """Copy checkpoint tensors into `model`, failing loudly on any missing, extra or misshapen one."""
    state_dict = convert_checkpoint(tensors)
    expected = model.state_dict()
    missing = sorted(set(expected) - set(state_dict))
    extra = sorted(set(state_dict) - set(expected))
    misshapen = sorted(
        f"{name}: checkpoint {tuple(state_dict[name].shape)} vs model {tuple(param.shape)}"
        for name, param in expected.items()
        if name in state_dict and state_dict[name].shape != param.shape
    )
    if missing or extra or misshapen:
        raise CheckpointMismatchError(
            f"Checkpoint does not match the model config. missing={missing} unexpected={extra} "
            f"shape mismatches={misshapen}"
        )
    model.load_state_dict(state_dict, strict=True)
