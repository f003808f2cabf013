"""Worker side of the models that bring their own runner (attention_lab.registry): run one text,
get its maps in the lab's one result shape. Torch is touched only through the runner's tensors."""

from __future__ import annotations

import numpy as np

from attention_lab.jobs import Job
from attention_lab.registry import ModelSpec
from attention_lab.model.result import AttentionResult


class RunnerMismatchError(ValueError):
    """The loaded runner is not the model its registry entry declares."""


def runner_check(runner, spec: ModelSpec) -> None:
    """Refuse a runner whose shape differs from its entry: the web side validates against the entry."""
    found = (int(runner.num_layers), int(runner.num_heads), bool(runner.causal))
    declared = (spec.layers, spec.heads, spec.causal)
    if found != declared:
        raise RunnerMismatchError(
            f"{spec.name}: the runner has (layers, heads, causal) = {found}, the registry declares {declared}."
        )


def runner_result(runner, spec: ModelSpec, job: Job, device: str) -> AttentionResult:
    """One text through a runner. ValueError (said to the waiter) for input the model cannot read."""
    if job.text_pair:
        raise ValueError(f"{spec.name} reads one text, not a sentence pair.")
    tokens, maps = runner.attentions(job.text)
    if len(tokens) > spec.max_tokens:
        raise ValueError(f"Too long: {len(tokens)} tokens; {spec.name} reads at most {spec.max_tokens}.")
    attentions = np.ascontiguousarray(maps.detach().float().cpu().numpy(), dtype=np.float32)  # (layers, heads, n, n)
    n = len(tokens)
    if attentions.shape != (spec.layers, spec.heads, n, n):
        raise RunnerMismatchError(f"{spec.name}: maps of shape {attentions.shape} for {n} tokens.")
    return AttentionResult(
        tokens=list(tokens),
        token_type_ids=[0] * n,
        sequence_ids=[0] * n,  # one text; a decoder's <s> is a real token the lab shows
        offsets=[[0, 0]] * n,
        attentions=attentions,
        model_name=spec.name,
        device=device,
        causal=True,
    )
