"""Final quiz grades for many learners at once, with the same rules as quizzes.selectors.final_grade_for_user."""
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models.sql.constants import MULTI

from quizzes.grade_labels import outcome_label
from quizzes.models import Attempt, AttemptState, Quiz
from quizzes.overrides.effective import overridden_settings_for_users
from quizzes.services.grading_methods import grade_combine

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
AWAITING_GRADING = "awaiting_grading"
PASSED = "passed"
FAILED = "failed"
MARKS_HIDDEN = "submitted"  # graded, but the quiz's review options hide marks from the learner now

STATE_LABELS = {
    NOT_STARTED: "Not started",
    IN_PROGRESS: "In progress",
    AWAITING_GRADING: "Awaiting grading",
    PASSED: "Passed",
    FAILED: "Failed",
    MARKS_HIDDEN: "Submitted",
}


@dataclass(slots=True)  # not frozen: a gradebook builds tens of thousands, and frozen init is slower
class QuizGrade:
    percent: float | None  # by the quiz's grading method over submitted, fully graded attempts
    passed: bool | None
    attempts_used: int
    attempts_left: int | None  # None: unlimited
    in_progress: bool
    awaiting_grading: bool
    marks_hidden: bool = False  # set by quizzes.grade_visibility.grade_as_shown for a learner's own view

    @property
    def state(self) -> str:
        if self.attempts_used == 0:
            return NOT_STARTED
        if self.marks_hidden:
            return MARKS_HIDDEN
        if self.percent is None:
            return AWAITING_GRADING if self.awaiting_grading else IN_PROGRESS
        return PASSED if self.passed else FAILED

    @property
    def state_label(self) -> str:
        if self.state in (PASSED, FAILED):
            return outcome_label(passed=self.passed, attempts_left=self.attempts_left)
        return STATE_LABELS[self.state]

    @property
    def is_finished(self) -> bool:
        """Nothing left for the learner to do: passed, waiting for a grader, or out of attempts."""
        return self.state in (PASSED, AWAITING_GRADING, MARKS_HIDDEN) or (self.state == FAILED and self.attempts_left == 0)


# Columns read from Attempt, in this order, by every bulk selector.
ATTEMPT_COLUMNS = ("user_id", "quiz_id", "number", "state", "marks", "max_marks", "needs_grading")


def raw_rows(queryset) -> list[tuple]:
    """The rows of a values_list() queryset as the database driver returns them.

    Skips Django's per-row converters (on SQLite every boolean goes through one), which costs more
    than the grading itself on 30,000 attempts. Only for columns used as numbers, strings or truth
    values, as the grade computation below does.
    """
    compiler = queryset.query.get_compiler(using=queryset.db)
    return [row for chunk in compiler.execute_sql(MULTI) for row in chunk]


def attempt_rows(**filters) -> list[tuple]:
    """One query: the attempts matching `filters`, ordered so each learner's attempts at a quiz are in turn."""
    return raw_rows(Attempt.objects.filter(**filters).order_by("user_id", "quiz_id", "number").values_list(*ATTEMPT_COLUMNS))


def _grade(quiz: Quiz, used: int, in_progress: bool, awaiting: bool, percents: list[float], allowed: int | None) -> QuizGrade:
    percent = grade_combine(method=quiz.grading_method, percents=percents)
    return QuizGrade(
        percent=percent,
        passed=None if percent is None else percent >= quiz.pass_percent - 1e-9,
        attempts_used=used,
        attempts_left=None if not allowed else max(0, allowed - used),
        in_progress=in_progress,
        awaiting_grading=awaiting,
    )


def grades_by_user_and_quiz(*, quizzes: Iterable[Quiz], rows: Iterable[tuple],
                            limits: dict[tuple[int, int], int] | None = None) -> dict[tuple[int, int], QuizGrade]:
    """(user_id, quiz_id) -> QuizGrade for every pair that has at least one attempt.

    `limits`: (user_id, quiz_id) -> attempts allowed (0: unlimited) where a learner's override differs
    from the quiz (attempt_limits); without it every learner has the quiz's own limit.

    `rows` start with ATTEMPT_COLUMNS (extra columns after them are ignored), grouped by learner
    and quiz in attempt order (attempt_rows orders them so). One pass: a 1,000-learner gradebook
    has 30,000 rows.
    """
    quizzes_by_id = {quiz.id: quiz for quiz in quizzes}
    limits = limits or {}
    grades: dict[tuple[int, int], QuizGrade] = {}
    submitted = AttemptState.SUBMITTED
    # Rows come grouped by learner and quiz: walk each group without a dictionary lookup per row.
    user_id = quiz_id = quiz = None
    used, in_progress, awaiting, percents = 0, False, False, []
    for row in rows:
        if row[1] != quiz_id or row[0] != user_id:
            if quiz is not None:
                grades[(user_id, quiz_id)] = _grade(quiz, used, in_progress, awaiting, percents,
                                                    limits.get((user_id, quiz_id), quiz.attempts_allowed))
            user_id, quiz_id = row[0], row[1]
            quiz = quizzes_by_id.get(quiz_id)
            used, in_progress, awaiting, percents = 0, False, False, []
        used += 1
        if row[3] != submitted:
            in_progress = True
        elif row[6]:
            awaiting = True  # an essay waits for the instructor: no grade from this attempt yet
        elif row[5]:
            percents.append(100 * row[4] / row[5] if row[4] is not None else 0.0)
    if quiz is not None:
        grades[(user_id, quiz_id)] = _grade(quiz, used, in_progress, awaiting, percents,
                                            limits.get((user_id, quiz_id), quiz.attempts_allowed))
    return grades


def attempt_limits(*, quizzes: Iterable[Quiz], user_ids: Iterable[int]) -> dict[tuple[int, int], int]:
    """(user_id, quiz_id) -> attempts allowed, for the pairs a quiz override (quizzes.overrides) changes:
    an extra attempt means "not passed yet", not "not passed". Two queries however many learners."""
    found = overridden_settings_for_users(quizzes=quizzes, user_ids=user_ids)
    return {pair: settings.attempts_allowed for pair, settings in found.items()}


def grade_from_attempts(*, quiz: Quiz, attempts: Iterable[tuple]) -> QuizGrade:
    """`attempts`: rows of ATTEMPT_COLUMNS for one learner and quiz, in attempt order."""
    rows = [(0, quiz.id, *row[2:]) for row in attempts]
    return grades_by_user_and_quiz(quizzes=[quiz], rows=rows).get((0, quiz.id)) or grade_not_started(quiz=quiz)


def grade_not_started(*, quiz: Quiz, allowed: int | None = None) -> QuizGrade:
    """`allowed`: the learner's attempt limit where an override sets one (0: unlimited)."""
    allowed = quiz.attempts_allowed if allowed is None else allowed
    return QuizGrade(
        percent=None, passed=None, attempts_used=0,
        attempts_left=allowed or None, in_progress=False, awaiting_grading=False,
    )
