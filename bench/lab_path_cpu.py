"""One job's way to the worker (issue 14, "one path"), measured in CPU time as well as in wall time.

On our shared 2-core machine the wall clock of a round trip swings with other people's load by far
more than the millisecond or two a way in can cost (bench/README.md, 6 Dec: inconclusive). The CPU
time each process spends per job swings much less, so this script reports both, per way in:

    .venv/bin/python bench/lab_path_cpu.py --jobs 60 --rounds 3

It starts its own redis-server and, per way and round, a fresh worker (celery solo pool) on its own
queue and key prefix; this process is the web side (services.attention_compute, as the views call
it). Each job is a new text of ~12 tokens asking one map of layer 1, so the forward pass is small
and the way in is a large part of what is measured.

Issue 14 chose between two ways in with it: "listener" (ATTENTION_LISTENER=1) and "task" (=0, a
Celery message per job), at commit f64f2e7 where both existed (bench/README.md, 6 Dec). The task
way and its switch are gone; the script now measures the one way left, as a baseline to compare a
future change against (run it at that commit to repeat the comparison).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.lab_processes import RedisServer, WorkerProcess  # noqa: E402

WAYS = {"listener": {}}  # way → the worker's extra environment (f64f2e7 also had "task")


def cpu_ms(pid: int) -> float:
    """User + system CPU time of one process so far, in ms (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def measure(way: str, jobs: int, redis_server: RedisServer) -> dict:
    from django.conf import settings

    from attention_lab import services

    suffix = uuid.uuid4().hex[:6]
    settings.ATTENTION_REDIS_PREFIX, settings.ATTENTION_QUEUE = f"attn-path-{suffix}", f"attention-path-{suffix}"
    os.environ.update(WAYS[way])  # the worker's environment is copied from ours
    worker = WorkerProcess(redis_url=redis_server.url, queue=settings.ATTENTION_QUEUE, prefix=settings.ATTENTION_REDIS_PREFIX)
    worker.start()
    try:
        for index in range(5):  # warm: model, tokenizer, connections, Lua scripts
            services.attention_compute(text=f"Warm up the {way} way, {index}.", heads=((0, 0),))
        time.sleep(1.5)  # the listener's mark (if any) is fresh; nothing in flight
        before = (cpu_ms(worker.process.pid), cpu_ms(redis_server.process.pid), time.process_time() * 1000)
        started = time.monotonic()
        wall = []
        for index in range(jobs):
            text = f"Learner {index} types a sentence about attention heads {suffix}."
            began = time.perf_counter()
            services.attention_compute(text=text, heads=((0, 0),))
            wall.append((time.perf_counter() - began) * 1000)
        elapsed = time.monotonic() - started
        after = (cpu_ms(worker.process.pid), cpu_ms(redis_server.process.pid), time.process_time() * 1000)
    finally:
        worker.stop()
    per_job = [(b - a) / jobs for a, b in zip(before, after)]
    return {
        "way": way, "load": os.getloadavg()[0], "wall_p50": statistics.median(wall),
        "wall_p90": sorted(wall)[int(0.9 * (len(wall) - 1))], "worker_cpu": per_job[0], "redis_cpu": per_job[1],
        "web_cpu": per_job[2], "seconds": elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=60, help="jobs per way and round (default 60)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, each way once per round (default 3)")
    parser.add_argument("--ways", default=",".join(WAYS), help=f"comma-separated, of {', '.join(WAYS)}")
    args = parser.parse_args()
    ways = [way for way in args.ways.split(",") if way]
    redis_server = RedisServer().start()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["TEST_REDIS_URL"] = redis_server.url
    os.environ["ATTENTION_WAIT_SECONDS"] = "30"  # a loaded machine must not turn a slow job into an error

    import django

    django.setup()
    print(f"# One job's way to the worker — {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, "
          f"{os.cpu_count()} CPUs, load avg {os.getloadavg()[0]:.1f}; {args.jobs} jobs per row, ~12 tokens, layer 1 only\n")
    print("| round | way | load | wall p50 (ms) | wall p90 (ms) | worker CPU / job (ms) | redis CPU / job (ms) | web side CPU / job (ms) | all CPU / job (ms) |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    try:
        for round_number in range(1, args.rounds + 1):
            order = ways if round_number % 2 else list(reversed(ways))  # neither way always goes first
            for way in order:
                row = measure(way, args.jobs, redis_server)
                total = row["worker_cpu"] + row["redis_cpu"] + row["web_cpu"]
                print(f"| {round_number} | {way} | {row['load']:.1f} | {row['wall_p50']:.1f} | {row['wall_p90']:.1f} | "
                      f"{row['worker_cpu']:.2f} | {row['redis_cpu']:.2f} | {row['web_cpu']:.2f} | {total:.2f} |", flush=True)
    finally:
        redis_server.stop()


if __name__ == "__main__":
    main()
