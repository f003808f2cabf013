"""The tiny model's tokenizer: one token per letter, a start token, and one token for anything else.

Torch-free, so the web process can count tokens before anything is queued for the worker.
"""

from __future__ import annotations

import string

from attention_lab.model.tokenization import TextTooLongError

BOS = "<s>"  # every input starts with it; heads with nothing to attend to park their weight here
UNK = "<unk>"  # any character that is not a letter a-z (after lower-casing) and not whitespace
LETTERS = string.ascii_lowercase
VOCAB: tuple[str, ...] = (BOS, UNK, *LETTERS)
TOKEN_IDS: dict[str, int] = {token: index for index, token in enumerate(VOCAB)}
BOS_ID, UNK_ID = TOKEN_IDS[BOS], TOKEN_IDS[UNK]
_LETTER_SET = frozenset(LETTERS)
FIRST_LETTER_ID = TOKEN_IDS["a"]

TOKENIZER_NAME = "attentive/tiny-char"
# The model's block_size: <s> plus 31 letters.
MAX_TOKENS = 32


class CharTokenizer:
    """Letters a-z (case-folded) are tokens; whitespace is skipped, so "abc abc" reads as a b c a b c,
    and every other character (digits, punctuation, é, emoji) becomes <unk>."""

    name = TOKENIZER_NAME
    vocab = VOCAB

    def __init__(self, *, max_tokens: int = MAX_TOKENS) -> None:
        self.max_tokens = max_tokens

    def tokenize(self, text: str) -> list[str]:
        """The tokens of `text`, <s> first; TextTooLongError past `max_tokens`, as in the lab."""
        tokens = [BOS]
        for character in text.lower():
            if character.isspace():
                continue
            tokens.append(character if character in _LETTER_SET else UNK)
        if len(tokens) > self.max_tokens:
            raise TextTooLongError(len(tokens), self.max_tokens)
        return tokens

    def encode(self, text: str) -> list[int]:
        return [TOKEN_IDS[token] for token in self.tokenize(text)]

    def decode(self, ids: list[int]) -> list[str]:
        return [VOCAB[index] for index in ids]
