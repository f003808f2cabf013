"""Attention lab latency benchmark: the real web server (gunicorn), Redis and Celery worker, side by
side with the bare forward pass on the same machine.

    .venv/bin/python bench/lab_latency.py            # full run, ~2-3 minutes on 2 cores
    .venv/bin/python bench/lab_latency.py --quick    # fewer samples, no burst

It starts its own redis-server (free port), worker and web server — never touching a running
Redis or worker — and reports, with the machine, device and date:
  * p50/p95 of update round trips (HTTP POST, keep-alive, like the page's fetch) at 8…256 tokens,
    through the lab's own update endpoint (compact payload) and the API (full JSON), against the
    bare forward pass of a new text (model in this process, same thread count as the worker),
    interleaved with them so that both meet the same machine; the lab update shows the last
    layer (a full pass, like the bare one), and also, in its own column, layer 1 (one layer);
  * cache-hit round trips (the transport + web floor: no worker involved);
  * bytes per update at 64 tokens (API, lab head view, lab model view) vs raw float32;
  * a burst: 20 learners typing a sentence at 10 keystrokes/s for 10 s (texts of ~22-44 tokens),
    each page sending on its debounce schedule (every 400 ms while typing, once more 150 ms after the
    last key), latest text wins per page — p95 latency against the bare pass at 32 tokens, forward
    passes vs requests, how soon the queue is empty after typing stops; the learners watch heads
    spread evenly over the six layers — once on their own schedules, once all sending at the same
    instants (the worst case), and once on their own schedules with every learner on layer 6;
  * batched vs one-at-a-time throughput of the worker's engine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import redis  # noqa: E402
import requests  # noqa: E402

from attention_lab.model import AttentionEngine  # noqa: E402
from bench.lean_http import LeanSession, Reply  # noqa: E402
from tests.lab_processes import RedisServer, WebServer, WorkerProcess, worker_env  # noqa: E402

SIZES = (8, 16, 32, 64, 128, 256)
LAYERS = 6
DEEPEST_VIEW = {"view": "head", "layer": LAYERS - 1, "head": 0}  # needs the whole model, as the bare pass
FIRST_LAYER_VIEW = {"view": "head", "layer": 0, "head": 0}  # the lab's opening view: one layer
GAP_S = 0.05  # pause before each timed call
PASSWORD = "bench-passphrase-42"
FILLER = (
    "Attention lets every token look at every other token and the weights come from a softmax over "
    "scaled dot products of queries and keys so that each word gathers what it needs from the others "
) * 12


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


class Texts:
    """Distinct texts of an exact token count, so that no request is a cache hit by accident."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer
        vocab = [word for word in tokenizer._tokenizer.get_vocab() if word.isalpha() and word.isascii() and len(word) > 3]
        self.words = sorted(word for word in vocab if tokenizer.count_tokens(word) == 3)
        self.counter = 0

    def make(self, tokens: int) -> str:
        """`tokens` tokens, [CLS]/[SEP] included; the last word differs from call to call."""
        self.counter += 1
        unique = self.words[self.counter % len(self.words)] + " " + self.words[(self.counter * 7919) % len(self.words)]
        words = FILLER.split()
        text = unique
        for word in words:
            if self.tokenizer.count_tokens(f"{word} {text}") > tokens:
                break
            text = f"{word} {text}"
        while self.tokenizer.count_tokens(text) < tokens:
            text = "a " + text
        assert self.tokenizer.count_tokens(text) == tokens, (tokens, self.tokenizer.count_tokens(text))
        return text


def bare_hot_loop_ms(engine: AttentionEngine, texts: Texts, size: int, repeats: int) -> float:
    """One text, forward after forward: the best case (warm caches, busy CPU threads), for reference."""
    text = texts.make(size)
    for _ in range(3):
        engine.run_one(text)
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        engine.run_one(text)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def bare_once_ms(engine: AttentionEngine, text: str) -> float:
    """One forward pass of a new text: what the worker does for one update."""
    started = time.perf_counter()
    engine.run_one(text)
    return (time.perf_counter() - started) * 1000


def lab_session(base_url: str) -> LeanSession:
    """A visitor on the lab page: its CSRF cookie and headers, then a lean keep-alive client."""
    page = requests.get(f"{base_url}/lab/", timeout=10)
    token = page.cookies.get("csrftoken", "")
    return LeanSession(base_url, {"Cookie": f"csrftoken={token}", "X-CSRFToken": token, "Referer": f"{base_url}/lab/"})


