"""Quiz load test on the production shape: N students each start an attempt, autosave 10 answers and submit.

    .venv/bin/python bench/quiz_load.py [--users 50] [--rounds 1] [--think 1-3] [--spawn-rate N] [--web-workers 3] [--sqlite PATH]

Creates (and at the end drops) the PostgreSQL database `attentive_quizbench`, starts its own
redis-server on a free port and gunicorn with production settings (`config/gunicorn.py`), creates a
published course with one 10-question quiz of mixed types (imported from the Markdown quiz format
below) and N enrolled students, then runs Locust headless (bench/quiz_locustfile.py): every user
logs in, starts an attempt, autosaves each question once through the page's htmx endpoint, waits
`--think` seconds (a range, uniform) before each save and before submitting, submits, opens the
review. No attention worker: the quiz path never calls it (so /healthz is only asked for the
database and Redis).

At the end it counts, in the database, the answers the server acknowledged: an answer counts as kept
when its row holds exactly the response that the last acknowledged save for that question sent
(the posted fields are turned into a response by the server's own `response_from_form`) and its
attempt is submitted and graded. Prints p50/p95/p99 of save and submit, throughput and the count;
exits 1 when an acknowledged answer is missing or wrong, or an attempt was not submitted; 2 when
requests failed (nothing lost). The statistics, what was sent and the servers' log stay in bench/results/quiz_*.
"""
import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quiz_bench_lib import QUIZ_MARKDOWN  # noqa: E402
from run_load import PG, PYTHON, RESULTS, ROOT, free_port, psql, row_table, wait_for  # noqa: E402 — the load test's helpers

DB_NAME = os.environ.get("QUIZBENCH_DB", "attentive_quizbench")  # one of its own per session sharing the server
PASSWORD = "quizbench-password-42"
PREFIX = "quiz"

SETUP = """
import json
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from courses.models import Course, Enrollment, Lesson
from quizzes.models import Quiz
from quizzes.services.importing import quiz_import_text
course = Course.objects.create(slug="quizbench", title="Quiz bench", is_published=True)
lesson = Lesson.objects.create(course=course, slug="bench-lesson", title="Bench lesson", position=1, is_published=True)
quiz = Quiz.objects.create(lesson=lesson, slug="bench-quiz", title="Bench quiz", is_published=True, attempts_allowed=0)
questions = quiz_import_text(quiz=quiz, text=open({quiz_file!r}, encoding="utf-8").read(), fmt="markdown", user=None)
password = make_password({password!r})  # hashed once: {students} logins need not cost {students} PBKDF2 runs here
users = User.objects.bulk_create(User(username=f"quizbench{{n:03d}}", password=password) for n in range({students}))
users = list(User.objects.filter(username__startswith="quizbench").order_by("username"))
Enrollment.objects.bulk_create(Enrollment(user=user, course=course) for user in users)
with open({out!r}, "w", encoding="utf-8") as handle:
    json.dump({{"quiz": quiz.pk, "questions": len(questions), "students": [u.username for u in users],
               "password": {password!r}, "users": {students}, "rounds": {rounds}, "think": {think!r}}}, handle)
"""

CHECK = """
import json, sys
sys.path.insert(0, {bench!r})
from quiz_bench_lib import answers_check
from quizzes.models import Answer
result = answers_check([json.loads(line) for line in open({sent!r}, encoding="utf-8") if line.strip()])
result["answers_in_database"] = Answer.objects.filter(attempt__quiz__slug="bench-quiz", saved_at__isnull=False).count()
with open({out!r}, "w", encoding="utf-8") as handle:
    json.dump(result, handle)
"""


