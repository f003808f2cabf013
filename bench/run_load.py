"""Load test of the production shape on this machine: gunicorn + PostgreSQL + Redis + the attention worker.

    .venv/bin/python bench/run_load.py [--users 30] [--seconds 60] [--saturation-seconds 20]

Creates (and at the end drops) the PostgreSQL database `attentive_bench`, starts its own redis-server
on a free port, one attention worker (CPU unless ATTENTION_DEVICE says otherwise) and gunicorn with
production settings, then runs Locust headless: the mixed scenario (readers, quiz takers, lab
typists), then a saturation phase where half the users fetch the lesson page and half the bare
yardstick page, back to back. Prints requests per second, p50/p95 per action and errors, and the
lesson page's rps against the bare page's; the raw CSVs stay in bench/results/.
"""
import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "attentive_bench"
PASSWORD = "bench-password-42"
STUDENTS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True)


def wait_for(url: str, ok, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if ok(json.loads(response.read() or b"{}")):
                    return
        except Exception:  # noqa: BLE001 — not up yet
            pass
        time.sleep(0.5)
    raise SystemExit(f"{what} did not come up within {seconds:.0f} s ({url})")


SETUP = """
from django.contrib.auth.models import User
from courses.models import Course, Enrollment
from quizzes.models import Quiz
import json, sys
course = Course.objects.order_by("id").first()
lessons = [l.get_absolute_url() for l in course.lessons.filter(is_published=True).order_by("position")]
Quiz.objects.filter(lesson__course=course).update(attempts_allowed=0, time_limit_minutes=None, opens_at=None, closes_at=None)
quizzes = list(Quiz.objects.filter(lesson__course=course, is_published=True, lesson__is_published=True).values_list("id", flat=True))
students = []
for n in range({students}):
    user, _ = User.objects.get_or_create(username=f"bench{{n:03d}}")
    user.set_password("{password}")
    user.save()
    Enrollment.objects.get_or_create(user=user, course=course)
    students.append(user.username)
with open("{out}", "w", encoding="utf-8") as handle:
    json.dump({{"course": course.get_absolute_url(), "lessons": lessons, "quizzes": quizzes, "students": students,
               "password": "{password}"}}, handle)
"""


def locust(host: str, env: dict, users: int, seconds: int, classes: list[str], prefix: str) -> None:
    command = [
        PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--host", host,
        "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{seconds}s", "--csv", str(RESULTS / prefix),
        "--only-summary", "--stop-timeout", "5", "--loglevel", "WARNING", *classes,
    ]
    subprocess.run(command, env=env, cwd=ROOT, check=False, timeout=seconds + 120)


def stats(prefix: str) -> list[dict]:
    with open(RESULTS / f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def row_table(rows: list[dict]) -> str:
    lines = ["| action | requests | errors | rps | p50 ms | p95 ms |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        lines.append(
            f"| {row['Name'] if row['Name'] != 'Aggregated' else '**all**'} | {row['Request Count']} | "
            f"{row['Failure Count']} | {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--saturation-seconds", type=int, default=30)
    # 2 × cores + 1 would be 5 on our 2-core machine, where Locust and the worker share the cores
    parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)

    redis_port, web_port = free_port(), free_port()
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "REDIS_URL": redis_url,
        # plain HTTP on localhost: no TLS proxy in front of gunicorn here
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "BENCH_VIEWS": "1",
        # every simulated student comes from 127.0.0.1: the per-address lab limit would count them as one
        "ATTENTION_LAB_RATE_PER_MINUTE": "0",
        "ATTENTION_RATE": "100000/min",
        "ATTENTION_DEVICE": os.environ.get("ATTENTION_DEVICE", "cpu"),
        "GUNICORN_PORT": str(web_port),
        "LOG_LEVEL": "WARNING",
    }
    if args.web_workers:
        env["WEB_CONCURRENCY"] = str(args.web_workers)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    processes: list[subprocess.Popen] = []
    logs = open(RESULTS / "servers.log", "w", encoding="utf-8")  # noqa: SIM115 — closed in finally

    def start(command: list[str]) -> subprocess.Popen:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=logs, stderr=subprocess.STDOUT, start_new_session=True)
        processes.append(process)
        return process

    try:
        print(f"database {DB_NAME}, redis :{redis_port}, web :{web_port}", flush=True)
        psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
        psql(f"CREATE DATABASE {DB_NAME}")
        for step in (["migrate", "--noinput", "-v", "0"], ["load_course", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
            subprocess.run([PYTHON, "manage.py", *step], env=env, cwd=ROOT, check=True)
        setup = SETUP.format(students=STUDENTS, password=PASSWORD, out=RESULTS / "targets.json")
        subprocess.run([PYTHON, "manage.py", "shell", "-v", "0", "-c", setup], env=env, cwd=ROOT, check=True)
        env["BENCH_TARGETS"] = str(RESULTS / "targets.json")

        start([shutil.which("redis-server") or "redis-server", "--port", str(redis_port), "--bind", "127.0.0.1",
               "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction"])
        start([PYTHON, "-m", "celery", "-A", "config", "worker", "-Q", env.get("ATTENTION_QUEUE", "attention") + ",celery",
               "--pool", "solo", "--concurrency", "1", "--loglevel", "WARNING", "-n", f"bench-{redis_port}@%h"])
        start([PYTHON, "-m", "gunicorn", "config.wsgi", "-c", "config/gunicorn.py"])
        host = f"http://127.0.0.1:{web_port}"
        wait_for(f"{host}/healthz", lambda body: body.get("status") == "ok", 120, "web + worker")

        print(f"mixed scenario: {args.users} users, {args.seconds} s", flush=True)
        locust(host, env, args.users, args.seconds, ["Reader", "QuizTaker", "LabTyper"], "mixed")
        # Both pages at once, half the users each, no think time: they share the server (and whatever
        # else the machine is doing) at the same moments, so their rps compare like for like.
        print(f"saturation: lesson page and bare page together, {args.users} users, {args.saturation_seconds} s", flush=True)
        locust(host, env, args.users, args.saturation_seconds, ["LessonOnly", "BareOnly"], "saturation")
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        logs.close()
        psql(f"DROP DATABASE IF EXISTS {DB_NAME}")

    mixed = stats("mixed")
    saturation = stats("saturation")
    lesson = next(r for r in saturation if r["Name"] == "saturation: lesson page")
    bare = next(r for r in saturation if r["Name"] == "saturation: bare page")
    ratio = float(lesson["Requests/s"]) / float(bare["Requests/s"])
    report = [
        f"## Mixed scenario ({args.users} users, {args.seconds} s)", "", row_table(mixed), "",
        f"## Lesson page vs bare template page (same run, {args.users // 2} users on each, {args.saturation_seconds} s, no think time)", "",
        row_table([lesson, bare]), "", f"lesson rps / bare rps = **{ratio:.2f}** (goal ≥ 0.6)",
    ]
    text = "\n".join(report)
    (RESULTS / "report.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    errors = sum(int(r["Failure Count"]) for r in mixed if r["Name"] == "Aggregated")
    sys.exit(0 if errors == 0 and ratio >= 0.6 else 1)


if __name__ == "__main__":
    main()
