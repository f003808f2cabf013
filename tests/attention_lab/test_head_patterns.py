"""The model view's words for each head, on hand-made attention maps whose answer is known."""
import numpy as np

from attention_lab.head_patterns import head_patterns_describe

TOKENS = ["[CLS]", "the", "cat", "sat", ",", "it", "purred", ".", "[SEP]"]
N = len(TOKENS)


def one_hot_rows(columns: list[int]) -> np.ndarray:
    matrix = np.full((N, N), 0.01)
    for row, column in enumerate(columns):
        matrix[row, column] = 1.0
    return matrix / matrix.sum(axis=1, keepdims=True)


def describe(*heads: np.ndarray) -> list[str]:
    return head_patterns_describe(attentions=np.stack(heads)[None], tokens=TOKENS)


def test_positional_special_token_and_punctuation_heads_are_named():
    previous = one_hot_rows([0] + list(range(N - 1)))
    following = one_hot_rows(list(range(1, N)) + [N - 1])
    cls = one_hot_rows([0] * N)
    sep = one_hot_rows([N - 1] * N)
    punctuation = one_hot_rows([4, 4, 4, 4, 7, 7, 7, 7, 7])
    assert describe(previous, following, cls, sep, punctuation) == [
        "mostly the previous token (100% of rows)",
        "mostly the next token (100% of rows)",
        # a row whose strongest key is also its neighbour or itself counts as positional: the first
        # word's [CLS], the last word's [SEP], the comma just before "it", the full stop on itself
        "mostly [CLS] (86% of rows)",
        "mostly [SEP] (86% of rows)",
        "mostly punctuation (57% of rows)",
    ]


def test_uniform_rows_are_broad_and_scattered_sharp_rows_are_mixed():
    uniform = np.full((N, N), 1 / N)
    scattered = one_hot_rows([0, 3, 6, 1, 2, 1, 2, 3, 5])
    assert describe(uniform, scattered) == ["broad: spread over many tokens", "mixed: no single pattern"]


def test_a_text_of_special_tokens_only_has_nothing_to_describe():
    attentions = np.full((6, 12, 2, 2), 0.5)
    assert head_patterns_describe(attentions=attentions, tokens=["[CLS]", "[SEP]"]) == [""] * 72