def load_average() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent students (default 50)")
    parser.add_argument("--rounds", type=int, default=1, help="attempts per student, one after another (default 1)")
    parser.add_argument("--think", default="1-3", help="seconds before each save and the submit, 'low-high' (default 1-3; 0 for none)")
    parser.add_argument("--spawn-rate", type=float, default=0, help="students starting per second (default: all at once, a class starting an exam)")
    parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))
    parser.add_argument("--sqlite", metavar="PATH", help="run on a new SQLite file at PATH (WAL, IMMEDIATE transactions) instead of PostgreSQL")
    parser.add_argument("--max-seconds", type=int, default=600, help="stop Locust after this long whatever happens")
    args = parser.parse_args()
    low, _, high = args.think.partition("-")
    think = [float(low), float(high or low)]
    RESULTS.mkdir(parents=True, exist_ok=True)
    targets, sent, checked = RESULTS / f"{PREFIX}_targets.json", RESULTS / f"{PREFIX}_sent.jsonl", RESULTS / f"{PREFIX}_check.json"
    quiz_file = RESULTS / f"{PREFIX}_quiz.md"
    quiz_file.write_text(QUIZ_MARKDOWN, encoding="utf-8")
    sent.unlink(missing_ok=True)
    (RESULTS / f"{PREFIX}_stats.json").unlink(missing_ok=True)

    redis_port, web_port = free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{Path(args.sqlite).resolve()}" if args.sqlite else f"{PG}/{DB_NAME}",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        # plain HTTP on localhost: no TLS proxy in front of gunicorn here
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "GUNICORN_PORT": str(web_port),
        "WEB_CONCURRENCY": str(args.web_workers),
        "LOG_LEVEL": "WARNING",
        "QUIZBENCH_TARGETS": str(targets),
        "QUIZBENCH_SENT": str(sent),
        "QUIZBENCH_STATS": str(RESULTS / f"{PREFIX}_stats.json"),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    processes: list[subprocess.Popen] = []
    logs = open(RESULTS / f"{PREFIX}_servers.log", "w", encoding="utf-8")  # noqa: SIM115 — closed in finally

    def start(command: list[str]) -> None:
        processes.append(subprocess.Popen(command, env=env, cwd=ROOT, stdout=logs, stderr=subprocess.STDOUT, start_new_session=True))

    def manage(*arguments: str) -> None:
        subprocess.run([PYTHON, "manage.py", *arguments], env=env, cwd=ROOT, check=True)

    def drop_database() -> None:
        if not args.sqlite:
            psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
            return
        for suffix in ("", "-wal", "-shm"):
            Path(args.sqlite + suffix).unlink(missing_ok=True)

    started = datetime.now(timezone.utc)
    try:
        print(f"database {args.sqlite or DB_NAME}, redis :{redis_port}, web :{web_port}, load average {load_average()}", flush=True)
        drop_database()
        if not args.sqlite:
            psql(f"CREATE DATABASE {DB_NAME}")
        manage("migrate", "--noinput", "-v", "0")
        manage("collectstatic", "--noinput", "-v", "0")
        manage("shell", "-v", "0", "-c", SETUP.format(quiz_file=str(quiz_file), password=PASSWORD, students=args.users,
                                                      out=str(targets), rounds=args.rounds, think=think))
        start([shutil.which("redis-server") or "redis-server", "--port", str(redis_port), "--bind", "127.0.0.1",
               "--save", "", "--appendonly", "no"])
        start([PYTHON, "-m", "gunicorn", "config.wsgi", "-c", "config/gunicorn.py"])
        host = f"http://127.0.0.1:{web_port}"
        wait_for(f"{host}/healthz", lambda body: body["database"]["ok"] and body["redis"]["ok"], 120, "gunicorn")

        print(f"{args.users} students × {args.rounds} attempt(s), think {think[0]:g}–{think[1]:g} s, "
              f"{args.web_workers} gunicorn workers", flush=True)
        load_before = load_average()
        began = time.monotonic()
        subprocess.run([
            PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "quiz_locustfile.py"), "--headless", "--host", host,
            "-u", str(args.users), "-r", str(args.spawn_rate or args.users), "-t", f"{args.max_seconds}s",
            "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING",
        ], env=env, cwd=ROOT, check=False, timeout=args.max_seconds + 120)
        elapsed = time.monotonic() - began
        load_after = load_average()
        manage("shell", "-v", "0", "-c", CHECK.format(bench=str(ROOT / "bench"), sent=str(sent), out=str(checked)))
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
        drop_database()

    rows = json.loads((RESULTS / f"{PREFIX}_stats.json").read_text(encoding="utf-8"))
    check = json.loads(checked.read_text(encoding="utf-8"))
    questions = json.loads(targets.read_text(encoding="utf-8"))["questions"]
    aggregated = next(row for row in rows if row["Name"] == "Aggregated")
    by_name = {row["Name"]: row for row in rows}
    failures = int(aggregated["Failure Count"])
    lost = check["lost"]
    unsubmitted = args.users * args.rounds - check["attempts_submitted_in_db"]
    figures = {
        name: {"p50": by_name[name]["50%"], "p95": by_name[name]["95%"], "p99": by_name[name]["99%"], "max": by_name[name]["Max Response Time"]}
        for name in ("autosave answer", "submit attempt") if name in by_name
    }
    report = [
        f"Machine: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {'SQLite' if args.sqlite else 'PostgreSQL'}, "
        f"gunicorn × {args.web_workers}; {started:%d %b %Y %H:%M} UTC; load average {load_before} before, {load_after} after",
        "",
        f"{args.users} students × {args.rounds} attempt(s) of a {questions}-question quiz, "
        f"think {think[0]:g}–{think[1]:g} s, {'all starting at once' if not args.spawn_rate else f'{args.spawn_rate:g} starting per second'}, "
        f"{elapsed:.0f} s in all",
        "",
        row_table([row for row in rows if row["Name"] != "Aggregated"] + [aggregated]),
        "",
        f"Throughput: {float(aggregated['Requests/s']):.1f} requests/s; "
        f"{float(by_name.get('autosave answer', {}).get('Requests/s', 0)):.1f} saves/s; "
        f"{check['attempts_submitted_in_db'] / elapsed:.2f} attempts submitted/s",
        "",
        f"Answers: {check['saves_sent']} saves sent, {check['saves_acknowledged']} acknowledged; "
        f"{check['answers_kept']} of {check['answers_expected']} acknowledged answers found intact in the database "
        f"({check['answers_in_database']} saved answer rows in all); **lost: {lost}**. "
        f"Attempts: {check['attempts_started']} started, {check['attempts_submitted_in_db']} submitted in the database.",
    ]
    text = "\n".join(report)
    (RESULTS / f"{PREFIX}_report.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    print(json.dumps({"figures_ms": figures, "check": {k: v for k, v in check.items() if k != "problems"},
                      "problems": check["problems"][:20]}, indent=1))
    if lost or unsubmitted:
        sys.exit(1)
    sys.exit(2 if failures else 0)


if __name__ == "__main__":
    main()
