"""The worker process itself: the model is loaded once per process (before the first task), on the
device ATTENTION_DEVICE picks, and a worker that cannot load it says so at once instead of timing out."""

from __future__ import annotations

import pytest
import torch

from attention_lab import services
from attention_lab.registry import DEFAULT_MODEL

pytestmark = pytest.mark.integration


def test_the_model_loads_once_per_worker_process_on_the_auto_device(attention_worker, lab_clean):
    for index in range(3):
        services.attention_compute(text=f"Load once, answer many: {index}.")
    computed = services.attention_compute(text="Which device?")
    assert computed.result.device.startswith("cuda" if torch.cuda.is_available() else "cpu")
    log = attention_worker.log_path.read_text()
    # one load of the default model per start of this worker process (the session fixture may have
    # restarted it); another model (the lab's tiny decoder, asked by a browser test) loads on its first job
    assert log.count(f"attention engine loaded: {DEFAULT_MODEL} ") == log.count("ready.") >= 1


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_a_worker_told_to_use_a_missing_gpu_fails_jobs_at_once_with_the_reason(paused_lab, monkeypatch):
    monkeypatch.setenv("ATTENTION_DEVICE", "cuda")
    paused_lab.start_worker()
    with pytest.raises(services.WorkerUnavailableError, match="ATTENTION_DEVICE is 'cuda'") as failed:
        services.attention_compute(text="Any GPU here?", timeout=20)
    assert "cannot load its model" in str(failed.value)
