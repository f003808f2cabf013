#!/usr/bin/env bash
# The attention lab on a GPU (issue 14). Two steps, because the GPU machine has torch and
# transformers but no Django, Celery or Redis, reaches no package registry, and takes at most
# 64 MiB of carried files (less than the model's 90 MB of weights):
#
#   bench/gpu_check.sh prepare   # here, on the CPU machine: the project's small wheels (torch
#                                # excluded) and a redis-server binary into bench/gpu_carry/
#   bench/gpu_check.sh run       # there, with bench/gpu_carry carried along
#
# `run`: (1) the reference check on CUDA, float32, ≤ 1e-5 (bench/gpu_reference.py: the real weights
# when installed, else a seeded random-weight model of the same shape, GPU against transformers on
# the CPU); (2) where the real weights are installed, a Celery worker with ATTENTION_DEVICE=cuda
# behind bench/lab_latency.py --quick, and bench/lab_browser_latency.py when Chromium is present.
# Without a CUDA device it says so and stops (exit 0). Record its tables in bench/README.md with the
# card's name that the first table prints.
set -euo pipefail
cd "$(dirname "$0")/.."
CARRY=bench/gpu_carry
PYTHON=${PYTHON:-python3}

prepare() {
  mkdir -p "$CARRY/wheels"
  # Everything the web process and the worker need, except torch (the GPU machine has its own).
  grep -v -E '^(#|torch|\s*$)' requirements.txt > "$CARRY/requirements.txt"
  .venv/bin/pip download --only-binary=:all: --dest "$CARRY/wheels" -r "$CARRY/requirements.txt" playwright
  cp "$(command -v redis-server)" "$CARRY/redis-server"
  du -sh "$CARRY"
  echo "carry bench/gpu_carry (must stay under 64 MiB; drop playwright's wheel if it does not)"
}

run() {
  if ! "$PYTHON" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)'; then
    echo "no CUDA device here: nothing to check"; exit 0
  fi
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
  "$PYTHON" bench/gpu_reference.py
  # A virtualenv that sees the machine's torch and transformers, plus the carried wheels.
  "$PYTHON" -m venv --system-site-packages /tmp/attentive-gpu
  /tmp/attentive-gpu/bin/pip install --no-index --find-links "$CARRY/wheels" -r "$CARRY/requirements.txt" -q
  export PATH="$PWD/$CARRY:/tmp/attentive-gpu/bin:$PATH" ATTENTION_DEVICE=cuda
  if ! /tmp/attentive-gpu/bin/python -c 'from attention_lab.model.weights import ModelFiles; ModelFiles.locate()' 2>/dev/null; then
    echo "the model's weights are not installed here: worker benchmarks skipped (the reference check above used a seeded model)"
    exit 0
  fi
  /tmp/attentive-gpu/bin/python bench/lab_latency.py --quick --sizes 32,256
  if command -v chromium >/dev/null || [ -x /usr/bin/chromium ]; then
    /tmp/attentive-gpu/bin/python bench/lab_browser_latency.py --samples 20
  else
    echo "no Chromium on this machine: browser benchmark skipped"
  fi
  /tmp/attentive-gpu/bin/python bench/api_latency.py --samples 20
}

case "${1:-run}" in
  prepare) prepare ;;
  run) run ;;
  *) echo "usage: $0 [prepare|run]" >&2; exit 2 ;;
esac
