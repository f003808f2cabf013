"""The instructor's gradebook: the course's learners × its published quizzes, with final grades."""
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch

from courses.models import Course, Enrollment
from quizzes.models import Answer, Attempt, Quiz

from .grades import FAILED, NOT_STARTED, PASSED, QuizGrade, attempt_rows, grade_not_started, grades_by_user_and_quiz

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


@dataclass(frozen=True)
class Gradebook:
    course: Course
    quizzes: list[Quiz]
    rows: list[GradebookRow]  # filtered and sorted, all pages

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
    """All enrolled learners with a final grade per quiz, filtered and sorted. Three queries.

    `status` filters on the whole course, or on one quiz when `quiz_id` is given. `sort` is
    "name", "average", "status" or "quiz-<id>"; learners without a grade sort last either way.
    """
    quizzes = course_quizzes(course=course)
    enrollments = Enrollment.objects.filter(course=course).values("user_id", "user__username", "user__first_name", "user__last_name", "user__email")
    learners = [_learner(values) for values in enrollments]
    grades = grades_by_user_and_quiz(quizzes=quizzes, rows=attempt_rows(quiz__lesson__course=course, quiz__is_published=True, user__enrollments__course=course))
    not_started = {quiz.id: grade_not_started(quiz=quiz) for quiz in quizzes}
    rows = [
        GradebookRow(learner=learner, grades=[grades.get((learner.id, quiz.id)) or not_started[quiz.id] for quiz in quizzes])
        for learner in learners
    ]
    if search:
        needle = search.casefold()
        rows = [row for row in rows if needle in f"{row.learner.username} {row.learner.name} {row.learner.email}".casefold()]
    column = next((index for index, quiz in enumerate(quizzes) if quiz.id == quiz_id), None)
    if status in STATUS_FILTERS and status:
        if column is not None:
            rows = [row for row in rows if row.grades[column].state == status]
        else:
            rows = [row for row in rows if row.status == status]
    return Gradebook(course=course, quizzes=quizzes, rows=_sorted(rows, quizzes, sort, descending))


def _sorted(rows: list[GradebookRow], quizzes: list[Quiz], sort: str, descending: bool) -> list[GradebookRow]:
    by_name = sorted(rows, key=lambda row: (row.learner.name.casefold(), row.learner.username), reverse=descending)
    if sort == "name":
        return by_name
    if sort == "average":
        value = lambda row: row.average  # noqa: E731
    elif sort == "status":
        order = {PASSED: 0, "in_progress": 1, FAILED: 2, NOT_STARTED: 3}
        value = lambda row: order[row.status]  # noqa: E731
    elif sort.startswith("quiz-") and sort[5:].isdigit():
        index = next((i for i, quiz in enumerate(quizzes) if quiz.id == int(sort[5:])), None)
        if index is None:
            return by_name
        value = lambda row: row.grades[index].percent  # noqa: E731
    else:
        return by_name
    # Stable sorts: by name first, then by the column; empty values always at the end.
    present = sorted((row for row in by_name if value(row) is not None), key=value, reverse=descending)
    return present + [row for row in by_name if value(row) is None]


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
