"""Train the tiny model on the induction task: seeded, single-threaded, so a rerun gives the same bits.

`python manage.py train_tiny_model` calls `train_and_save`; tests call `train` for a few steps.
"""

from __future__ import annotations

import math
import platform
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
import torch.nn.functional as F

from attention_lab.tiny.checkpoint import LOG_FILENAME, WEIGHTS_DIR, save_checkpoint
from attention_lab.tiny.model import TinyConfig, TinyTransformer
from attention_lab.tiny.task import induction_batch

EVAL_SEED = 2024  # the held-out sequences; never the training seed
EVAL_SEQUENCES = 512


@dataclass(frozen=True)
class TrainingSettings:
    seed: int = 1337
    steps: int = 1800
    batch_size: int = 32
    learning_rate: float = 3e-3  # peak, after a linear warm-up; cosine decay to 10% of it
    warmup_steps: int = 100
    weight_decay: float = 0.01
    log_every: int = 100
    eval_sequences: int = EVAL_SEQUENCES  # held-out sequences for the final accuracy
    # Sequences start short and grow to the full block over this share of the steps: in a short
    # sequence a token's earlier occurrence stands out, so the induction circuit forms much sooner.
    curriculum_share: float = 0.5
    shortest: int = 12
    # One thread: a matmul split across threads may sum in another order and change the last bits.
    threads: int = 1


@dataclass
class TrainingResult:
    model: TinyTransformer
    log_lines: list[str]
    accuracy: float  # on the predictable positions of the held-out sequences
    seconds: float


@contextmanager
def _torch_threads(count: int) -> Iterator[None]:
    previous = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def sequence_length_at(step: int, settings: TrainingSettings, block_size: int) -> int:
    ramp = max(1, int(settings.steps * settings.curriculum_share))
    growth = (block_size - settings.shortest) * min(1.0, step / ramp)
    return min(block_size, settings.shortest + int(growth))


def learning_rate_at(step: int, settings: TrainingSettings) -> float:
    if step < settings.warmup_steps:
        return settings.learning_rate * (step + 1) / settings.warmup_steps
    progress = (step - settings.warmup_steps) / max(1, settings.steps - settings.warmup_steps)
    return settings.learning_rate * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


@torch.no_grad()
def induction_accuracy(model: TinyTransformer, *, sequences: int = EVAL_SEQUENCES, seed: int = EVAL_SEED) -> float:
    """Share of predictable next tokens (inside a repeated segment) the model gets right."""
    batch = induction_batch(sequences, model.config.block_size, torch.Generator().manual_seed(seed))
    logits, _ = model(batch.inputs)
    correct = logits.argmax(dim=-1) == batch.targets
    return float(correct[batch.predictable].float().mean())


def train(
    settings: TrainingSettings = TrainingSettings(),
    config: TinyConfig = TinyConfig(),
    log: Callable[[str], None] = lambda line: None,
) -> TrainingResult:
    started = time.perf_counter()
    lines: list[str] = []

    def record(line: str) -> None:
        lines.append(line)
        log(line)

    with _torch_threads(settings.threads):
        torch.manual_seed(settings.seed)  # the initial weights
        data = torch.Generator().manual_seed(settings.seed)  # the training sequences
        model = TinyTransformer(config)
        optimizer = torch.optim.AdamW(model.parameters(), lr=settings.learning_rate,
                                      weight_decay=settings.weight_decay, betas=(0.9, 0.98))
        record(f"config {asdict(config)}")
        record(f"settings {asdict(settings)}")
        record(f"torch {torch.__version__}, python {platform.python_version()}, {platform.machine()}")
        model.train()
        for step in range(settings.steps):
            for group in optimizer.param_groups:
                group["lr"] = learning_rate_at(step, settings)
            batch = induction_batch(settings.batch_size, sequence_length_at(step, settings, config.block_size), data)
            logits, _ = model(batch.inputs)
            loss = F.cross_entropy(logits[batch.predictable], batch.targets[batch.predictable])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            if (step + 1) % settings.log_every == 0 or step + 1 == settings.steps:
                model.eval()
                accuracy = induction_accuracy(model, sequences=128)
                model.train()
                record(f"step {step + 1:5d}  loss {loss.item():.4f}  held-out accuracy {accuracy:.3f}"
                       f"  ({time.perf_counter() - started:.0f} s)")
        model.eval()
        accuracy = induction_accuracy(model, sequences=settings.eval_sequences)
    seconds = time.perf_counter() - started
    record(f"final held-out accuracy {accuracy:.4f} on {settings.eval_sequences} sequences; trained in {seconds:.1f} s")
    return TrainingResult(model=model, log_lines=lines, accuracy=accuracy, seconds=seconds)


def train_and_save(directory: Path = WEIGHTS_DIR, settings: TrainingSettings = TrainingSettings(),
                   log: Callable[[str], None] = print) -> tuple[TrainingResult, str]:
    """Train, write the weights, SHA256SUMS and the training log; return the result and sha256."""
    result = train(settings, log=log)
    digest = save_checkpoint(result.model, directory)
    result.log_lines.append(f"sha256 {digest}")
    log(f"sha256 {digest}")
    (directory / LOG_FILENAME).write_text("\n".join(result.log_lines) + "\n", encoding="utf-8")
    return result, digest
