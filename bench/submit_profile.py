"""Where one quiz submit spends its time: SQL per phase, wall time per phase, one submit at a time.

    .venv/bin/python bench/submit_profile.py [--prior 200] [--submits 20] [--cprofile]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch db> .venv/bin/python bench/submit_profile.py

Builds the bench quiz (bench/quiz_bench_lib.py) in a fresh database (a temporary SQLite file unless
DATABASE_URL names a PostgreSQL database, which is emptied first), lets `--prior` students submit
an attempt each, reads the quiz report once (so the item summaries are live, as in production),
then times `--submits` more submits through the real view (test client, POST …/submit/confirm/):
queries and milliseconds per phase (grading, answers update, review cards, attempt save and each
of its signal receivers), median over the submits. `--cprofile` prints the top functions of the
last submit too.
"""
import argparse
import cProfile
import logging
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/submit_profile.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.ALLOWED_HOSTS = ["testserver"]  # the test client's host, as pytest-django allows it
logging.disable(logging.INFO)  # one login line per student otherwise

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test import Client  # noqa: E402

from quiz_bench_lib import QUIZ_MARKDOWN, answer_for, question_fields  # noqa: E402

PHASE_STACK: list[str] = []
TIMES: dict[str, list[float]] = defaultdict(list)
QUERIES: dict[str, list[int]] = defaultdict(list)
_current = {"queries": defaultdict(int), "times": defaultdict(float)}


def _timed(name, function):
    def wrapper(*args, **kwargs):
        PHASE_STACK.append(name)
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _current["times"][name] += time.perf_counter() - began
            PHASE_STACK.pop()
    return wrapper


def _count_queries(execute, sql, params, many, context):
    for name in set(PHASE_STACK):
        _current["queries"][name] += 1
    return execute(sql, params, many, context)


def _instrument() -> None:
    """Wrap the phases of a submit (module attributes, so the callers pick the wrapped ones)."""
    from progress import services as progress_services
    from progress import summaries
    from quizzes.services import attempts
    from quizzes.models import Answer

    attempts._grade_answer = _timed("grading", attempts._grade_answer)
    attempts.review_cards_add_from_attempt = _timed("review cards", attempts.review_cards_add_from_attempt)
    manager = type(Answer.objects)
    manager.bulk_update = _timed("answers bulk_update", manager.bulk_update)
    for name in dir(summaries):
        if name.startswith("item_summary") or name in ("learner_grade_refresh",):
            setattr(summaries, name, _timed(f"signal: {name}", getattr(summaries, name)))
    progress_services.event_record = _timed("signal: event_record", progress_services.event_record)
    attempts.attempt_submit = _timed("attempt_submit (all)", attempts.attempt_submit)


def _setup(prior: int, submits: int):
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    from courses.models import Course, Enrollment, Lesson
    from quizzes.models import Quiz
    from quizzes.services.importing import quiz_import_text

    call_command("flush", "--noinput", verbosity=0) if connection.vendor == "postgresql" else None
    call_command("migrate", "--noinput", verbosity=0)
    course = Course.objects.create(slug="profile", title="Profile", is_published=True)
    lesson = Lesson.objects.create(course=course, slug="profile-lesson", title="Lesson", position=1, is_published=True)
    quiz = Quiz.objects.create(lesson=lesson, slug="profile-quiz", title="Quiz", is_published=True, attempts_allowed=0)
    quiz_import_text(quiz=quiz, text=QUIZ_MARKDOWN, fmt="markdown", user=None)
    password = make_password("x")
    User.objects.bulk_create(User(username=f"p{n:04d}", password=password) for n in range(prior + submits))
    users = list(User.objects.filter(username__startswith="p").order_by("username"))
    Enrollment.objects.bulk_create(Enrollment(user=user, course=course) for user in users)
    return quiz, users


def _answered_attempt(client: Client, quiz, user):
    """Start an attempt and autosave every question through the page's own form fields."""
    from quizzes.models import Attempt
    from quizzes.services.attempts import answer_save
    from quizzes.services.grading import response_from_form

    client.force_login(user)
    client.post(f"/quizzes/{quiz.pk}/start/")
    attempt = Attempt.objects.filter(quiz=quiz, user=user, state="in_progress").get()
    page = client.get(f"/quizzes/attempts/{attempt.pk}/").content.decode()
    for question, _, chunk in question_fields(page):
        fields = answer_for(chunk, user.username)
        if fields:
            data = QueryDict(mutable=True)
            for name, values in fields.items():
                data.setlist(name, values)
            answer_save(attempt=attempt, question_id=question, response=response_from_form(attempt=attempt, question_id=question, data=data))
    return attempt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prior", type=int, default=200, help="students who submitted before (default 200)")
    parser.add_argument("--submits", type=int, default=20, help="submits timed (default 20)")
    parser.add_argument("--cprofile", action="store_true", help="print the top functions of the last submit")
    parser.add_argument("--sql", action="store_true", help="print the SQL of the last submit")
    args = parser.parse_args()
    from progress.selectors.reports import quiz_report

    quiz, users = _setup(args.prior, args.submits)
    client = Client()
    for user in users[:args.prior]:
        attempt = _answered_attempt(client, quiz, user)
        client.post(f"/quizzes/attempts/{attempt.pk}/submit/confirm/")
    quiz_report(quiz=quiz)  # the report was read: the summaries are live from here on
    _instrument()
    profile = cProfile.Profile()
    last_sql: list[str] = []
    for index, user in enumerate(users[args.prior:]):
        attempt = _answered_attempt(client, quiz, user)
        _current["queries"].clear()
        _current["times"].clear()
        PHASE_STACK.append("request (all)")
        sql: list[str] = []

        def keep(execute, statement, params, many, context):
            sql.append(statement)
            return execute(statement, params, many, context)

        last = index == args.submits - 1
        with connection.execute_wrapper(_count_queries), connection.execute_wrapper(keep):
            if last and args.cprofile:
                profile.enable()
            began = time.perf_counter()
            response = client.post(f"/quizzes/attempts/{attempt.pk}/submit/confirm/")
            _current["times"]["request (all)"] += time.perf_counter() - began
            if last and args.cprofile:
                profile.disable()
        PHASE_STACK.pop()
        assert response.status_code == 302, response.status_code
        for name, seconds in _current["times"].items():
            TIMES[name].append(seconds * 1000)
        for name in _current["times"]:
            QUERIES[name].append(_current["queries"].get(name, 0))
        last_sql = sql
    print(f"{connection.vendor}, {args.prior} prior submits, {args.submits} timed, load average {os.getloadavg()[0]:.1f}")
    print("| phase | median ms | max ms | queries |\n| --- | ---: | ---: | ---: |")
    for name in sorted(TIMES, key=lambda n: -statistics.median(TIMES[n])):
        print(f"| {name} | {statistics.median(TIMES[name]):.1f} | {max(TIMES[name]):.1f} | {statistics.median(QUERIES[name]):g} |")
    if args.sql:
        print("\n".join(statement[:200] for statement in last_sql))
    if args.cprofile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(35)


if __name__ == "__main__":
    main()
