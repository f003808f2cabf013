"""Accept a learner's typed response as a right answer: the question gets a new accepted answer.

The instructor then regrades (the responses report leads to the dry run), so every learner who typed
the same gets the marks. Existing answers keep their order; the new one is worth 100 %.
"""
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from ..domain import grade
from ..domain.answer_matching import unit_is_percent
from ..domain.grading import parse_numeric_answer
from ..models import Question, QuestionVersion
from .questions import question_update

# The types whose key is a list of typed answers. (Moves into the question-type registry with it.)
ACCEPTS_TYPED_ANSWERS = {"short_answer": "text", "numeric": "value"}


def typed_is_accepted(*, spec: dict, typed: str) -> bool:
    """Whether `typed` already earns full marks on `spec`."""
    return grade(spec, {ACCEPTS_TYPED_ANSWERS[spec["qtype"]]: typed}).fraction == 1.0


def _accepted_answer(spec: dict, typed: str) -> dict:
    if spec["qtype"] == "numeric":
        try:
            value = parse_numeric_answer(typed, percent=unit_is_percent(spec.get("text", "")))
        except ValueError:
            raise ValidationError(f"“{typed}” is not a number, so it cannot be a numeric answer.", code="not_a_number") from None
        return {"kind": "tolerance", "value": value, "tolerance": 0.0, "fraction": 1.0, "feedback": ""}
    # A star the learner typed is a literal star, not a wildcard.
    return {"text": typed.replace("*", "\\*"), "fraction": 1.0, "feedback": ""}


def response_accept(*, question: Question, typed: str, user: User) -> QuestionVersion:
    """Add `typed` to the question's accepted answers at 100 %; refuses what is already accepted."""
    spec = question.latest_version.spec
    typed = typed.strip()
    if spec.get("qtype") not in ACCEPTS_TYPED_ANSWERS:
        raise ValidationError("Only short-answer and numeric questions take accepted answers.", code="not_typed")
    if not typed:
        raise ValidationError("Choose a response to accept.", code="empty")
    if typed_is_accepted(spec=spec, typed=typed):
        raise ValidationError(f"“{typed}” already gets full marks.", code="already_accepted")
    new_spec = dict(spec, answers=[*spec["answers"], _accepted_answer(spec, typed)])
    return question_update(question=question, spec=new_spec, user=user)
