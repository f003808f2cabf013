"""Keystroke → painted heatmap in real headless Chromium, against the bare forward pass, in one run.

    .venv/bin/python bench/lab_browser_latency.py                 # 20 samples at 32 and 256 tokens
    .venv/bin/python bench/lab_browser_latency.py --samples 40 --sizes 32,64,256

Starts its own redis-server, Celery worker and gunicorn (like bench/lab_latency.py) and Chromium
(/usr/bin/chromium through Playwright). Each sample puts a new text of n-1 characters short of its
last one into the lab's text box (no request), then presses the last key: the time runs from that
keydown to the frame after the lab root's `data-updates` counter moves (the page's public hook).
Before each sample, a bare forward pass of another new text of the same length runs in this process
(same thread count as the worker). The lab shows layer 6 (the whole model runs, as in the bare pass).
Goals (issue 14): p50 ≤ 3× the bare pass at 32 tokens, ≤ 2× at 256.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from attention_lab.model import AttentionEngine  # noqa: E402
from bench.lab_latency import Texts, bare_once_ms, percentile  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.lab_processes import RedisServer, WebServer, WorkerProcess, worker_env  # noqa: E402

ARM = """() => {
  const root = document.querySelector('[data-attention-lab]'), box = document.querySelector('#lab-text');
  const before = Number(root.getAttribute('data-updates') || 0);
  window.__painted = new Promise((resolve) => {
    let pressed = null;
    box.addEventListener('keydown', () => { pressed = performance.now(); }, { once: true });
    new MutationObserver((changes, observer) => {
      if (Number(root.getAttribute('data-updates')) <= before || pressed === null) return;
      observer.disconnect();
      // the frame that shows the new map: after the next animation frame has been painted
      requestAnimationFrame(() => setTimeout(() => resolve({
        ms: performance.now() - pressed, tokens: root.lab.result.token_count, draw: Number(root.getAttribute('data-draw-ms')),
      }), 0));
    }).observe(root, { attributes: true, attributeFilter: ['data-updates'] });
  });
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--sizes", type=lambda value: [int(size) for size in value.split(",")], default=[32, 256])
    args = parser.parse_args()

    import torch
    from playwright.sync_api import sync_playwright

    from attention_lab.model.engine import default_thread_count

    threads = int(os.environ.get("ATTENTION_THREADS") or default_thread_count())
    redis_server = RedisServer().start()
    prefix, queue = f"attn-bench-{uuid.uuid4().hex[:6]}", f"attention-bench-{uuid.uuid4().hex[:6]}"
    env = worker_env(redis_url=redis_server.url, queue=queue, prefix=prefix, ATTENTION_RATE="1000000/min", ATTENTION_WAIT_SECONDS="15")
    web = WebServer(env=env, workers=2, threads=8)
    worker = WorkerProcess(redis_url=redis_server.url, queue=queue, prefix=prefix)
    try:
        web.manage("migrate", "--noinput", "-v", "0")
        web.manage("collectstatic", "--noinput", "-v", "0")  # gunicorn serves the lab's scripts through WhiteNoise
        worker = WorkerProcess(redis_url=redis_server.url, queue=queue, prefix=prefix)
        worker.start()
        web.start()
        engine = AttentionEngine.load(device="cpu", threads=threads)
        texts = Texts(engine.tokenizer)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.on("pageerror", lambda error: print("page error:", error, file=sys.stderr))
            page.goto(f"{web.url}/lab/?layer=6&head=1&text=warm+up")
            page.wait_for_function("() => Number(document.querySelector('[data-attention-lab]').getAttribute('data-updates')) > 0")
            device = page.evaluate("() => document.querySelector('[data-attention-lab]').lab.result.device")
            print(f"# Lab keystroke → painted heatmap — {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC")
            print(f"machine: {os.uname().nodename} · {os.cpu_count()} CPUs, shared with other jobs (load avg "
                  f"{os.getloadavg()[0]:.1f}) · torch {torch.__version__} · worker on {device} · threads {threads} · "
                  f"Chromium headless {browser.version}\n")
            print("| tokens | bare forward p50 (ms) | keystroke → paint p50 (ms) | p95 (ms) | p50 / bare | goal | draw p50 (ms) |")
            print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
            for size in args.sizes:
                bare, painted, draws = [], [], []
                for _ in range(args.samples + 2):  # the first two warm this length up
                    bare.append(bare_once_ms(engine, texts.make(size)))
                    text = texts.make(size)
                    page.evaluate("(value) => { document.querySelector('#lab-text').value = value; }", text[:-1])
                    page.evaluate(ARM)
                    time.sleep(0.05)
                    page.locator("#lab-text").press(text[-1])
                    sample = page.evaluate("window.__painted")
                    assert sample["tokens"] == size, sample
                    painted.append(sample["ms"])
                    draws.append(sample["draw"])
                bare, painted, draws = bare[2:], painted[2:], draws[2:]
                ratio = percentile(painted, 50) / percentile(bare, 50)
                goal = "≤ 3×" if size <= 64 else "≤ 2×"
                print(f"| {size} | {percentile(bare, 50):.1f} | {percentile(painted, 50):.1f} | {percentile(painted, 95):.1f} | "
                      f"{ratio:.2f}× | {goal} | {percentile(draws, 50):.1f} |")
            browser.close()
    finally:
        web.stop()
        worker.stop()
        redis_server.stop()


if __name__ == "__main__":
    main()
