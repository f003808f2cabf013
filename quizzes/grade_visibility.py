"""Whether a learner may read a mark: the one rule every page, API and export asks.

A quiz's review options say, per review time (immediately, later while open, after close), whether
marks show. A final quiz grade is made of the attempts' marks, so it shows only when every submitted
attempt's marks do: with several attempts, a grade that moves would tell which answers were right.
The quiz's authors always see everything.
"""
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from .models import REVIEW_ITEMS, REVIEW_TIMES, Attempt, AttemptState, Quiz
from .overrides.effective import quiz_settings_for
from .permissions import can_author_quiz

# Moodle's meaning of "immediately": the first two minutes after submitting.
IMMEDIATELY_WINDOW = timedelta(minutes=2)


def review_column(*, quiz: Quiz, submitted_at: datetime | None, now: datetime | None = None,
                  learner: User | AnonymousUser | None = None) -> str:
    """Which column of the review options applies now: immediately, later (while open) or after_close.

    "After close" is after the learner's own closing time: one given a later close date by an
    override sees "later" until then, so classmates' answers stay hidden from them while they may still answer.
    """
    return _column(closes_at=quiz_settings_for(quiz=quiz, user=learner).closes_at, submitted_at=submitted_at, now=now)


def _column(*, closes_at: datetime | None, submitted_at: datetime | None, now: datetime | None) -> str:
    now = now or timezone.now()
    if closes_at and now >= closes_at:
        return "after_close"
    if submitted_at and now - submitted_at <= IMMEDIATELY_WINDOW:
        return "immediately"
    return "later"


def _marks_option(quiz: Quiz) -> dict:
    return (quiz.review_options or {}).get("marks") or {}


def marks_visible(*, quiz: Quiz, attempt: Attempt, user: User | AnonymousUser, now: datetime | None = None) -> bool:
    """Whether `user` may read this submitted attempt's marks now."""
    if attempt.state != AttemptState.SUBMITTED:
        return False
    if can_author_quiz(user, quiz):
        return True
    return bool(_marks_option(quiz).get(review_column(quiz=quiz, submitted_at=attempt.submitted_at, now=now, learner=attempt.user)))


def grade_visible(*, quiz: Quiz, user: User | AnonymousUser, submitted_at: Iterable[datetime | None] | None = None,
                  now: datetime | None = None) -> bool:
    """Whether `user` may read their final grade for `quiz`: every submitted attempt's marks show.

    `submitted_at` (the submitted attempts' times) saves a query when the caller has them; it is
    only read when the options differ between review times.
    """
    option = _marks_option(quiz)
    if all(option.get(column) for column in REVIEW_TIMES):
        return True
    if can_author_quiz(user, quiz):
        return True
    if not any(option.get(column) for column in REVIEW_TIMES):
        return False
    if submitted_at is None:
        submitted_at = Attempt.objects.filter(quiz=quiz, user=user, state=AttemptState.SUBMITTED).values_list(
            "submitted_at", flat=True) if user.is_authenticated else []
    closes_at = quiz_settings_for(quiz=quiz, user=user).closes_at  # `user` is the learner: authors returned above
    return all(option.get(_column(closes_at=closes_at, submitted_at=when, now=now)) for when in submitted_at)


def grade_as_shown(grade, *, visible: bool):
    """The grade itself, or a copy without its percent and pass/fail when marks are hidden.

    Works on any dataclass grade with `percent`, `passed` and `marks_hidden` fields.
    """
    if visible or grade.percent is None:
        return grade
    return replace(grade, percent=None, passed=None, marks_hidden=True)


def review_time(*, attempt: Attempt, now: datetime | None = None) -> str:
    """Which column of the review options applies now: immediately, later (while open) or after_close."""
    return review_column(quiz=attempt.quiz, submitted_at=attempt.submitted_at, now=now, learner=attempt.user)


def review_visibility(*, attempt: Attempt, user: User | AnonymousUser, now: datetime | None = None) -> set[str]:
    """What the review of a submitted attempt may show `user`: a subset of REVIEW_ITEMS.

    Nothing before submission. Authors of the quiz always see everything.
    """
    if attempt.state != AttemptState.SUBMITTED:
        return set()
    if can_author_quiz(user, attempt.quiz):
        return set(REVIEW_ITEMS)
    column = review_time(attempt=attempt, now=now)
    options = attempt.quiz.review_options or {}
    return {item for item in REVIEW_ITEMS if (options.get(item) or {}).get(column, False)}
