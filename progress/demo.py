"""Demo activity so that a new user's first look at the dashboards shows something real.

The demo student gets a course under way (lessons done, quizzes passed and failed, lab runs); a
cohort of demo learners gets a spread of progress over the last four weeks, so the instructor's
gradebook and reports and the admin's dashboard have numbers in them. Quiz attempts go through the
quiz services, so every grade is one the grader really gave. Running it twice changes nothing.
"""
import random
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from courses.lesson_progress import progress_set
from courses.models import Course, Enrollment
from courses.services import enrollment_create
from quizzes.qtypes import correct_response
from quizzes.models import Attempt, QuestionVersion, Quiz
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit

from .models import EventKind, LearningEvent
from .services import attempt_saved_record
from .summaries import learner_grade_refresh

COHORT_SIZE = 24
COHORT_PREFIX = "demo-learner-"
FIRST_NAMES = ["Amara", "Bao", "Carmen", "Dev", "Elif", "Finn", "Grace", "Hiro", "Ines", "Jonas", "Kofi", "Lena",
               "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Yara"]


def _wrong_response(spec: dict) -> dict:
    qtype = spec.get("qtype")
    if qtype == "single_choice":
        wrong = [choice["id"] for choice in spec.get("choices", []) if choice.get("fraction", 0) < 1]
        return {"choice": wrong[0]} if wrong else {}
    if qtype == "true_false":
        return {"value": not spec.get("correct")}
    if qtype == "multiple_response":
        right = [choice["id"] for choice in spec.get("choices", []) if choice.get("fraction", 0) > 0]
        return {"choices": right[:1]}  # half-right: partial credit
    if qtype == "short_answer":
        return {"text": "not sure"}
    if qtype == "numeric":
        return {"value": "0"}
    return {}


def _take_quiz(*, quiz: Quiz, user: User, skill: float, rng: random.Random, when) -> Attempt | None:
    """One submitted attempt in which each question is right with probability `skill`."""
    try:
        attempt = attempt_start(quiz=quiz, user=user)
    except Exception:
        return None  # closed, no attempts left, or no questions: a real learner would be stopped too
    versions = {version.id: version.spec for version in QuestionVersion.objects.filter(id__in=[v for _, v in attempt.layout])}
    for question_id, version_id in attempt.layout:
        spec = versions[version_id]
        right = correct_response(spec)
        if spec.get("qtype") == "essay":
            response = {"text": "Scaling keeps the dot products from growing with the dimension, so the softmax stays soft."}
        else:
            response = right if (right is not None and rng.random() < skill) else _wrong_response(spec)
        if response:
            answer_save(attempt=attempt, question_id=question_id, response=response)
    attempt = attempt_submit(attempt=attempt)
    Attempt.objects.filter(pk=attempt.pk).update(started_at=when - timedelta(minutes=6), submitted_at=when)
    learner_grade_refresh(user_id=user.pk, quiz_id=quiz.pk)  # an update() sends no signal: the grade row reads the new time
    return attempt


