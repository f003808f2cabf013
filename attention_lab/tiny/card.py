"""What the web process may know about the tiny model without importing torch (the lab's model list).

A test checks these against the loaded weights, so they cannot drift from the checkpoint.
"""

from attention_lab.tiny.tokenizer import MAX_TOKENS, TOKENIZER_NAME

MODEL_NAME = "attentive/tiny-induction"
DESCRIPTION = ("A 2-layer, 2-head decoder trained in minutes on our CPU to continue a repeated run of "
               "letters (induction); one token per letter, causal.")
NUM_LAYERS = 2
NUM_HEADS = 2
CAUSAL = True

__all__ = ["MODEL_NAME", "DESCRIPTION", "NUM_LAYERS", "NUM_HEADS", "CAUSAL", "TOKENIZER_NAME", "MAX_TOKENS"]
