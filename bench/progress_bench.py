"""Benchmark of the progress dashboards: N learners (1,000 by default) × 10 quizzes × 3 attempts, with their events.

    .venv/bin/python bench/progress_bench.py [--students 1000] [--runs 7]

Loads the data in bulk (COPY on PostgreSQL, executemany on SQLite, the big tables' plain indexes
dropped while loading and built again after; then `rebuild_progress_summaries`'s own rebuild, with
the item statistics of the reported quiz only — the other quizzes', like any quiz's never reported
on, are built from the record on their report's first read) into a throwaway SQLite database (or in
BENCH_DATABASE_URL, which must be a scratch one: the script migrates and fills it, and reuses what an
earlier run left there), then renders each page through Django's test
client, full stack (middleware, session, template), and prints the median and worst wall time, the
median CPU time of the process (SQLite runs in it) and the number of SQL queries. Goal: each page ≤ 300 ms; query counts independent of the number of learners.
"""
import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUESTIONS_PER_QUIZ = 5
LESSONS = 10


def setup_django(database_url: str | None) -> None:
    if database_url is None:
        path = Path(tempfile.mkdtemp(prefix="progress-bench-")) / "bench.sqlite3"
        database_url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)


LEARNERS_PER_CHUNK = 2000  # rows are generated and written this many learners at a time (memory stays flat)


class RowWriter:
    """Writes plain tuples straight to a table: COPY of one text block per chunk on PostgreSQL,
    executemany on SQLite (no model objects). Values are ints, floats, bools, None, datetimes and
    strings without tabs, newlines or backslashes (JSON of plain choices), so COPY needs no escaping."""

    def __init__(self, connection):
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"

    def value(self, value):
        if self.postgres:
            if value is None:
                return "\\N"
            if isinstance(value, bool):
                return "t" if value else "f"
            return value.isoformat() if hasattr(value, "isoformat") else str(value)
        if value is None or isinstance(value, (int, float, str, bool)):
            return value
        if hasattr(value, "hour"):
            return self.connection.ops.adapt_datetimefield_value(value)
        return value.isoformat()

    def write(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        with self.connection.cursor() as cursor:
            if self.postgres:
                text = "".join("\t".join([self.value(v) for v in row]) + "\n" for row in rows)
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    copy.write(text)
            else:
                marks = ", ".join(["?"] * len(columns))
                cursor.cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                                          [tuple(self.value(v) for v in row) for row in rows])


