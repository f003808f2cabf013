"""A 2-layer decoder-only Transformer, small enough to train on a laptop CPU in minutes.

It learns the induction task (task.py): continue a segment that appeared earlier in the input. Its
committed weights (weights/) are what the lab serves as `attentive/tiny-induction` (inference.py).
"""
