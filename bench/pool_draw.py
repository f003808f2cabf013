"""Benchmark of question pools: starting an attempt at a quiz whose random slot draws from 1,000 questions.

    .venv/bin/python bench/pool_draw.py [--pool 1000] [--draw 10] [--starts 200]

Builds, in a throwaway SQLite database (or in BENCH_DATABASE_URL, which must be a scratch one: the script
migrates and fills it), a course with a question bank of `--pool` labelled questions and a quiz of 5 fixed
questions plus one random slot drawing `--draw` of them, then times `attempt_start` (the whole service:
permission and date checks, the draw, the layout, the attempt and its answer rows) for learners who have
0, 1 or 3 earlier attempts (so avoiding seen questions is part of what is timed). Each start is
submitted outside the timing. Goal (issue 16): ≤ 100 ms a start, at 1,000 questions in the pool.
"""
import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SPEC = {"qtype": "single_choice", "title": "Bench", "text": "Which function normalises scores?",
        "choices": [{"id": "a", "text": "ReLU", "fraction": 0.0}, {"id": "b", "text": "Softmax", "fraction": 1.0},
                    {"id": "c", "text": "Tanh", "fraction": 0.0}]}


def setup_django(database_url: str | None) -> None:
    if database_url is None:
        path = Path(tempfile.mkdtemp(prefix="pool-bench-")) / "bench.sqlite3"
        database_url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(pool: int, draw: int, learners: int):
    """The course, its bank (bulk-inserted, labels written by the same code the services use) and the quiz."""
    from django.contrib.auth.models import User
    from django.db import transaction

    from courses.models import Course, Enrollment, Lesson
    from quizzes.models import Question, QuestionVersion, Quiz
    from quizzes.pools.labels import questions_labels_sync
    from quizzes.pools.services import SlotInput, random_slot_create
    from quizzes.services.questions import question_create

    started = time.perf_counter()
    stamp = int(time.time())
    with transaction.atomic():
        course = Course.objects.create(slug=f"pool-bench-{stamp}", title="Pool bench", is_published=True)
        lesson = Lesson.objects.create(course=course, slug="l", title="L", position=1, is_published=True)
        bank = Quiz.objects.create(lesson=lesson, slug="bank", title="Question bank", is_published=False)
        questions = Question.objects.bulk_create(Question(quiz=bank, position=i + 1) for i in range(pool))
        specs = {q.pk: dict(SPEC, title=f"Bank {i}", category=f"Attention/Part {i % 10}", tags=["bench", f"t{i % 7}"])
                 for i, q in enumerate(questions)}
        QuestionVersion.objects.bulk_create(QuestionVersion(question_id=qid, number=1, spec=spec) for qid, spec in specs.items())
        questions_labels_sync(specs=specs)
        quiz = Quiz.objects.create(lesson=lesson, slug="quiz", title="Quiz", is_published=True, shuffle_questions=True)
        for _ in range(5):
            question_create(quiz=quiz, spec=SPEC, user=None)
        random_slot_create(quiz=quiz, data=SlotInput(draw_count=draw, tag="bench"))
        # The yardstick: the same attempt size with fixed questions only, no slot.
        baseline = Quiz.objects.create(lesson=lesson, slug="fixed", title="Fixed", is_published=True, shuffle_questions=True)
        for _ in range(5 + draw):
            question_create(quiz=baseline, spec=SPEC, user=None)
        users = User.objects.bulk_create(User(username=f"pool-bench-{stamp}-{i}") for i in range(learners))
        Enrollment.objects.bulk_create(Enrollment(user=u, course=course) for u in users)
    return quiz, baseline, list(User.objects.filter(pk__in=[u.pk for u in users])), time.perf_counter() - started


def time_draws(quiz, users) -> tuple[list[float], set[int]]:
    """The draw alone (quizzes.pools.draw.random_slots_layout), for learners with history."""
    import secrets

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from quizzes.pools.draw import random_slots_layout

    times, counts = [], set()
    for user in users:
        connection.queries_log.clear()  # the log keeps 9,000 queries; a full one would count 0
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            random_slots_layout(quiz=quiz, user=user, seed=secrets.randbits(62), taken=set())
            times.append((time.perf_counter() - started) * 1000)
        counts.add(len(queries))
    return times, counts


def time_starts(quiz, users, earlier: int) -> tuple[list[float], set[int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from quizzes.services.attempts import attempt_start, attempt_submit

    times, counts = [], set()
    for user in users:
        for _ in range(earlier):  # history that the draw must avoid
            attempt_submit(attempt=attempt_start(quiz=quiz, user=user))
        connection.queries_log.clear()  # the log keeps 9,000 queries; a full one would count 0
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            attempt = attempt_start(quiz=quiz, user=user)
            times.append((time.perf_counter() - started) * 1000)
        counts.add(len(queries))
        assert len({q for q, _ in attempt.layout}) == len(attempt.layout)
        attempt_submit(attempt=attempt)
    return times, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pool", type=int, default=1000)
    parser.add_argument("--draw", type=int, default=10)
    parser.add_argument("--starts", type=int, default=200, help="starts timed per row")
    args = parser.parse_args()
    setup_django(os.environ.get("BENCH_DATABASE_URL"))
    from django.db import connection

    histories = (0, 1, 3)
    quiz, baseline, users, build_s = build(args.pool, args.draw, args.starts * (len(histories) + 1))
    print(f"# Pool draw benchmark — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; database: {connection.vendor}; pool {args.pool} "
          f"questions, slot draws {args.draw}, 5 fixed questions (built in {build_s:.1f} s)\n")
    rows = {}

    def row(name: str, measured: tuple[list[float], set[int]]) -> None:
        times, counts = measured
        rows[name] = {"p50_ms": statistics.median(times), "p95_ms": sorted(times)[max(0, int(0.95 * len(times)) - 1)],
                      "max_ms": max(times), "queries": sorted(counts)}

    for index, earlier in enumerate(histories):
        group = users[index * args.starts:(index + 1) * args.starts]
        row(f"attempt_start, random slot, {earlier} earlier attempt{'s' if earlier != 1 else ''}", time_starts(quiz, group, earlier))
    row("the draw alone (random_slots_layout), learners of the row above", time_draws(quiz, group))
    row(f"yardstick: attempt_start, {5 + args.draw} fixed questions, no slot, 0 earlier",
        time_starts(baseline, users[len(histories) * args.starts:], 0))
    print("| what | p50 ms | p95 ms | max ms | SQL queries |\n| --- | ---: | ---: | ---: | --- |")
    for name, row in rows.items():
        print(f"| {name} | {row['p50_ms']:.2f} | {row['p95_ms']:.2f} | {row['max_ms']:.2f} | {row['queries']} |")
    print("\n" + json.dumps(rows))
    worst = max(values["p95_ms"] for name, values in rows.items() if name.startswith("attempt_start"))
    print(f"\ngoal ≤ 100 ms: {'met' if worst <= 100 else 'MISSED'} (worst p95 {worst:.2f} ms)")


if __name__ == "__main__":
    main()
