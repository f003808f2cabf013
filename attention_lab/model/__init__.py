"""The attention lab's model core: our own BERT encoder over the shipped all-MiniLM-L6-v2 weights.

Exports resolve lazily, so `from attention_lab.model import MAX_TOKENS, TextTooLongError` (the web
process validating input) never imports torch; only the engine and the encoder do.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    # torch-free
    "MODEL_NAME": "weights",
    "ModelFiles": "weights",
    "ModelFilesNotFoundError": "weights",
    "ModelIntegrityError": "weights",
    "MAX_TOKENS": "tokenization",
    "TextTooLongError": "tokenization",
    "WordPieceTokenizer": "tokenization",
    "EncodedText": "tokenization",
    "EncodedBatch": "tokenization",
    "encode": "tokenization",
    "encode_batch": "tokenization",
    # import torch
    "BertConfig": "bert",
    "BertEncoderModel": "bert",
    "BertOutput": "bert",
    "AttentionEngine": "engine",
    "AttentionRequest": "engine",
    "AttentionResult": "result",
    "HeadDetail": "result",
    "DeviceUnavailableError": "engine",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from attention_lab.model.bert import BertConfig, BertEncoderModel, BertOutput
    from attention_lab.model.engine import AttentionEngine, AttentionRequest, DeviceUnavailableError
    from attention_lab.model.result import AttentionResult, HeadDetail
    from attention_lab.model.tokenization import (
        MAX_TOKENS,
        EncodedBatch,
        EncodedText,
        TextTooLongError,
        WordPieceTokenizer,
        encode,
        encode_batch,
    )
    from attention_lab.model.weights import (
        MODEL_NAME,
        ModelFiles,
        ModelFilesNotFoundError,
        ModelIntegrityError,
    )


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
