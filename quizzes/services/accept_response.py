"""Accept a learner's typed response as a right answer: the question gets a new accepted answer.

The instructor then regrades (the responses report leads to the dry run), so every learner who typed
the same gets the marks. Existing answers keep their order; the new one is worth 100 %.
"""
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from ..models import Question, QuestionVersion
from ..qtypes import qtype_for
from .questions import question_update


def typed_is_accepted(*, spec: dict, typed: str) -> bool:
    """Whether `typed` already earns full marks on `spec`."""
    qtype = qtype_for(spec)
    return qtype.grade(qtype.spec(spec), qtype.typed_response(typed)).fraction == 1.0


def response_accept(*, question: Question, typed: str, user: User) -> QuestionVersion:
    """Add `typed` to the question's accepted answers at 100 %; refuses what is already accepted."""
    spec = question.latest_version.spec
    typed = typed.strip()
    qtype = qtype_for(spec)
    if not typed:
        raise ValidationError("Choose a response to accept.", code="empty")
    try:
        accepted = qtype.accepted_answer(qtype.spec(spec), typed) if qtype.accepts_typed_answers else None
    except ValueError:
        raise ValidationError(f"“{typed}” is not a number, so it cannot be a numeric answer.", code="not_a_number") from None
    if accepted is None:
        raise ValidationError("Only short-answer and numeric questions take accepted answers.", code="not_typed")
    if typed_is_accepted(spec=spec, typed=typed):
        raise ValidationError(f"“{typed}” already gets full marks.", code="already_accepted")
    new_spec = dict(spec, answers=[*spec["answers"], accepted])
    return question_update(question=question, spec=new_spec, user=user)
