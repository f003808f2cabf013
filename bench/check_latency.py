"""Benchmark of a Check in an interactive quiz: the service (`answer_check`) and the htmx view that
answers with the re-rendered question, with the SQL queries of each.

    .venv/bin/python bench/check_latency.py [--attempts 200] [--questions 10]

Uses a throwaway SQLite file database, or BENCH_DATABASE_URL (a scratch database: it is migrated and
filled). Each attempt checks a wrong answer and then the right one on one question of a quiz of
`--questions` single-choice questions with two hints each; times are per check, in ms.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(tempfile.mkdtemp(prefix='check-bench-')) / 'b.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host and in-memory email

    call_command("migrate", verbosity=0)


def summary(name: str, times: list[float], queries: int) -> str:
    times = sorted(times)
    p95 = times[int(0.95 * (len(times) - 1))]
    return f"| {name} | {statistics.median(times):.2f} | {p95:.2f} | {times[-1]:.2f} | {queries} |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument("--questions", type=int, default=10)
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from courses.models import Course, Enrollment, Lesson
    from django.contrib.auth.models import User
    from quizzes.models import Quiz
    from quizzes.services.attempts import attempt_start
    from quizzes.services.checks import answer_check
    from quizzes.services.questions import question_create
    from tests.conftest import QUESTION_SPECS
    from tests.quiz_ids import choice

    stamp = str(time.time_ns())
    course = Course.objects.create(slug=f"bench-{stamp}", title="Bench")
    lesson = Lesson.objects.create(course=course, slug="l", title="L", position=1, is_published=True)
    quiz = Quiz.objects.create(lesson=lesson, slug="q", title="Q", is_published=True, behaviour="interactive",
                               shuffle_choices=False)
    spec = dict(QUESTION_SPECS["single_choice"], hints=["One", "Two"])
    for _ in range(args.questions):
        question_create(quiz=quiz, spec=spec, user=None)
    service, view, service_queries, view_queries = [], [], 0, 0
    for number in range(args.attempts):
        user = User.objects.create(username=f"b{stamp}-{number}")
        Enrollment.objects.create(user=user, course=course)
        attempt = attempt_start(quiz=quiz, user=user)
        question = attempt.layout[number % len(attempt.layout)][0]
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            answer_check(attempt=attempt, question_id=question, response={"choice": "a"})
            service.append(1000 * (time.perf_counter() - started))
        service_queries = len(queries)
        client = Client()
        client.force_login(user)
        url = reverse("quizzes:answer_check", args=[attempt.pk, question])
        data = {f"q{question}-choice": choice(attempt, question, "Softmax")}
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            reply = client.post(url, data, HTTP_HX_REQUEST="true")
            view.append(1000 * (time.perf_counter() - started))
        assert reply.status_code == 200 and b"Mark: 0.67 / 1" in reply.content, reply.content[:500]
        view_queries = len(queries)
    print(f"{connection.vendor}, {args.attempts} attempts, {args.questions} questions a quiz")
    print("| what | p50 | p95 | max | SQL queries |\n| --- | ---: | ---: | ---: | ---: |")
    print(summary("answer_check (wrong try)", service, service_queries))
    print(summary("htmx Check view (right try, re-rendered question)", view, view_queries))


if __name__ == "__main__":
    main()
