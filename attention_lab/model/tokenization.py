"""WordPiece tokenisation for the attention lab, from the model's own `tokenizer.json`.

Pure `tokenizers` + numpy (no torch), so the web process can count tokens and reject over-long
text before anything is queued for the worker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from tokenizers import Encoding, Tokenizer

from attention_lab.model.weights import ModelFiles

# Longest input the lab accepts, [CLS] and [SEP] included. The model could take 512, but an n x n
# map per head beyond 256 tokens is neither readable nor cheap to ship to a browser.
MAX_TOKENS = 256

# Python strings may hold lone surrogates (JSON "\ud800" decodes to one); the Rust tokenizer rejects
# them, so each becomes U+FFFD: one code point for one keeps every character offset valid.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

TextInput = str | tuple[str, str | None]


class TextTooLongError(ValueError):
    """The text needs more tokens than the lab accepts."""

    def __init__(self, token_count: int, limit: int = MAX_TOKENS) -> None:
        self.token_count = token_count
        self.limit = limit
        super().__init__(f"Text is {token_count} tokens long; the limit is {limit} tokens.")


@dataclass(frozen=True)
class EncodedText:
    """One tokenised text (or sentence pair), special tokens included, no padding."""

    ids: list[int]
    tokens: list[str]  # WordPiece strings: "[CLS]", "hello", "##ing", "[SEP]"
    token_type_ids: list[int]  # 0 = first text, 1 = text_pair
    attention_mask: list[int]  # all 1: padding only exists in a batch
    offsets: list[tuple[int, int]]  # character span in its own text; (0, 0) for [CLS]/[SEP]
    sequence_ids: list[int | None]  # which text a token came from: 0, 1, or None for specials

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class EncodedBatch:
    """Several encodings padded (on the right) to the longest one, as (B, T) int64 arrays."""

    input_ids: np.ndarray
    token_type_ids: np.ndarray
    attention_mask: np.ndarray
    items: list[EncodedText]

    @property
    def lengths(self) -> list[int]:
        return [len(item) for item in self.items]


class WordPieceTokenizer:
    """The model's uncased WordPiece tokenizer with our limits: no truncation, no padding."""

    def __init__(self, tokenizer_path: Path | str, *, max_tokens: int = MAX_TOKENS) -> None:
        self.max_tokens = max_tokens
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        # The shipped file truncates to 128 and pads to 128; both would silently change what the
        # student typed, so we turn them off and enforce our own limit on the real count.
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        # Text a student types is text: "[SEP]" typed by hand must not become a real separator.
        self._tokenizer.encode_special_tokens = True
        self.pad_id = self._tokenizer.token_to_id("[PAD]")

    @classmethod
    def from_model_dir(cls, directory: Path | str | None = None) -> WordPieceTokenizer:
        return cls(ModelFiles.locate(directory).tokenizer)

    def count_tokens(self, text: str, text_pair: str | None = None) -> int:
        """Real token count, [CLS]/[SEP] included, however long the text is."""
        return len(self._encode_unchecked(text, text_pair).ids)

    def encode(self, text: str, text_pair: str | None = None) -> EncodedText:
        """Tokenise one text or sentence pair; TextTooLongError past `max_tokens`."""
        encoding = self._encode_unchecked(text, text_pair)
        if len(encoding.ids) > self.max_tokens:
            raise TextTooLongError(len(encoding.ids), self.max_tokens)
        return EncodedText(
            ids=list(encoding.ids),
            tokens=list(encoding.tokens),
            token_type_ids=list(encoding.type_ids),
            attention_mask=list(encoding.attention_mask),
            offsets=[tuple(span) for span in encoding.offsets],
            sequence_ids=list(encoding.sequence_ids),
        )

    def encode_batch(self, inputs: Sequence[TextInput]) -> EncodedBatch:
        """Tokenise several texts (str) or pairs ((text, text_pair)) and pad them together."""
        items = [self.encode(*_as_pair(item)) for item in inputs]
        return pad_batch(items, pad_id=self.pad_id)

    def _encode_unchecked(self, text: str, text_pair: str | None) -> Encoding:
        for name, value in (("text", text), ("text_pair", text_pair)):
            if value is not None and not isinstance(value, str):
                raise TypeError(f"{name} must be a str, got {type(value).__name__}.")
        pair = _LONE_SURROGATE.sub("\ufffd", text_pair) if text_pair is not None else None
        return self._tokenizer.encode(_LONE_SURROGATE.sub("\ufffd", text), pair)


def _as_pair(item: TextInput) -> tuple[str, str | None]:
    return (item, None) if isinstance(item, str) else (item[0], item[1])


def pad_batch(items: Sequence[EncodedText], *, pad_id: int = 0) -> EncodedBatch:
    """Right-pad encodings to the longest; padding has id `pad_id`, type 0 and mask 0."""
    if not items:
        raise ValueError("Cannot pad an empty batch.")
    longest = max(len(item) for item in items)
    input_ids = np.full((len(items), longest), pad_id, dtype=np.int64)
    token_type_ids = np.zeros((len(items), longest), dtype=np.int64)
    attention_mask = np.zeros((len(items), longest), dtype=np.int64)
    for row, item in enumerate(items):
        input_ids[row, : len(item)] = item.ids
        token_type_ids[row, : len(item)] = item.token_type_ids
        attention_mask[row, : len(item)] = item.attention_mask
    return EncodedBatch(input_ids, token_type_ids, attention_mask, list(items))


@lru_cache(maxsize=1)
def default_tokenizer() -> WordPieceTokenizer:
    """The tokenizer of the installed model package, loaded once per process."""
    return WordPieceTokenizer.from_model_dir()


def encode(text: str, text_pair: str | None = None) -> EncodedText:
    """Tokenise with the installed model's tokenizer; see WordPieceTokenizer.encode."""
    return default_tokenizer().encode(text, text_pair)


def encode_batch(inputs: Sequence[TextInput]) -> EncodedBatch:
    """Tokenise and pad with the installed model's tokenizer; see WordPieceTokenizer.encode_batch."""
    return default_tokenizer().encode_batch(inputs)
