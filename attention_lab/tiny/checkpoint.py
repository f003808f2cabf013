"""Save and load the tiny model's weights as safetensors, pinned by a SHA256SUMS file beside them.

The config travels in the safetensors header, so the file alone rebuilds the model; the checksum
is verified before a single tensor is read, as for the lab's main model (attention_lab.model.weights).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from attention_lab.model.weights import ModelIntegrityError, sha256_of
from attention_lab.tiny.model import TinyConfig, TinyTransformer

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
WEIGHTS_FILENAME = "tiny-induction.safetensors"
CHECKSUMS_FILENAME = "SHA256SUMS"
LOG_FILENAME = "training-log.txt"


class TinyWeightsIntegrityError(ModelIntegrityError):
    """The weights file is not the one SHA256SUMS names: retrain with `manage.py train_tiny_model`."""

    def __init__(self, path: Path, expected: str, actual: str) -> None:
        self.path, self.expected, self.actual = path, expected, actual
        RuntimeError.__init__(
            self,
            f"Tiny model weights at {path} failed the integrity check: expected sha256 {expected} "
            f"(from {CHECKSUMS_FILENAME}), got {actual}. Run `python manage.py train_tiny_model` to rebuild them.",
        )


def expected_sha256(directory: Path = WEIGHTS_DIR) -> str:
    """The sha256 that SHA256SUMS (`sha256sum` format) records for the weights file."""
    for line in (directory / CHECKSUMS_FILENAME).read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if name.strip() == WEIGHTS_FILENAME:
            return digest.strip()
    raise FileNotFoundError(f"{directory / CHECKSUMS_FILENAME} has no line for {WEIGHTS_FILENAME}.")


def verify_checkpoint(directory: Path = WEIGHTS_DIR) -> str:
    """Raise TinyWeightsIntegrityError unless the weights match SHA256SUMS; return their sha256."""
    path = directory / WEIGHTS_FILENAME
    expected, actual = expected_sha256(directory), sha256_of(path)
    if actual != expected:
        raise TinyWeightsIntegrityError(path, expected, actual)
    return actual


def save_checkpoint(model: TinyTransformer, directory: Path = WEIGHTS_DIR) -> str:
    """Write the weights and their SHA256SUMS line; return the sha256."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / WEIGHTS_FILENAME
    tensors = {name: tensor.detach().contiguous().clone() for name, tensor in model.state_dict().items()}
    save_file(tensors, str(path), metadata={"config": json.dumps(asdict(model.config), sort_keys=True)})
    digest = sha256_of(path)
    (directory / CHECKSUMS_FILENAME).write_text(f"{digest}  {WEIGHTS_FILENAME}\n", encoding="utf-8")
    return digest


def load_model(directory: Path = WEIGHTS_DIR) -> TinyTransformer:
    """The trained model in eval mode, after its weights pass the checksum."""
    verify_checkpoint(directory)
    path = directory / WEIGHTS_FILENAME
    from safetensors import safe_open

    with safe_open(str(path), framework="pt") as stream:
        config = TinyConfig(**json.loads(stream.metadata()["config"]))
    model = TinyTransformer(config)
    model.load_state_dict(load_file(str(path), device="cpu"))
    return model.eval()


def state_dict_equal(first: dict[str, torch.Tensor], second: dict[str, torch.Tensor]) -> bool:
    return first.keys() == second.keys() and all(torch.equal(first[name], second[name]) for name in first)
