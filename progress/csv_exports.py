"""What the progress CSV exports hold (fixed column order); written by config.csv_writer, the one CSV writer."""
from collections.abc import Iterable

from config.csv_writer import cell, csv_response  # noqa: F401 (the one writer, re-exported for the views)
from quizzes.models import Answer, AttemptState

from .responses import response_text
from .selectors.gradebook import Gradebook


GRADEBOOK_FIXED = ["username", "name", "email", "average_percent", "quizzes_passed", "status"]


def gradebook_csv(*, gradebook: Gradebook) -> tuple[list[str], list[list]]:
    """One row per learner; per quiz: final grade (%), passed, attempts used — always in quiz order."""
    header = list(GRADEBOOK_FIXED)
    for quiz in gradebook.quizzes:
        header += [f"{quiz.title} · grade %", f"{quiz.title} · passed", f"{quiz.title} · attempts"]
    rows = []
    for row in gradebook.rows:
        values = [row.learner.username, row.learner.name, row.learner.email, row.average, row.passed_count, row.status]
        for grade in row.grades:
            values += [grade.percent, "" if grade.passed is None else grade.passed, grade.attempts_used]
        rows.append(values)
    return header, rows


RESPONSES_HEADER = [
    "username", "name", "quiz", "attempt", "attempt_state", "started_at", "submitted_at",
    "question_position", "question", "question_type", "response", "state", "fraction", "marks", "max_marks",
]


def responses_csv_rows(*, course) -> Iterable[list]:
    """Every answer of every attempt in the course, in one query, streamed row by row."""
    answers = (
        Answer.objects.filter(attempt__quiz__lesson__course=course)
        .select_related("attempt__user", "attempt__quiz", "version")
        .order_by("attempt__user__username", "attempt__quiz__lesson__position", "attempt__quiz_id", "attempt__number", "id")
    )
    position_in_attempt: dict[int, int] = {}
    for answer in answers.iterator(chunk_size=2000):
        attempt, spec, user = answer.attempt, answer.version.spec, answer.attempt.user
        position_in_attempt[attempt.id] = position_in_attempt.get(attempt.id, 0) + 1
        submitted = attempt.state == AttemptState.SUBMITTED
        yield [
            user.username,
            user.get_full_name() or user.username,
            attempt.quiz.title,
            attempt.number,
            attempt.state,
            attempt.started_at.isoformat(timespec="seconds"),
            attempt.submitted_at.isoformat(timespec="seconds") if attempt.submitted_at else "",
            position_in_attempt[attempt.id],
            spec.get("title") or spec.get("text", ""),
            spec.get("qtype", ""),
            response_text(spec=spec, response=answer.response),
            answer.state if submitted else "not submitted",
            answer.fraction if submitted else None,
            answer.marks if submitted else None,
            float(spec.get("default_mark", 1.0)),
        ]
