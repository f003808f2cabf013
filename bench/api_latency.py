"""Attention API latency for scripts: .npz at 256 tokens and JSON at 32, against the bare forward pass.

    .venv/bin/python bench/api_latency.py              # 20 samples per row, ~1 minute on 2 cores
    .venv/bin/python bench/api_latency.py --samples 40

Starts its own redis-server, Celery worker and gunicorn (like bench/lab_latency.py). Every sample is
a new text (no cache hit), and each API call is interleaved with a bare forward pass of another new
text in this process (same thread count as the worker), so both meet the same machine. Goals (issue
14): npz at 256 tokens p50 ≤ 2× the bare pass, JSON at 32 tokens ≤ 3×.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402

from attention_lab.model import AttentionEngine  # noqa: E402
from bench.lab_latency import PASSWORD, Texts, bare_once_ms, percentile  # noqa: E402
from bench.lean_http import LeanSession  # noqa: E402
from tests.lab_processes import RedisServer, WebServer, WorkerProcess, worker_env  # noqa: E402

ROWS = (  # (label, tokens, Accept, body extras)
    ("npz, all 72 maps", 256, "application/x-npz", {}),
    ("npz, layer 6 head 1", 256, "application/x-npz", {"layers": [5], "heads": [0]}),
    ("JSON, all 72 maps", 32, "application/json", {}),
    ("JSON, all 72 maps", 256, "application/json", {}),
)
GAP_S = 0.05


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=20)
    args = parser.parse_args()

    import torch

    from attention_lab.model.engine import default_thread_count

    threads = int(os.environ.get("ATTENTION_THREADS") or default_thread_count())
    redis_server = RedisServer().start()
    prefix, queue = f"attn-bench-{uuid.uuid4().hex[:6]}", f"attention-bench-{uuid.uuid4().hex[:6]}"
    env = worker_env(redis_url=redis_server.url, queue=queue, prefix=prefix, ATTENTION_RATE="1000000/min", ATTENTION_WAIT_SECONDS="15")
    web = WebServer(env=env, workers=2, threads=8)
    worker = WorkerProcess(redis_url=redis_server.url, queue=queue, prefix=prefix)
    try:
        web.manage("migrate", "--noinput", "-v", "0")
        web.manage("shell", "-c", f"from django.contrib.auth.models import User; User.objects.create_user('bench', password='{PASSWORD}')")
        worker.start()
        web.start()
        engine = AttentionEngine.load(device="cpu", threads=threads)
        texts = Texts(engine.tokenizer)
        api = LeanSession(web.url)
        api.basic_auth("bench", PASSWORD)
        for accept in ("application/json", "application/x-npz"):
            api.post_accepting("/api/attention/", {"text": texts.make(16)}, accept)
        print(f"# Attention API latency — {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC")
        print(f"machine: {platform.node()} · {os.cpu_count()} CPUs (shared with other jobs) · load avg "
              f"{os.getloadavg()[0]:.1f} · torch {torch.__version__} · threads {threads}\n")
        print("| answer | tokens | bare forward p50 (ms) | API p50 (ms) | API p95 (ms) | p50 / bare | bytes | exact float32 |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for label, size, accept, extras in ROWS:
            bare, taken, size_bytes, exact = [], [], 0, True
            for _ in range(args.samples):
                time.sleep(GAP_S)
                bare.append(bare_once_ms(engine, texts.make(size)))
                text = texts.make(size)
                time.sleep(GAP_S)
                started = time.perf_counter()
                reply = api.post_accepting("/api/attention/", {"text": text, **extras}, accept)
                taken.append((time.perf_counter() - started) * 1000)
                assert reply.status_code == 200, reply.content[:300]
                size_bytes = len(reply.content)
                maps = _maps(reply.content, accept)
                expected = engine.run_one(text).attentions
                if extras:
                    expected = expected[np.ix_(extras["layers"], extras["heads"])]
                exact = exact and float(np.abs(maps - expected).max()) <= 1e-6
            ratio = percentile(taken, 50) / percentile(bare, 50)
            print(f"| {label} | {size} | {percentile(bare, 50):.1f} | {percentile(taken, 50):.1f} | "
                  f"{percentile(taken, 95):.1f} | {ratio:.2f}× | {size_bytes:,} | {'yes' if exact else 'NO'} |")
    finally:
        web.stop()
        worker.stop()
        redis_server.stop()


def _maps(content: bytes, accept: str) -> np.ndarray:
    if accept == "application/x-npz":
        with np.load(io.BytesIO(content)) as archive:
            return archive["attentions"]
    import orjson

    return np.array(orjson.loads(content)["attentions"], dtype=np.float32)


if __name__ == "__main__":
    main()
