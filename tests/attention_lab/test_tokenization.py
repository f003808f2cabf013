"""Tokenisation as the lab shows it: real WordPiece tokens, an honest length limit, any Unicode."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from attention_lab.model import MAX_TOKENS, TextTooLongError


def test_tokens_are_wrapped_in_cls_and_sep(tokenizer):
    encoded = tokenizer.encode("Attention is all you need")
    assert encoded.tokens == ["[CLS]", "attention", "is", "all", "you", "need", "[SEP]"]
    assert len(encoded.ids) == len(encoded.token_type_ids) == len(encoded.attention_mask) == 7
    assert encoded.attention_mask == [1] * 7


def test_uncased_wordpiece_splits_rare_words(tokenizer):
    encoded = tokenizer.encode("Tokenization")
    assert encoded.tokens[1:-1] == ["token", "##ization"]


def test_offsets_point_back_into_the_text(tokenizer):
    text = "Queries meet Keys 😀"
    encoded = tokenizer.encode(text)
    spans = [text[start:end] for start, end in encoded.offsets[1:-1]]
    assert encoded.tokens[1:-1] == ["que", "##ries", "meet", "keys", "[UNK]"]
    assert spans == ["Que", "ries", "meet", "Keys", "😀"]  # characters, not UTF-8 bytes
    assert encoded.sequence_ids[0] is None and encoded.sequence_ids[1] == 0


def test_empty_text_is_just_cls_and_sep(tokenizer):
    assert tokenizer.encode("").tokens == ["[CLS]", "[SEP]"]


def test_sentence_pair_gets_segment_ids(tokenizer):
    encoded = tokenizer.encode("Where is it?", "Here.")
    assert encoded.tokens == ["[CLS]", "where", "is", "it", "?", "[SEP]", "here", ".", "[SEP]"]
    assert encoded.token_type_ids == [0, 0, 0, 0, 0, 0, 1, 1, 1]
    assert encoded.sequence_ids == [None, 0, 0, 0, 0, None, 1, 1, None]


def test_text_of_exactly_the_limit_is_allowed(tokenizer, text_at_limit):
    assert MAX_TOKENS == 256
    assert len(tokenizer.encode(text_at_limit).tokens) == MAX_TOKENS


def test_one_token_over_the_limit_is_rejected_with_the_real_count(tokenizer, text_at_limit):
    with pytest.raises(TextTooLongError) as error:
        tokenizer.encode(text_at_limit + " a")
    assert error.value.token_count == 257
    assert error.value.limit == 256
    assert str(error.value) == "Text is 257 tokens long; the limit is 256 tokens."


def test_long_text_is_counted_not_truncated(tokenizer):
    # The shipped tokenizer.json truncates at 128; we must see the whole length.
    with pytest.raises(TextTooLongError, match=r"^Text is 301 tokens long; the limit is 256 tokens\.$"):
        tokenizer.encode(" ".join(["word"] * 299))


def test_pair_counts_both_texts_against_the_limit(tokenizer):
    half = " ".join(["word"] * 130)
    with pytest.raises(TextTooLongError) as error:
        tokenizer.encode(half, half)
    assert error.value.token_count == 263


def test_typed_special_tokens_stay_plain_text(tokenizer):
    tokens = tokenizer.encode("a [SEP] b").tokens
    assert tokens.count("[SEP]") == 1  # only the real one at the end


@pytest.mark.parametrize(
    "text",
    [
        "😀🚀👩‍👩‍👧‍👦",
        "注意力机制是深度学习的核心",
        "الانتباه هو كل ما تحتاجه",
        "e\u0301\u0302\u0303 Z\u0351\u0352\u0353",
        "nul\x00char\x01control\x7f",
        "lone surrogate \ud800 here \udfff",
        "\u200b\u200e\u200f\ufeff",
        "\n\t\r   ",
        "x" * 500,
        "\U0010ffff\U000e0001",
    ],
    ids=[
        "emoji", "cjk", "rtl", "combining", "control",
        "surrogate", "invisible", "whitespace", "long-word", "planes",
    ],
)
def test_any_unicode_tokenises_without_crashing(tokenizer, text):
    encoded = tokenizer.encode(text)
    assert encoded.tokens[0] == "[CLS]" and encoded.tokens[-1] == "[SEP]"
    assert len(encoded.offsets) == len(encoded.tokens)


def test_unknown_characters_become_unk(tokenizer):
    assert "[UNK]" in tokenizer.encode("🚀").tokens


def test_batch_is_padded_to_the_longest(tokenizer):
    batch = tokenizer.encode_batch(["one", ("two words", "and a pair"), ""])
    assert batch.lengths == [3, 8, 2]
    assert batch.input_ids.shape == batch.attention_mask.shape == (3, 8)
    assert batch.attention_mask.sum(axis=1).tolist() == [3, 8, 2]
    assert batch.input_ids[0, 3:].tolist() == [0] * 5  # [PAD] is id 0


def test_non_string_input_is_a_type_error(tokenizer):
    with pytest.raises(TypeError):
        tokenizer.encode(42)  # type: ignore[arg-type]


def test_tokenizing_does_not_import_torch():
    """The web process validates input with these modules and must stay free of torch."""
    code = (
        "import sys\n"
        "from attention_lab.model import MAX_TOKENS, TextTooLongError, encode\n"
        "from attention_lab.model.weights import ModelFiles\n"
        "assert encode('hi').tokens == ['[CLS]', 'hi', '[SEP]']\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root, timeout=60)
