"""A small course with hand-computable grades, used by the aggregate, CSV and permission tests.

    quiz_high  (lesson "intro", highest grade, pass 60 %, 3 attempts allowed)
    quiz_avg   (lesson "second", average of attempts, pass 50 %, unlimited)

    student1 (cast.student): quiz_high 40 %, 80 %  -> 80 % passed, 1 attempt left
                             quiz_avg  30 %, 60 %  -> 45 % failed
    student3 (cast.classmate): quiz_high 50 %, then one attempt in progress -> 50 % failed
    student4: enrolled, nothing started
"""
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from courses.models import Lesson
from quizzes.models import Answer, Attempt, AttemptState, Question, Quiz
from tests.factories import LessonFactory, UserFactory, enroll


def make_attempt(
    *, quiz: Quiz, user: User, fractions: list[float] | None = None, percent: float | None = None, number: int | None = None,
    state: str = AttemptState.SUBMITTED, submitted_at=None, needs_grading: bool = False,
) -> Attempt:
    """An attempt with answers graded as given (one fraction per question, each question worth its default mark)."""
    questions = list(Question.objects.filter(quiz=quiz, is_deleted=False).order_by("position", "id"))
    versions = [question.latest_version for question in questions]
    if fractions is None:
        fractions = [(percent or 0) / 100] * len(questions)
    number = number or (Attempt.objects.filter(quiz=quiz, user=user).count() + 1)
    max_marks = sum(version.max_mark for version in versions)
    marks = sum(f * version.max_mark for f, version in zip(fractions, versions))
    submitted = state == AttemptState.SUBMITTED
    attempt = Attempt.objects.create(
        quiz=quiz, user=user, number=number, state=state, shuffle_seed=number,
        layout=[[q.id, v.id] for q, v in zip(questions, versions)], max_marks=max_marks,
        marks=marks if submitted else None, needs_grading=needs_grading,
        submitted_at=(submitted_at or timezone.now()) if submitted else None,
    )
    for question, version, fraction in zip(questions, versions, fractions):
        Answer.objects.create(
            attempt=attempt, question=question, version=version, response={"choice": "b"},
            fraction=fraction if submitted else None, marks=fraction * version.max_mark if submitted else None,
            state=("correct" if fraction >= 1 else "incorrect" if fraction <= 0 else "partial") if submitted else "",
        )
    return attempt


@dataclass
class Book:
    cast: object
    second: Lesson
    quiz_high: Quiz
    quiz_avg: Quiz
    student4: User


@pytest.fixture
def book(cast, make_quiz) -> Book:
    second = LessonFactory(course=cast.course, slug="second", title="Second lesson", position=3)
    quiz_high = make_quiz(qtypes=["single_choice"], title="Highest quiz", grading_method="highest", pass_percent=60, attempts_allowed=3)
    quiz_avg = make_quiz(qtypes=["single_choice"], lesson=second, title="Average quiz", grading_method="average", pass_percent=50)
    student4 = UserFactory(username="student4", first_name="Zoe", last_name="Zero")
    enroll(student4, cast.course)
    make_attempt(quiz=quiz_high, user=cast.student, percent=40)
    make_attempt(quiz=quiz_high, user=cast.student, percent=80)
    make_attempt(quiz=quiz_avg, user=cast.student, percent=30)
    make_attempt(quiz=quiz_avg, user=cast.student, percent=60)
    make_attempt(quiz=quiz_high, user=cast.classmate, percent=50)
    make_attempt(quiz=quiz_high, user=cast.classmate, state=AttemptState.IN_PROGRESS)
    return Book(cast=cast, second=second, quiz_high=quiz_high, quiz_avg=quiz_avg, student4=student4)


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)
