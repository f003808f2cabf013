"""Device choice: 'auto' falls back to the CPU, an explicit 'cuda' never does so silently."""

from __future__ import annotations

import pytest
import torch

from attention_lab.model import AttentionEngine, DeviceUnavailableError
from attention_lab.model.engine import resolve_device


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_cuda_requested_without_a_gpu_is_a_clear_error():
    with pytest.raises(DeviceUnavailableError, match="no CUDA device"):
        AttentionEngine.load(device="cuda")


def test_auto_picks_cuda_only_when_present():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert resolve_device("auto").type == expected


def test_unknown_device_name_is_rejected():
    with pytest.raises(ValueError, match="'auto', 'cpu' or 'cuda'"):
        resolve_device("tpu")


def test_loading_keeps_matmuls_in_full_float32():
    # A process that allowed TF32 (~1e-3 off on a GPU) must not leak it into the exact API's weights.
    previous = torch.get_float32_matmul_precision()
    torch.set_float32_matmul_precision("high")
    try:
        AttentionEngine.load(device="cpu", threads=2)  # two threads: what the session's engine fixture set
        assert torch.get_float32_matmul_precision() == "highest"
    finally:
        torch.set_float32_matmul_precision(previous)
