"""Regrade a quiz: grade every submitted attempt again against the latest version of each question.

A dry run lists whose marks would change and by how much, touching nothing. Applying moves each
answer to the latest version, re-grades it, re-totals the attempt and records a RegradeRun. The dry
run and the apply share one computation (`_regrade_attempt`), so what the dry run shows is what is
applied, and a dry run right after an apply shows nothing.

A person's decision is never lost: an answer someone graded by hand (an essay, or an override of an
automatic grade; `Answer.graded_by` says who) keeps its fraction. Only its marks follow the
question's maximum when that changes (1/1 becomes 5/5), and the dry run and the log say so.
"""
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction

from ..models import Answer, Attempt, AttemptState, Quiz, QuestionVersion, RegradeRun
from . import grading
from ..behaviours import QuestionBehaviour, behaviour_for
from .behaviour_grading import behaviour_grade

_SAME = 1e-9


@dataclass(frozen=True)
class KeptGrade:
    """A grade given by a person that regrade keeps; its marks are rescaled to the new maximum."""

    answer_id: int
    question_title: str
    grader: str
    fraction: float
    old_marks: float
    new_marks: float
    new_max: float

    @property
    def rescaled(self) -> bool:
        return abs(self.new_marks - self.old_marks) > _SAME

    def to_json(self) -> dict:
        return {"answer": self.answer_id, "question": self.question_title, "grader": self.grader,
                "fraction": round(self.fraction, 7), "old_marks": round(self.old_marks, 6),
                "new_marks": round(self.new_marks, 6), "new_max": round(self.new_max, 6)}


@dataclass(frozen=True)
class RegradeChange:
    attempt: Attempt
    user: User
    old_marks: float
    new_marks: float
    delta: float
    old_max: float = 0.0
    new_max: float = 0.0
    kept: tuple[KeptGrade, ...] = ()


@dataclass
class RegradeReport:
    dry_run: bool
    attempts_checked: int = 0
    changes: list[RegradeChange] = field(default_factory=list)
    run: RegradeRun | None = None

    @property
    def kept_grades(self) -> list[KeptGrade]:
        return [kept for change in self.changes for kept in change.kept]


@dataclass
class _AnswerOutcome:
    answer: Answer
    version: QuestionVersion
    fraction: float | None
    marks: float | None
    state: str
    feedback: list
    kept: KeptGrade | None


def _answer_outcome(answer: Answer, version: QuestionVersion, behaviour: QuestionBehaviour) -> _AnswerOutcome:
    if answer.graded_by_id is not None and answer.fraction is not None:
        new_marks = answer.fraction * version.max_mark
        kept = KeptGrade(answer_id=answer.pk, question_title=version.spec.get("title", ""),
                         grader=answer.graded_by.username if answer.graded_by else "",
                         fraction=answer.fraction, old_marks=answer.marks or 0.0, new_marks=new_marks,
                         new_max=version.max_mark)
        return _AnswerOutcome(answer, version, answer.fraction, new_marks, answer.state, answer.feedback, kept)
    # Checked tries are graded again too, so an interactive question keeps its penalties per wrong try.
    result, _ = behaviour_grade(behaviour=behaviour, version=version, response=answer.response, tries=answer.tries)
    marks = None if result.fraction is None else result.fraction * version.max_mark
    return _AnswerOutcome(answer, version, result.fraction, marks, result.state,
                          [item.to_json() for item in result.feedback], None)


def _regrade_attempt(attempt: Attempt, outcomes: list[_AnswerOutcome]) -> RegradeChange | None:
    old_marks, old_max = attempt.marks or 0.0, attempt.max_marks or 0.0
    new_marks = sum(outcome.marks or 0.0 for outcome in outcomes)
    new_max = sum(outcome.version.max_mark for outcome in outcomes)
    kept = tuple(o.kept for o in outcomes if o.kept is not None and o.kept.rescaled)
    if abs(new_marks - old_marks) <= _SAME and abs(new_max - old_max) <= _SAME and not kept:
        return None
    return RegradeChange(attempt=attempt, user=attempt.user, old_marks=old_marks, new_marks=new_marks,
                         delta=new_marks - old_marks, old_max=old_max, new_max=new_max, kept=kept)


def _apply(attempt: Attempt, outcomes: list[_AnswerOutcome]) -> None:
    for outcome in outcomes:
        answer = outcome.answer
        answer.version, answer.fraction, answer.marks = outcome.version, outcome.fraction, outcome.marks
        answer.state, answer.feedback = outcome.state, outcome.feedback
    Answer.objects.bulk_update([o.answer for o in outcomes], ["version", "fraction", "marks", "state", "feedback"])
    attempt.marks = sum(o.marks or 0.0 for o in outcomes)
    attempt.max_marks = sum(o.version.max_mark for o in outcomes)
    attempt.needs_grading = any(o.state == "needs_grading" for o in outcomes)
    attempt.save(update_fields=["marks", "max_marks", "needs_grading"])


def quiz_regrade(*, quiz: Quiz, user: User | None, dry_run: bool) -> RegradeReport:
    report = RegradeReport(dry_run=dry_run)
    with transaction.atomic():
        attempts = Attempt.objects.filter(quiz=quiz, state=AttemptState.SUBMITTED).select_related("user").order_by("id")
        if not dry_run:
            # Keep submits and essay grading of this quiz's attempts out while we rewrite them.
            attempts = attempts.select_for_update(of=("self",))
        attempts = list(attempts)
        answers_by_attempt: dict[int, list[Answer]] = {}
        answers = Answer.objects.filter(attempt__in=attempts).select_related("version", "graded_by").order_by("id")
        for answer in answers:
            answers_by_attempt.setdefault(answer.attempt_id, []).append(answer)
        latest_ids = grading.latest_version_ids({a.question_id for group in answers_by_attempt.values() for a in group})
        latest = {v.id: v for v in grading.versions_by_id(latest_ids.values())}
        behaviour = behaviour_for(quiz)
        for attempt in attempts:
            report.attempts_checked += 1
            outcomes = [_answer_outcome(answer, latest.get(latest_ids.get(answer.question_id), answer.version), behaviour)
                        for answer in answers_by_attempt.get(attempt.id, [])]
            change = _regrade_attempt(attempt, outcomes)
            if change is not None:
                report.changes.append(change)
            if not dry_run:
                _apply(attempt, outcomes)
        if not dry_run:
            report.run = RegradeRun.objects.create(quiz=quiz, run_by=user, changes=[_logged(c) for c in report.changes])
    return report


def _logged(change: RegradeChange) -> dict:
    return {
        "attempt": change.attempt.id,
        "user": change.user.username,
        "old_marks": round(change.old_marks, 6),
        "new_marks": round(change.new_marks, 6),
        "delta": round(change.delta, 6),
        "old_max": round(change.old_max, 6),
        "new_max": round(change.new_max, 6),
        "kept": [kept.to_json() for kept in change.kept],
    }
