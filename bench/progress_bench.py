"""Benchmark of the progress dashboards: 1,000 learners × 10 quizzes × 3 attempts, with their events.

    .venv/bin/python bench/progress_bench.py [--students 1000] [--runs 7]

Builds the data in a throwaway SQLite database (or in BENCH_DATABASE_URL, which must be a scratch
one: the script migrates and fills it, and reuses what an earlier run left there), then renders each page through Django's test
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


def build(students: int, seed: int = 1):
    """Bulk-insert the course, learners, attempts with answers, lesson progress and events."""
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone

    from courses.models import Course, Enrollment, Lesson, LessonProgress
    from progress.models import EventKind, LearningEvent
    from quizzes.models import Answer, Attempt, Question, QuestionVersion, Quiz

    existing = Course.objects.filter(slug="bench").first()
    if existing is not None:  # BENCH_DATABASE_URL pointing at a database an earlier run filled
        quizzes = list(Quiz.objects.filter(lesson__course=existing).order_by("lesson__position"))
        sizes = {"attempts": Attempt.objects.count(), "answers": Answer.objects.count(), "events": LearningEvent.objects.count()}
        return existing, quizzes[0], User.objects.get(username="bench-admin"), sizes
    rng = random.Random(seed)
    now = timezone.now()
    spec = {
        "qtype": "single_choice", "title": "Which function normalises scores?", "text": "Which function normalises scores?",
        "choices": [{"id": "a", "text": "ReLU", "fraction": 0.0}, {"id": "b", "text": "Softmax", "fraction": 1.0}],
    }
    with transaction.atomic():
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
        by_quiz = {}
        for question, version in zip(questions, versions):
            by_quiz.setdefault(question.quiz_id, []).append((question, version))
        users = User.objects.bulk_create(User(username=f"learner{i:05d}", first_name="Learner", last_name=str(i)) for i in range(students))
        Enrollment.objects.bulk_create(Enrollment(user=user, course=course) for user in users)
        Enrollment.objects.filter(course=course).update(created_at=now - timedelta(days=10))
        attempts, progress, events = [], [], []
        for user in users:
            skill = rng.uniform(0.2, 0.95)
            for lesson, quiz in zip(lessons, quizzes):
                when = now - timedelta(days=rng.uniform(0, 29))
                progress.append(LessonProgress(user=user, lesson=lesson, last_viewed_at=when, completed_at=when))
                events.append(LearningEvent(kind=EventKind.LESSON_VIEWED, user=user, course=course, lesson=lesson, occurred_at=when))
                events.append(LearningEvent(kind=EventKind.LESSON_COMPLETED, user=user, course=course, lesson=lesson, occurred_at=when))
                for number in (1, 2, 3):
                    attempts.append(Attempt(quiz=quiz, user=user, number=number, state="submitted", shuffle_seed=number,
                                            submitted_at=when, max_marks=QUESTIONS_PER_QUIZ, layout=[]))
                    events.append(LearningEvent(kind=EventKind.ATTEMPT_SUBMITTED, user=user, course=course, quiz=quiz, occurred_at=when))
            events.append(LearningEvent(kind=EventKind.LAB_USED, user=user, count=rng.randint(1, 5), occurred_at=now - timedelta(days=rng.uniform(0, 29))))
            user.bench_skill = skill
        Attempt.objects.bulk_create(attempts, batch_size=5000)
        skills = {user.id: user.bench_skill for user in users}
        answers = []
        marks_by_attempt = {}
        for attempt in Attempt.objects.filter(quiz__in=quizzes).only("id", "quiz_id", "user_id"):
            total = 0.0
            for question, version in by_quiz[attempt.quiz_id]:
                fraction = 1.0 if rng.random() < skills[attempt.user_id] else 0.0
                total += fraction
                answers.append(Answer(attempt_id=attempt.id, question=question, version=version, response={"choice": "b" if fraction else "a"},
                                      fraction=fraction, marks=fraction, state="correct" if fraction else "incorrect"))
            marks_by_attempt[attempt.id] = total
        Answer.objects.bulk_create(answers, batch_size=5000)
        # One UPDATE per distinct mark (0..5) keeps this fast.
        by_marks = {}
        for attempt_id, total in marks_by_attempt.items():
            by_marks.setdefault(total, []).append(attempt_id)
        for total, ids in by_marks.items():
            for chunk in _chunks(ids, 900):
                Attempt.objects.filter(id__in=chunk).update(marks=total)
        LessonProgress.objects.bulk_create(progress, batch_size=5000)
        LearningEvent.objects.bulk_create(events, batch_size=5000)
    return course, quizzes[0], admin, {"attempts": len(attempts), "answers": len(answers), "events": len(events)}


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start:start + size]


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