def timed_post(session: LeanSession, path: str, body: dict) -> tuple[float, Reply]:
    started = time.perf_counter()
    response = session.post(path, body)
    return (time.perf_counter() - started) * 1000, response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples, no burst")
    parser.add_argument("--samples", type=int, default=None, help="requests per size (default 30, quick 10)")
    parser.add_argument("--sizes", type=lambda value: [int(size) for size in value.split(",")], default=list(SIZES),
                        help="token counts to time, e.g. 32 (default 8,16,32,64,128,256)")
    args = parser.parse_args()
    samples = args.samples or (10 if args.quick else 30)

    import torch

    from attention_lab.model.engine import default_thread_count

    threads = int(os.environ.get("ATTENTION_THREADS") or default_thread_count())
    redis_server = RedisServer().start()
    prefix, queue = f"attn-bench-{uuid.uuid4().hex[:6]}", f"attention-bench-{uuid.uuid4().hex[:6]}"
    env = worker_env(redis_url=redis_server.url, queue=queue, prefix=prefix, ATTENTION_RATE="1000000/min")
    os.environ.update({key: env[key] for key in ("ATTENTION_RATE",)})
    web = WebServer(env=env, workers=2, threads=16)
    worker = WorkerProcess(redis_url=redis_server.url, queue=queue, prefix=prefix)
    report: dict = {}
    try:
        web.manage("migrate", "--noinput", "-v", "0")
        web.manage(
            "shell", "-c",
            f"from django.contrib.auth.models import User; User.objects.create_user('bench', password='{PASSWORD}')",
        )
        worker.start()
        web.start()
        engine = AttentionEngine.load(device="cpu", threads=threads)
        texts = Texts(engine.tokenizer)
        api = LeanSession(web.url)
        api.basic_auth("bench", PASSWORD)
        lab = lab_session(web.url)
        lab_ok = timed_post(lab, "/lab/update/", {"text": "warm up", "page": "w"})[1].status_code == 200
        timed_post(api, "/api/attention/", {"text": "warm up the worker"})
        device = timed_post(api, "/api/attention/", {"text": "which device"})[1].json()["device"]

        print(f"# Attention lab latency — {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC")
        print(f"machine: {platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} CPUs · "
              f"load avg {os.getloadavg()[0]:.1f} · torch {torch.__version__} · worker device: {device} · "
              f"torch threads {threads}")
        print("web: gunicorn (2 processes × 16 threads), worker: celery solo pool, own redis-server\n")

        # ---------------------------------------------------------------- round trips per size
        print("## Update round trip (ms): HTTP POST on a keep-alive connection, new text each time\n")
        print(f"Each sample: a bare forward pass of a new text in this process, then a lab update, then an API call, "
              f"each after a {GAP_S * 1000:.0f} ms pause (a learner's keystrokes are at least that far apart), so the "
              f"bare pass and the update meet the same machine. 'bare, hot loop' is one text run back to back.\n")
        print("| tokens | bare forward p50 | bare, hot loop p50 | lab update p50 | lab update p95 | lab p50 / bare | lab, layer 1 p50 | API p50 | API p95 | API p50 / bare | not 200 |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        rows = []
        for size in args.sizes:
            hot = bare_hot_loop_ms(engine, texts, size, repeats=max(10, samples))
            failed = 0
            bare_ms, api_ms, lab_ms, lab_first_ms = [], [], [], []
            for _ in range(samples):
                time.sleep(GAP_S)
                bare_ms.append(bare_once_ms(engine, texts.make(size)))
                if lab_ok:
                    # The last layer's head: a full forward pass, like the bare one. Then layer 1,
                    # where a new visitor starts, which needs one layer of the model.
                    for body, timings in ((DEEPEST_VIEW, lab_ms), (FIRST_LAYER_VIEW, lab_first_ms)):
                        time.sleep(GAP_S)
                        took, response = timed_post(lab, "/lab/update/", {"text": texts.make(size), "page": "bench", **body})
                        if response.status_code == 200:
                            timings.append(took)
                        failed += response.status_code != 200
                time.sleep(GAP_S)
                took, response = timed_post(api, "/api/attention/", {"text": texts.make(size)})
                if response.status_code == 200:
                    api_ms.append(took)
                failed += response.status_code != 200  # 503: the worker took over 3 s
            bare = percentile(bare_ms, 50)
            row = {
                "tokens": size, "bare_p50": bare, "bare_hot_p50": hot, "not_200": failed,
                "api_p50": percentile(api_ms, 50), "api_p95": percentile(api_ms, 95),
                "lab_p50": percentile(lab_ms, 50), "lab_p95": percentile(lab_ms, 95),
                "lab_layer1_p50": percentile(lab_first_ms, 50),
            }
            rows.append(row)
            print(f"| {size} | {bare:.1f} | {hot:.1f} | {row['lab_p50']:.1f} | {row['lab_p95']:.1f} | {row['lab_p50'] / bare:.2f}× | "
                  f"{row['lab_layer1_p50']:.1f} | "
                  f"{row['api_p50']:.1f} | {row['api_p95']:.1f} | {row['api_p50'] / bare:.2f}× | {failed} |")
        report["round_trips"] = rows

        # ---------------------------------------------------------------- cache hits
        text = texts.make(32)
        timed_post(api, "/api/attention/", {"text": text})
        hits = [timed_post(api, "/api/attention/", {"text": text}) for _ in range(samples)]
        hits = [(took, response) for took, response in hits if response.status_code == 200 and response.json()["cached"]]
        hit_ms = [took for took, _ in hits]
        lab_hit_ms = []
        if lab_ok:
            timed_post(lab, "/lab/update/", {"text": text, "page": "bench"})
            lab_hit_ms = [timed_post(lab, "/lab/update/", {"text": text, "page": "bench"})[0] for _ in range(samples)]
        print(f"\n## Cache hit (no worker), 32 tokens: API p50 {percentile(hit_ms, 50):.1f} ms, p95 {percentile(hit_ms, 95):.1f} ms; "
              f"lab update p50 {percentile(lab_hit_ms, 50):.1f} ms, p95 {percentile(lab_hit_ms, 95):.1f} ms")
        print("   (this is the whole transport + web + Redis floor of an update: what any other transport could save at most)")
        report["cache_hit"] = {"api_p50": percentile(hit_ms, 50), "lab_p50": percentile(lab_hit_ms, 50)}

        # ---------------------------------------------------------------- payload sizes
        text64 = texts.make(64)
        api_bytes = len(api.post("/api/attention/", {"text": text64}).content)
        sizes = {"api": api_bytes, "raw_float32": 6 * 12 * 64 * 64 * 4}
        if lab_ok:
            for view in ("head", "model", "step"):
                response = lab.post("/lab/update/", {"text": text64, "page": "size", "view": view})
                sizes[f"lab_{view}"] = len(response.content)
                sizes[f"lab_{view}_gzip"] = _gzip_size(response.content)
        print("\n## Bytes per update at 64 tokens\n")
        for name, value in sizes.items():
            print(f"- {name}: {value:,} B ({value / 1024:.1f} KB)")
        report["bytes_64"] = sizes

        # ---------------------------------------------------------------- burst
        if not args.quick and lab_ok:
            report["burst"] = burst(web.url, redis_server.url, prefix, texts, aligned=False)
            report["burst_aligned"] = burst(web.url, redis_server.url, prefix, texts, aligned=True)
            report["burst_deepest"] = burst(web.url, redis_server.url, prefix, texts, aligned=False, deepest_only=True)
            bare32 = next((row["bare_p50"] for row in rows if row["tokens"] == 32), float("nan"))
            print(f"\nBurst p95 against the bare pass at 32 tokens ({bare32:.1f} ms): "
                  f"{report['burst']['p95_ms'] / bare32:.1f}× on own schedules, "
                  f"{report['burst_aligned']['p95_ms'] / bare32:.1f}× all at once, "
                  f"{report['burst_deepest']['p95_ms'] / bare32:.1f}× with every learner on layer {LAYERS} (goal ≤ 4×)")

        # ---------------------------------------------------------------- batching
        report["batching"] = batching(engine, texts)
        print("\n```json")
        print(json.dumps(report, indent=1, default=float))
        print("```")
    finally:
        web.cleanup()
        worker.stop()
        redis_server.stop()


def _gzip_size(content: bytes) -> int:
    import gzip

    return len(gzip.compress(content, compresslevel=6))


TYPED = (
    "the model attends to the words that matter most for each position, and we watch those weights "
    "move as the sentence grows longer and longer "
)


def burst(
    base_url: str, redis_url: str, prefix: str, texts: Texts, *, aligned: bool, deepest_only: bool = False,
    learners: int = 20, rate: float = 10.0, seconds: float = 10.0,
) -> dict:
    """20 learners each type a sentence, one character per keystroke, 10 keystrokes a second, from a
    ~22-token start (so texts pass through ~32 tokens); each page sends on its own debounce schedule.
    Independent learners start at random moments; `aligned` makes them all send at the same instants
    (a worst case no classroom produces). Each learner watches one head: the class spreads over the
    six layers evenly (the worker runs a view only as deep as its layer), or with `deepest_only`
    every learner watches the last layer, so that every update is a full forward pass."""
    import random

    client = redis.Redis.from_url(redis_url)
    stats_before = {k.decode(): int(v) for k, v in client.hgetall(f"{prefix}:stats").items()}
    sessions = [lab_session(base_url) for _ in range(learners)]
    starts = [texts.make(22) for _ in range(learners)]
    latencies, outcomes, lock = [], {"ok": 0, "superseded": 0, "other": 0}, threading.Lock()
    codes: dict[int, int] = {}
    pool = ThreadPoolExecutor(max_workers=learners * 4)

    def view_of(learner: int) -> dict:
        layer = LAYERS - 1 if deepest_only else learner % LAYERS
        return {"view": "head", "mode": "head", "layer": layer, "head": (learner * 5) % 12}

    def send(session, text, page, view):
        took, response = timed_post(session, "/lab/update/", {"text": text, "page": page, **view})
        with lock:
            if response.status_code == 200:
                outcomes["ok"] += 1
                latencies.append(took)
            elif response.status_code == 409:
                outcomes["superseded"] += 1
            else:
                outcomes["other"] += 1
                codes[response.status_code] = codes.get(response.status_code, 0) + 1

    # The page's own schedule (static/lab/transport.js): while the learner keeps typing, an update
    # leaves at most every MAX_WAIT (400 ms), and one more DEBOUNCE (150 ms) after the last key.
    keystrokes, every = int(rate * seconds), max(1, round(0.4 * rate))
    randomness = random.Random(4)
    schedule = []  # (seconds from the start, learner, text)
    for learner in range(learners):
        phase = 0.0 if aligned else randomness.uniform(0, 0.4)
        typed = (TYPED * 3)[:keystrokes]
        for key in range(every - 1, keystrokes, every):
            schedule.append((phase + key / rate, learner, starts[learner] + " " + typed[: key + 1]))
        schedule.append((phase + (keystrokes - 1) / rate + 0.15, learner, starts[learner] + " " + typed + "."))
    schedule.sort()
    tokens_seen = [texts.tokenizer.count_tokens(text) for _, _, text in schedule]
    started = time.monotonic()
    for offset, learner, text in schedule:
        time.sleep(max(0.0, started + offset - time.monotonic()))
        page = f"learner-{learner}-{'a' if aligned else 'r'}{'-deep' if deepest_only else ''}"
        pool.submit(send, sessions[learner], text, page, view_of(learner))
    typing_ended = time.monotonic()
    drained_at = None
    while time.monotonic() - typing_ended < 10:
        if client.llen(f"{prefix}:pending") == 0 and drained_at is None:
            drained_at = time.monotonic()
        if drained_at is not None:
            break
        time.sleep(0.01)
    pool.shutdown(wait=True)
    stats = {k.decode(): int(v) - stats_before.get(k.decode(), 0) for k, v in client.hgetall(f"{prefix}:stats").items()}
    result = {
        "learners_send": "at the same instants" if aligned else "each on its own schedule",
        "layers_watched": f"layer {LAYERS} only" if deepest_only else f"layers 1-{LAYERS}, evenly",
        "keystrokes": keystrokes * learners, "requests": len(schedule),
        "tokens_min_median_max": [min(tokens_seen), int(statistics.median(tokens_seen)), max(tokens_seen)],
        "answered": outcomes["ok"], "superseded_409": outcomes["superseded"], "errors": outcomes["other"],
        "error_codes": codes, "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
        "forward_passes": stats.get("forwards", 0), "items_computed": stats.get("items", 0),
        "skipped_stale": stats.get("skipped_stale", 0),
        "queue_empty_after_typing_s": None if drained_at is None else round(drained_at - typing_ended, 3),
    }
    title = "all sending at the same instants (worst case)" if aligned else "each on its own schedule"
    title += f", every learner on layer {LAYERS}" if deepest_only else f", learners spread over layers 1-{LAYERS}"
    print(f"\n## Burst: {learners} learners × {rate:.0f} keystrokes/s × {seconds:.0f} s, {title}\n")
    for name, value in result.items():
        print(f"- {name}: {value if not isinstance(value, float) else round(value, 1)}")
    return result


def batching(engine: AttentionEngine, texts: Texts, batch: int = 16, size: int = 32) -> dict:
    from attention_lab.model import AttentionRequest

    requests_ = [AttentionRequest(texts.make(size)) for _ in range(batch)]
    engine.run_batch(requests_)
    rounds = 5
    started = time.perf_counter()
    for _ in range(rounds):
        engine.run_batch(requests_)
    batched = batch * rounds / (time.perf_counter() - started)
    started = time.perf_counter()
    for _ in range(rounds):
        for request in requests_:
            engine.run_batch([request])
    single = batch * rounds / (time.perf_counter() - started)
    print(f"\n## Batching at {size} tokens: {batched:.0f} texts/s in batches of {batch} vs {single:.0f} texts/s one at a time "
          f"({batched / single:.2f}×)")
    return {"tokens": size, "batch": batch, "batched_per_s": batched, "single_per_s": single}


if __name__ == "__main__":
    main()