def _learn(*, user: User, course: Course, lessons_done: int, opened_extra: bool, skill: float, rng: random.Random,
           start, days: float, lab_runs: int) -> list[LearningEvent]:
    """Walk `user` through the first `lessons_done` lessons and their quizzes between `start` and start+days."""
    events: list[LearningEvent] = []
    lessons = list(course.lessons.filter(is_published=True).order_by("position"))
    steps = lessons[: lessons_done + (1 if opened_extra else 0)]
    for index, lesson in enumerate(steps):
        when = start + timedelta(days=days * (index + 1) / (len(steps) + 1), minutes=rng.randint(0, 600))
        when = min(when, timezone.now() - timedelta(minutes=5))
        completed = index < lessons_done
        progress_set(user=user, lesson=lesson, first_viewed_at=when, last_viewed_at=when,
                     completed_at=when + timedelta(minutes=12) if completed else None)
        events.append(LearningEvent(kind=EventKind.LESSON_VIEWED, user=user, course=course, lesson=lesson, occurred_at=when))
        if not completed:
            continue
        events.append(LearningEvent(kind=EventKind.LESSON_COMPLETED, user=user, course=course, lesson=lesson, occurred_at=when + timedelta(minutes=12)))
        for quiz in Quiz.objects.filter(lesson=lesson, is_published=True).order_by("id"):
            tries = 1 + (rng.random() < 0.35)
            for attempt_index in range(tries):
                taken_at = when + timedelta(minutes=20 + 30 * attempt_index)
                attempt = _take_quiz(quiz=quiz, user=user, skill=min(0.95, skill + 0.15 * attempt_index), rng=rng, when=taken_at)
                if attempt is None:
                    break
                events.append(LearningEvent(kind=EventKind.ATTEMPT_STARTED, user=user, course=course, lesson=lesson, quiz=quiz,
                                            attempt=attempt, occurred_at=taken_at - timedelta(minutes=6)))
                percent = None if attempt.needs_grading else attempt.percent
                events.append(LearningEvent(kind=EventKind.ATTEMPT_SUBMITTED, user=user, course=course, lesson=lesson, quiz=quiz,
                                            attempt=attempt, score_percent=percent, occurred_at=taken_at))
    for run in range(lab_runs):
        when = start + timedelta(days=days * rng.random())
        events.append(LearningEvent(kind=EventKind.LAB_USED, user=user, count=rng.randint(1, 4), occurred_at=min(when, timezone.now())))
    return events


def demo_activity_seed(*, seed: int = 7) -> dict[str, int]:
    """Give the demo student and a demo cohort some learning history. Idempotent."""
    course = Course.objects.filter(is_published=True).order_by("id").first()
    if course is None:
        return {"learners": 0, "events": 0}
    rng = random.Random(seed)
    now = timezone.now()
    created_learners, events = 0, []
    # Attempts made here record their events with backdated times below, not "now" via the signal.
    post_save.disconnect(attempt_saved_record, sender=Attempt, dispatch_uid="progress_attempt_events")
    try:
        with transaction.atomic():
            student = User.objects.filter(username="student").first()
            if student is not None and not Attempt.objects.filter(user=student).exists():
                enrollment_create(user=student, course=course)
                Enrollment.objects.filter(user=student, course=course).update(created_at=now - timedelta(days=12))
                events += _learn(user=student, course=course, lessons_done=3, opened_extra=True, skill=0.7, rng=rng,
                                 start=now - timedelta(days=12), days=11, lab_runs=4)
            for index in range(COHORT_SIZE):
                username = f"{COHORT_PREFIX}{index + 1:02d}"
                if User.objects.filter(username=username).exists():
                    continue
                learner = User.objects.create(username=username, first_name=FIRST_NAMES[index % len(FIRST_NAMES)],
                                              last_name="(demo)", email=f"{username}@example.com")
                learner.set_unusable_password()
                learner.save(update_fields=["password"])
                created_learners += 1
                enrolled_days_ago = rng.uniform(1, 28)
                start = now - timedelta(days=enrolled_days_ago)
                enrollment_create(user=learner, course=course)
                Enrollment.objects.filter(user=learner, course=course).update(created_at=start)
                total = course.lessons.filter(is_published=True).count()
                finisher = index % 8 == 2  # a few keen learners finish the whole course
                lessons_done = total if finisher else 0 if index % 6 == 5 else min(total, int(rng.triangular(0, total, 2)))
                events += _learn(user=learner, course=course, lessons_done=lessons_done, opened_extra=index % 6 != 5 and rng.random() < 0.6,
                                 skill=rng.uniform(0.8, 0.95) if finisher else rng.uniform(0.35, 0.95), rng=rng, start=start,
                                 days=enrolled_days_ago, lab_runs=rng.randint(0, 5))
            LearningEvent.objects.bulk_create(events)
    finally:
        post_save.connect(attempt_saved_record, sender=Attempt, dispatch_uid="progress_attempt_events")
    return {"learners": created_learners, "events": len(events)}
