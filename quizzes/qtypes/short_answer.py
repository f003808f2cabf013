"""Short answer: typed text compared with accepted answers by `short_answer_matches` (the domain's)."""
from __future__ import annotations

from ..domain.grading import (
    Feedback,
    GradeResult,
    ResponseError,
    UNANSWERED_RESULT,
    fraction_result,
    normalise_text,
    short_answer_matches,
)
from ..domain.answer_matching import forgiving_form, has_wildcard
from ..domain.spec import ShortAnswerSpec
from .base import QuestionType, response_field


class ShortAnswer(QuestionType):
    name = "short_answer"
    spec_class = ShortAnswerSpec
    label = "Short answer"
    description = "Type a word or phrase; * matches anything."
    accepts_typed_answers = True
    markdown_name = "short"

    def grade(self, spec: ShortAnswerSpec, response) -> GradeResult:
        text = response_field(response, "text")
        if text is None:
            return UNANSWERED_RESULT
        if not isinstance(text, str):
            raise ResponseError("'text' must be a string")
        if not normalise_text(text):
            return UNANSWERED_RESULT
        matches = [a for a in spec.answers
                   if short_answer_matches(a.text, text, case_sensitive=spec.case_sensitive)]
        if not matches:
            return fraction_result(0.0, [])
        best = max(matches, key=lambda a: a.fraction)  # max() keeps the first of equals
        feedback = [Feedback("answer", best.feedback, best.fraction >= 1)] if best.feedback else []
        return fraction_result(best.fraction, feedback)

    def correct_response(self, spec: ShortAnswerSpec) -> dict:
        """The first 100 % answer without a wildcard or, failing that, the first 100 % pattern as written."""
        full = [a.text for a in spec.answers if a.fraction >= 1]
        literal = next((t for t in full if not has_wildcard(t)), None)
        return {"text": literal.replace("\\*", "*") if literal is not None else full[0]}

    def typed_text(self, response: dict) -> str | None:
        return str(response.get("text") or "")

    def accepted_answer(self, spec: ShortAnswerSpec, typed: str) -> dict:
        # A star the learner typed is a literal star, not a wildcard.
        return {"text": typed.replace("*", "\\*"), "fraction": 1.0, "feedback": ""}

    def response_group_key(self, spec: ShortAnswerSpec, text: str) -> str:
        return forgiving_form(text, case_sensitive=spec.case_sensitive)  # as the matcher compares
