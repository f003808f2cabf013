"""The instructor's gradebook: the course's learners × its published quizzes, with final grades."""
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch

from courses.models import Course
from quizzes.models import Answer, Attempt, Quiz

from .gradebook_sql import GradebookQuery
from .grades import (FAILED, NOT_STARTED, PASSED, QuizGrade, attempt_limits, attempt_rows, grade_not_started,
                     grades_by_user_and_quiz)

PAGE_SIZE = 25
STATUS_FILTERS = {
    "": "Everyone",
    PASSED: "Passed",
    FAILED: "Failed",
    NOT_STARTED: "Not started",
}


@dataclass(frozen=True)
class Learner:
    id: int
    username: str
    name: str  # full name, or the username when none is set
    email: str


@dataclass(frozen=True)
class GradebookRow:
    learner: Learner
    grades: list[QuizGrade]  # in the order of Gradebook.quizzes

    @property
    def average(self) -> float | None:
        """Mean of the final grades the learner has (quizzes without one are left out)."""
        percents = [grade.percent for grade in self.grades if grade.percent is not None]
        return sum(percents) / len(percents) if percents else None

    @property
    def passed_count(self) -> int:
        return sum(1 for grade in self.grades if grade.passed)

    @property
    def status(self) -> str:
        """passed (every quiz), failed (at least one final grade below the pass mark), not_started, or in_progress."""
        if all(grade.state == NOT_STARTED for grade in self.grades):
            return NOT_STARTED
        if self.grades and all(grade.passed for grade in self.grades):
            return PASSED
        if any(grade.state == FAILED for grade in self.grades):
            return FAILED
        return "in_progress"


class GradebookRows(Sequence):
    """The gradebook's rows in order, read a page at a time: SQL sorts, filters and pages the learners
    (gradebook_sql), and only the learners asked for have their attempts read and graded."""

    def __init__(self, *, query: GradebookQuery, quizzes: list[Quiz]):
        self.query, self.quizzes = query, quizzes
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self.query.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self.count())
            if step != 1:
                return list(self)[index]
            return self._rows(self.query.user_ids(offset=start, limit=max(0, stop - start)))
        rows = self[index:index + 1] if index >= 0 else self[index + self.count():index + self.count() + 1]
        if not rows:
            raise IndexError(index)
        return rows[0]

    def __iter__(self) -> Iterator["GradebookRow"]:
        ids = self.query.user_ids()
        for start in range(0, len(ids), ROWS_PER_READ):
            yield from self._rows(ids[start:start + ROWS_PER_READ])

    def _rows(self, user_ids: list[int]) -> list["GradebookRow"]:
        if not user_ids:
            return []
        people = {
            pk: _learner({"user_id": pk, "user__username": username, "user__first_name": first, "user__last_name": last, "user__email": email})
            for pk, username, first, last, email in User.objects.filter(pk__in=user_ids).values_list("id", "username", "first_name", "last_name", "email")
        }
        quizzes = self.quizzes
        # A learner's override (an extra attempt) decides "not passed yet" against "not passed".
        limits = attempt_limits(quizzes=quizzes, user_ids=user_ids)
        grades = grades_by_user_and_quiz(quizzes=quizzes, rows=attempt_rows(user_id__in=user_ids, quiz__in=quizzes), limits=limits) if quizzes else {}
        not_started = {quiz.id: grade_not_started(quiz=quiz) for quiz in quizzes}
        return [
            GradebookRow(learner=people[user_id], grades=[
                grades.get((user_id, quiz.id)) or (grade_not_started(quiz=quiz, allowed=limits[(user_id, quiz.id)])
                                                   if (user_id, quiz.id) in limits else not_started[quiz.id])
                for quiz in quizzes])
            for user_id in user_ids
        ]


ROWS_PER_READ = 2000  # learners graded per query when every row is wanted (the CSV export)


@dataclass(frozen=True)
class Gradebook:
    course: Course
    quizzes: list[Quiz]
    rows: GradebookRows  # filtered and sorted, all pages, read lazily

    def page(self, number: int | str | None, *, per_page: int = PAGE_SIZE) -> Page:
        return Paginator(self.rows, per_page).get_page(number)


def _learner(values: dict) -> Learner:
    name = f"{values['user__first_name']} {values['user__last_name']}".strip()
    return Learner(id=values["user_id"], username=values["user__username"], name=name or values["user__username"], email=values["user__email"])


def course_quizzes(*, course: Course) -> list[Quiz]:
    return list(Quiz.objects.filter(lesson__course=course, is_published=True).select_related("lesson").order_by("lesson__position", "id"))


def gradebook_for_course(
    *, course: Course, search: str = "", status: str = "", quiz_id: int | None = None, sort: str = "name", descending: bool = False
) -> Gradebook:
    """All enrolled learners with a final grade per quiz, filtered and sorted in the database.

    `status` filters on the whole course, or on one quiz when `quiz_id` is given. `sort` is
    "name", "average", "status" or "quiz-<id>"; learners without a grade sort last either way.
    A page costs the same queries whatever the size of the course.
    """
    quizzes = course_quizzes(course=course)
    quiz_ids = [quiz.id for quiz in quizzes]
    sort_quiz_id = int(sort[5:]) if sort.startswith("quiz-") and sort[5:].isdigit() and int(sort[5:]) in quiz_ids else None
    query = GradebookQuery(
        course_id=course.id, quiz_ids=quiz_ids, search=search,
        status=status if status in STATUS_FILTERS else "", status_quiz_id=quiz_id if quiz_id in quiz_ids else None,
        sort="quiz" if sort_quiz_id is not None else (sort if sort in ("name", "average", "status") else "name"),
        sort_quiz_id=sort_quiz_id, descending=descending,
    )
    return Gradebook(course=course, quizzes=quizzes, rows=GradebookRows(query=query, quizzes=quizzes))


def learner_in_course(*, course: Course, user_id: int) -> User | None:
    """The enrolled learner, or someone who attempted one of the course's quizzes (then left)."""
    return (
        User.objects.filter(pk=user_id)
        .filter(enrollments__course=course)
        .first()
        or User.objects.filter(pk=user_id, quiz_attempts__quiz__lesson__course=course).distinct().first()
    )


def attempts_for_learner(*, course: Course, user: User) -> list[Attempt]:
    """Every attempt of `user` in the course, with its answers and their question versions."""
    answers = Answer.objects.select_related("version").order_by("id")
    return list(
        Attempt.objects.filter(user=user, quiz__lesson__course=course)
        .select_related("quiz__lesson")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("quiz__lesson__position", "quiz_id", "number")
    )
