"""The one rule that turns a question's checked tries and current response into its grade, shared by
a check, the attempt's submission and a regrade, so the three cannot disagree.

How tries count is the quiz behaviour's to say (quizzes.behaviours); what a response is worth is the
question type's (quizzes.qtypes). Nothing here names a behaviour or a question type.
"""
from dataclasses import replace

from quizzes import domain
from quizzes.qtypes import qtype_for

from ..behaviours import Outcome, QuestionBehaviour
from ..models import Answer, QuestionVersion
from . import grading


def checkable(*, behaviour: QuestionBehaviour, version: QuestionVersion) -> bool:
    """Whether a question has a Check button: the behaviour allows checks and a machine can grade it now
    (essays and model-graded questions wait for submission, as Moodle's manual behaviours do)."""
    qtype = qtype_for(version.spec)
    return behaviour.tries_allowed(qtype.spec(version.spec)) > 0 and not (qtype.graded_by_person or qtype.graded_by_model)


def behaviour_grade(*, behaviour: QuestionBehaviour, version: QuestionVersion, response: dict | None,
                    tries: list[dict]) -> tuple[domain.GradeResult, Outcome]:
    """The question's grade from its checked tries and its current response, graded against `version`
    (a regrade passes the newer version and the stored tries are graded again)."""
    spec = qtype_for(version.spec).spec(version.spec)
    try_results = [grading.grade_response(version, entry.get("response")) for entry in tries]
    final = grading.grade_response(version, response)
    outcome = behaviour.outcome(spec, [result.fraction for result in try_results], final.fraction)
    deciding = try_results[outcome.finished_at] if outcome.finished else final
    return replace(deciding, fraction=outcome.fraction), outcome


def answer_grade(answer: Answer, behaviour: QuestionBehaviour) -> None:
    """Set the answer's fraction, marks, state and feedback as its behaviour counts them (not saved)."""
    result, _ = behaviour_grade(behaviour=behaviour, version=answer.version, response=answer.response, tries=answer.tries)
    answer.fraction = result.fraction
    answer.marks = None if result.fraction is None else result.fraction * answer.version.max_mark
    answer.state = result.state
    answer.feedback = [item.to_json() for item in result.feedback]
