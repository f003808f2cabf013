"""Fixtures for the model-core tests: the real shipped weights, loaded once per test session."""

from __future__ import annotations

import pytest

from attention_lab.model import MAX_TOKENS, AttentionEngine, WordPieceTokenizer

# Prose with punctuation, numbers and subwords, to build long inputs from.
PARAGRAPH = (
    "Attention lets every token look at every other token; the weights come from a softmax over "
    "scaled dot products of queries and keys. In 2017, Vaswani et al. replaced recurrence with it, "
    "and BERT (an encoder) stacks twelve such layers — MiniLM keeps six, 384 wide. "
)


def text_of_exactly(tokenizer: WordPieceTokenizer, token_count: int) -> str:
    """A text that tokenises to exactly `token_count` tokens, [CLS]/[SEP] included."""
    words = (PARAGRAPH * 20).split()
    text = ""
    for word in words:
        candidate = f"{text} {word}".strip()
        if tokenizer.count_tokens(candidate) > token_count:
            break
        text = candidate
    while tokenizer.count_tokens(text) < token_count:  # top up one single-token word at a time
        text += " a"
    assert tokenizer.count_tokens(text) == token_count
    return text


@pytest.fixture(scope="session")
def engine() -> AttentionEngine:
    # Two threads: what our CI machine has, and what the reference timings assume.
    return AttentionEngine.load(device="cpu", threads=2)


@pytest.fixture(scope="session")
def tokenizer(engine: AttentionEngine) -> WordPieceTokenizer:
    return engine.tokenizer


@pytest.fixture(scope="session")
def text_at_limit(tokenizer: WordPieceTokenizer) -> str:
    return text_of_exactly(tokenizer, MAX_TOKENS)
