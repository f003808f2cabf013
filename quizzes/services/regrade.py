"""Regrade a quiz: grade every submitted attempt again against the latest version of each question.

A dry run lists whose marks would change and by how much, touching nothing. Applying moves each
answer to the latest version, re-grades it, re-totals the attempt and records a RegradeRun.
"""
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction

from ..qtypes import qtype_for
from ..models import Answer, Attempt, AttemptState, Quiz, RegradeRun
from . import grading
from .attempts import attempt_regrade_answers


@dataclass(frozen=True)
class RegradeChange:
    attempt: Attempt
    user: User
    old_marks: float
    new_marks: float
    delta: float


@dataclass
class RegradeReport:
    dry_run: bool
    attempts_checked: int = 0
    changes: list[RegradeChange] = field(default_factory=list)
    run: RegradeRun | None = None


def quiz_regrade(*, quiz: Quiz, user: User | None, dry_run: bool) -> RegradeReport:
    report = RegradeReport(dry_run=dry_run)
    with transaction.atomic():
        attempts = Attempt.objects.filter(quiz=quiz, state=AttemptState.SUBMITTED).select_related("user").order_by("id")
        if not dry_run:
            # Keep submits and essay grading of this quiz's attempts out while we rewrite them.
            attempts = attempts.select_for_update(of=("self",))
        attempts = list(attempts)
        answers_by_attempt: dict[int, list[Answer]] = {}
        for answer in Answer.objects.filter(attempt__in=attempts).select_related("version").order_by("id"):
            answers_by_attempt.setdefault(answer.attempt_id, []).append(answer)
        latest_ids = grading.latest_version_ids({a.question_id for answers in answers_by_attempt.values() for a in answers})
        latest = {v.id: v for v in grading.versions_by_id(latest_ids.values())}
        for attempt in attempts:
            report.attempts_checked += 1
            answers = answers_by_attempt.get(attempt.id, [])
            old_marks = attempt.marks or 0.0
            new_marks = 0.0
            for answer in answers:
                version = latest.get(latest_ids.get(answer.question_id), answer.version)
                if answer.graded_by_id and qtype_for(version.spec).graded_by_person:
                    new_marks += (answer.fraction or 0.0) * version.max_mark
                    continue
                result = grading.grade_response(version, answer.response)
                new_marks += (result.fraction or 0.0) * version.max_mark
            if abs(new_marks - old_marks) > 1e-9:
                report.changes.append(
                    RegradeChange(attempt=attempt, user=attempt.user, old_marks=old_marks, new_marks=new_marks,
                                  delta=new_marks - old_marks)
                )
            if not dry_run:
                for answer in answers:
                    answer.version = latest.get(latest_ids.get(answer.question_id), answer.version)
                attempt_regrade_answers(attempt=attempt, answers=answers)
        if not dry_run:
            report.run = RegradeRun.objects.create(
                quiz=quiz,
                run_by=user,
                changes=[
                    {
                        "attempt": change.attempt.id,
                        "user": change.user.username,
                        "old_marks": round(change.old_marks, 6),
                        "new_marks": round(change.new_marks, 6),
                        "delta": round(change.delta, 6),
                    }
                    for change in report.changes
                ],
            )
    return report
