"""Read-side queries for quizzes: what a learner sees, their final grade, what a review may show."""
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from courses.models import Lesson

from .grade_visibility import grade_as_shown, grade_visible, review_time, review_visibility  # noqa: F401 (re-exported)
from .models import Attempt, AttemptState, Quiz
from .overrides.effective import quiz_settings_for
from .permissions import can_author_quiz
from .services.attempts import attempts_left
from .services.grading_methods import grade_combine


@dataclass(frozen=True)
class FinalGrade:
    percent: float | None  # None until an attempt is submitted and fully graded
    passed: bool | None
    attempts_used: int
    attempts_left: int | None  # None means unlimited
    method: str
    awaiting_grading: bool = False  # a submitted attempt waits for the instructor (essay)
    marks_hidden: bool = False  # the review options hide marks from the reader now (percent is None)


def final_grade_for_user(*, quiz: Quiz, user: User, viewer: User | AnonymousUser | None = None) -> FinalGrade:
    """The quiz's grade for `user` by its grading method over submitted, fully graded attempts.

    As `viewer` (default: the learner) may read it: without percent and pass/fail while the
    review options hide marks (grade_visibility).
    """
    attempts = list(Attempt.objects.filter(quiz=quiz, user=user).order_by("number")) if user.is_authenticated else []
    submitted = [a for a in attempts if a.state == AttemptState.SUBMITTED]
    graded = [a.percent or 0.0 for a in submitted if not a.needs_grading and a.max_marks]
    percent = grade_combine(method=quiz.grading_method, percents=graded)
    grade = FinalGrade(
        percent=percent,
        passed=None if percent is None else percent >= quiz.pass_percent - 1e-9,
        attempts_used=len(attempts),
        attempts_left=quiz_settings_for(quiz=quiz, user=user).attempts_left(len(attempts)),
        method=quiz.grading_method,
        awaiting_grading=any(a.needs_grading for a in submitted),
    )
    if percent is None:
        return grade
    visible = grade_visible(quiz=quiz, user=viewer or user, submitted_at=[a.submitted_at for a in submitted])
    return grade_as_shown(grade, visible=visible)


def quizzes_for_lesson(*, lesson: Lesson, user: User | AnonymousUser) -> QuerySet[Quiz]:
    """The lesson's quizzes the user may see: published ones, drafts too for the course's authors."""
    quizzes = Quiz.objects.filter(lesson=lesson).select_related("lesson__course").order_by("id")
    if quizzes and can_author_quiz(user, quizzes[0]):
        return quizzes
    return quizzes.filter(is_published=True)


def quiz_grades_for_course(*, course, user: User | AnonymousUser) -> dict[int, tuple[Quiz, FinalGrade]]:
    """For the course page: lesson id → (its first published quiz, the user's grade)."""
    if not user.is_authenticated:
        return {}
    quizzes = Quiz.objects.filter(lesson__course=course, is_published=True).select_related("lesson").order_by("lesson_id", "id")
    grades: dict[int, tuple[Quiz, FinalGrade]] = {}
    for quiz in quizzes:
        if quiz.lesson_id not in grades:
            grades[quiz.lesson_id] = (quiz, final_grade_for_user(quiz=quiz, user=user))
    return grades


def attempts_for_user(*, quiz: Quiz, user: User) -> QuerySet[Attempt]:
    return Attempt.objects.filter(quiz=quiz, user=user).order_by("number")


def open_attempt_for_user(*, quiz: Quiz, user: User) -> Attempt | None:
    return Attempt.objects.filter(quiz=quiz, user=user, state=AttemptState.IN_PROGRESS).first()


__all__ = [
    "FinalGrade",
    "attempts_for_user",
    "attempts_left",
    "final_grade_for_user",
    "open_attempt_for_user",
    "quiz_grades_for_course",
    "quizzes_for_lesson",
    "review_visibility",
]
