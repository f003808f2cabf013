"""The lab's models: one registry that the API, the lab page, the quizzes and the worker all ask.

Torch-free: a model's shape comes from its config (the shipped BERT's `config.json`), or, for a model
that brings its own runner, from what its entry declares; the worker checks the declaration against
the loaded runner, so the two can never drift apart silently. Loading (torch) happens only in
`ModelEntry.load`, which only the worker calls.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Callable

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
TINY_MODEL = "attentive/tiny-induction"


class UnknownModelError(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"Unknown model {name!r}; choose one of {', '.join(model_names())}.")


@dataclass(frozen=True)
class ModelSpec:
    """What a reader needs to know about a model, without loading it."""

    name: str
    layers: int
    heads: int
    causal: bool  # True: a decoder, each token sees only itself and earlier tokens
    tokenizer: str
    description: str
    max_tokens: int
    # What the lab may offer for this model (lab.js shows a control only where it applies):
    special_tokens: tuple[str, ...] = ()  # tokens "Hide …" can take out of the map (none: no switch)
    step_detail: bool = False  # the worker returns one head's q, k, v and scores ("Step by step")
    text_pairs: bool = False  # reads a sentence pair (A and B)

    def as_dict(self) -> dict:
        return {**asdict(self), "special_tokens": list(self.special_tokens)}


@dataclass(frozen=True)
class ModelEntry:
    spec: Callable[[], ModelSpec]
    # Worker only. The default model loads our AttentionEngine (padded batches, depth per row); any
    # other returns a runner: .name, .num_layers, .num_heads, .causal, .tokenizer_name, .tokenize(text),
    # .attentions(text) -> (tokens, FloatTensor[layers, heads, n, n]) (attention_lab.runners).
    load: Callable[[], object]
    batched: bool = False  # True: an AttentionEngine; False: a runner, one text at a time


def _bert_spec() -> ModelSpec:
    from attention_lab.model.tokenization import MAX_TOKENS
    from attention_lab.model.weights import ModelFiles, read_config

    config = read_config(ModelFiles.locate())
    return ModelSpec(
        name=DEFAULT_MODEL,
        layers=int(config["num_hidden_layers"]),
        heads=int(config["num_attention_heads"]),
        causal=False,
        tokenizer="WordPiece, uncased (BERT's 30,522-entry vocabulary)",
        description=(
            "all-MiniLM-L6-v2: a small BERT encoder trained for sentence similarity. Every token sees "
            "every other token."
        ),
        max_tokens=MAX_TOKENS,
        special_tokens=("[CLS]", "[SEP]"),
        step_detail=True,  # our own BertModel module returns the head's q, k, v and scores
        text_pairs=True,
    )


def _tiny_spec() -> ModelSpec:
    # From the tiny model's torch-free card (a test ties it to the committed weights), so the web process
    # never imports torch to learn it; the worker still compares it with the loaded runner.
    from attention_lab.tiny import card

    return ModelSpec(
        name=card.MODEL_NAME,
        layers=card.NUM_LAYERS,
        heads=card.NUM_HEADS,
        causal=card.CAUSAL,
        tokenizer="one token per letter a-z after <s>; spaces skipped, anything else <unk>",
        description=card.DESCRIPTION,
        max_tokens=card.MAX_TOKENS,
        # Its runner returns maps only (no q, k, v), reads one text, and its <s> is a real token it
        # attends to (the decoder's attention sink), not a marker to hide: the defaults, all off.
    )


def _bert_load():
    from django.conf import settings

    from attention_lab.model import AttentionEngine

    return AttentionEngine.load(device=settings.ATTENTION_DEVICE, threads=settings.ATTENTION_THREADS)


def _tiny_load():
    # Imported lazily: the tiny model's package is only needed by a worker that serves it.
    return importlib.import_module("attention_lab.tiny.inference").load_runner()


MODELS: dict[str, ModelEntry] = {
    DEFAULT_MODEL: ModelEntry(spec=_bert_spec, load=_bert_load, batched=True),
    TINY_MODEL: ModelEntry(spec=_tiny_spec, load=_tiny_load),
}


def model_names() -> list[str]:
    return list(MODELS)


def model_available(name: str) -> bool:
    return name in MODELS


@lru_cache(maxsize=None)
def model_spec(name: str | None = None) -> ModelSpec:
    """The spec of `name` (None: the default model); UnknownModelError for a name not registered."""
    name = name or DEFAULT_MODEL
    if name not in MODELS:
        raise UnknownModelError(name)
    return MODELS[name].spec()


def models_list() -> list[ModelSpec]:
    return [model_spec(name) for name in MODELS if model_available(name)]