class DeferredIndexes:
    """Drops the plain (non-constraint) indexes of the big tables while they are loaded and builds them
    again afterwards, from their own definitions: one sort per index instead of millions of inserts."""

    def __init__(self, connection, tables: list[str]):
        self.connection, self.tables, self.definitions = connection, tables, []

    def __enter__(self):
        with self.connection.cursor() as cursor:
            marks = ", ".join(["%s"] * len(self.tables))
            if self.connection.vendor == "postgresql":
                cursor.execute(f"SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename IN ({marks}) AND NOT EXISTS "
                               f"(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)", self.tables)
            else:
                cursor.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})", self.tables)
            self.definitions = cursor.fetchall()
            for name, _ in self.definitions:
                cursor.execute(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            with self.connection.cursor() as cursor:
                for _, definition in self.definitions:
                    cursor.execute(definition)


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1


def build(students: int, seed: int = 1):
    """Bulk-load the course, learners, attempts with answers, lesson progress and events, then rebuild the summaries."""
    from django.contrib.auth.models import User
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from courses.models import Course, Enrollment, Lesson, LessonProgress
    from progress.models import EventKind, LearningEvent
    from progress.item_summaries import item_summary_rebuild
    from progress.summaries import summaries_rebuild
    from quizzes.models import Answer, Attempt, Question, QuestionVersion, Quiz

    existing = Course.objects.filter(slug="bench").first()
    if existing is not None:  # BENCH_DATABASE_URL pointing at a database an earlier run filled
        quizzes = list(Quiz.objects.filter(lesson__course=existing).order_by("lesson__position"))
        from progress.dashboard_models import CourseLearnerSummary, QuizPassDays
        from progress.funnel_summaries import course_learners_rebuild
        from progress.pass_rate_summaries import quiz_pass_days_rebuild

        if not CourseLearnerSummary.objects.exists():  # filled before the dashboard had these summary rows
            course_learners_rebuild()
        if not QuizPassDays.objects.exists():
            quiz_pass_days_rebuild()
        from progress.dashboard_models import LabDay
        from progress.lab_summaries import lab_summaries_rebuild

        if not LabDay.objects.exists():
            lab_summaries_rebuild()
        if connection.vendor == "postgresql":  # statistics for tables filled just now, as autovacuum would gather
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        sizes = {"attempts": Attempt.objects.count(), "answers": Answer.objects.count(), "events": LearningEvent.objects.count()}
        return existing, quizzes[0], User.objects.get(username="bench-admin"), sizes
    rng = random.Random(seed)
    now = timezone.now()
    started = time.perf_counter()
    spec = {
        "qtype": "single_choice", "title": "Which function normalises scores?", "text": "Which function normalises scores?",
        "choices": [{"id": "a", "text": "ReLU", "fraction": 0.0}, {"id": "b", "text": "Softmax", "fraction": 1.0}],
    }
    writer = RowWriter(connection)
    sizes = {"attempts": 0, "answers": 0, "events": 0}
    if connection.vendor == "sqlite":  # a throwaway file: no fsync while loading it (set outside a transaction)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # A scratch database: skip the per-row foreign-key triggers while loading rows that are
            # consistent by construction (millions of deferred checks would make COMMIT the slowest step).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        course = Course.objects.create(slug="bench", title="Bench course")
        admin = User.objects.create(username="bench-admin", is_staff=True, is_superuser=True)
        lessons = Lesson.objects.bulk_create(
            Lesson(course=course, slug=f"lesson-{i}", title=f"Lesson {i}", position=i, is_published=True) for i in range(1, LESSONS + 1)
        )
        quizzes = Quiz.objects.bulk_create(
            Quiz(lesson=lesson, slug="quiz", title=f"Quiz {lesson.position}", is_published=True, attempts_allowed=3,
                 grading_method=["highest", "average", "first", "last"][lesson.position % 4])
            for lesson in lessons
        )
        questions = Question.objects.bulk_create(
            Question(quiz=quiz, position=p) for quiz in quizzes for p in range(1, QUESTIONS_PER_QUIZ + 1)
        )
        versions = QuestionVersion.objects.bulk_create(QuestionVersion(question=q, number=1, spec=spec) for q in questions)
        by_quiz: dict[int, list[tuple[int, int]]] = {}
        for question, version in zip(questions, versions):
            by_quiz.setdefault(question.quiz_id, []).append((question.id, version.id))
        ids = {model: _next_id(model) for model in (User, Enrollment, LessonProgress, Attempt, Answer, LearningEvent)}
        enrolled_at = now - timedelta(days=10)
        responses = ['{"choice": "a"}', '{"choice": "b"}']
        big_tables = [model._meta.db_table for model in (Enrollment, LessonProgress, Attempt, Answer, LearningEvent)]
        with DeferredIndexes(connection, big_tables):
            for first in range(0, students, LEARNERS_PER_CHUNK):
                users, enrollments, progress, attempts, answers, events = [], [], [], [], [], []
                for i in range(first, min(students, first + LEARNERS_PER_CHUNK)):
                    user_id = ids[User] + i
                    users.append((user_id, "!", f"learner{i:06d}", "Learner", str(i), "", False, False, True, enrolled_at))
                    enrollments.append((ids[Enrollment] + i, user_id, course.id, enrolled_at))
                    skill = rng.uniform(0.2, 0.95)
                    for lesson, quiz in zip(lessons, quizzes):
                        when = now - timedelta(days=rng.uniform(0, 29))
                        day = timezone.localdate(when)
                        progress.append((user_id, lesson.id, when, when, when, ""))
                        events.append((EventKind.LESSON_VIEWED.value, when, day, user_id, course.id, lesson.id, None, None, None, 1))
                        events.append((EventKind.LESSON_COMPLETED.value, when, day, user_id, course.id, lesson.id, None, None, None, 1))
                        for number in (1, 2, 3):
                            attempt_id = ids[Attempt] + len(attempts) + sizes["attempts"]
                            right = [rng.random() < skill for _ in by_quiz[quiz.id]]
                            attempts.append((attempt_id, quiz.id, user_id, number, "submitted", when, when, False, number, "[]",
                                             float(sum(right)), float(QUESTIONS_PER_QUIZ), False, f"{rng.getrandbits(128):032x}"))
                            for (question_id, version_id), ok in zip(by_quiz[quiz.id], right):
                                mark = 1.0 if ok else 0.0
                                answers.append((attempt_id, question_id, version_id, responses[ok], mark, mark, "correct" if ok else "incorrect", "[]", ""))
                            events.append((EventKind.ATTEMPT_SUBMITTED.value, when, day, user_id, course.id, lesson.id, quiz.id, attempt_id,
                                           100.0 * sum(right) / QUESTIONS_PER_QUIZ, 1))
                    lab_at = now - timedelta(days=rng.uniform(0, 29))
                    events.append((EventKind.LAB_USED.value, lab_at, timezone.localdate(lab_at), user_id, None, None, None, None, None, rng.randint(1, 5)))
                writer.write("auth_user", ["id", "password", "username", "first_name", "last_name", "email", "is_superuser", "is_staff", "is_active", "date_joined"], users)
                writer.write(Enrollment._meta.db_table, ["id", "user_id", "course_id", "created_at"], enrollments)
                writer.write(LessonProgress._meta.db_table, ["user_id", "lesson_id", "first_viewed_at", "last_viewed_at", "completed_at", "last_section"], progress)
                writer.write(Attempt._meta.db_table, ["id", "quiz_id", "user_id", "number", "state", "started_at", "submitted_at", "auto_submitted",
                                                      "shuffle_seed", "layout", "marks", "max_marks", "needs_grading", "id_secret"], attempts)
                writer.write(Answer._meta.db_table, ["attempt_id", "question_id", "version_id", "response", "fraction", "marks", "state", "feedback",
                                                     "grader_comment", "tries", "finished"],
                             [(*answer, "[]", True) for answer in answers])  # submitted attempts' answers: finished, no checks
                writer.write(LearningEvent._meta.db_table, ["kind", "occurred_at", "occurred_on", "user_id", "course_id", "lesson_id", "quiz_id",
                                                            "attempt_id", "score_percent", "count"], events)
                sizes["attempts"] += len(attempts)
                sizes["answers"] += len(answers)
                sizes["events"] += len(events)
        with connection.cursor() as cursor:  # explicit ids were written: the sequences move past them
            for sql in connection.ops.sequence_reset_sql(no_style(), [User, Enrollment, LessonProgress, Attempt, Answer, LearningEvent]):
                cursor.execute(sql)
        print(f"  rows written and indexed in {time.perf_counter() - started:.0f} s", flush=True)
        # The rows above went in without signals, as an import would: the summaries come from the record.
        # Item statistics are built for the reported quiz only; the others', like those of any quiz
        # never reported on, are built from the record on their report's first read.
        summaries_rebuild(items=False)
        print(f"  summaries rebuilt at {time.perf_counter() - started:.0f} s", flush=True)
        item_summary_rebuild(quiz_id=quizzes[0].id)
        print(f"  item statistics of the reported quiz at {time.perf_counter() - started:.0f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return course, quizzes[0], admin, sizes


def measure(client, url: str, runs: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: imports, template compilation
    timings, cpu = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), max(timings), statistics.median(cpu), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    setup_django(os.environ.get("BENCH_DATABASE_URL"))
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    started = time.perf_counter()
    course, quiz, admin, sizes = build(args.students)
    print(f"{'Reused' if time.perf_counter() - started < 1 else 'Built'} {User.objects.count() - 1} learners, {sizes['attempts']} attempts, {sizes['answers']} answers, {sizes['events']} events "
          f"in {time.perf_counter() - started:.1f} s on {connection.vendor}.")
    client = Client()
    client.force_login(admin)
    pages = [
        ("gradebook (page 1, by name)", reverse("progress:gradebook", args=[course.slug])),
        ("gradebook (sorted by a quiz, failed only)", reverse("progress:gradebook", args=[course.slug]) + f"?sort=-quiz-{quiz.pk}&status=failed"),
        ("quiz report", reverse("progress:quiz_report", args=[quiz.pk])),
        ("lesson report", reverse("progress:lesson_report", args=[course.slug])),
        ("admin dashboard (30 days)", reverse("progress:platform")),
        ("gradebook API", reverse("progress_api:gradebook", args=[course.slug])),
    ]
    print(f"{platform.node()} · {platform.processor() or platform.machine()} · Python {platform.python_version()} · {os.cpu_count()} CPUs")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average at start: {load:.1f} (CPU ms is this process's CPU time, SQLite included: a busy machine inflates wall time, not CPU time)")
    print(f"{'page':45} {'median ms':>10} {'worst ms':>10} {'CPU ms':>8} {'queries':>8}")
    for name, url in pages:
        median, worst, cpu, queries = measure(client, url, args.runs)
        flag = "" if median <= 300 else "  ← over 300 ms"
        print(f"{name:45} {median:10.0f} {worst:10.0f} {cpu:8.0f} {queries:8d}{flag}")


if __name__ == "__main__":
    main()
