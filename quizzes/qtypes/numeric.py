"""Numeric: a typed number against value ± tolerance or min..max answers (`numeric_answer_matches`)."""
from __future__ import annotations

from ..domain.grading import (
    Feedback,
    GradeResult,
    ResponseError,
    UNANSWERED_RESULT,
    fraction_result,
    numeric_answer_matches,
    parse_numeric_answer,
)
from ..domain.answer_matching import unit_is_percent
from ..domain.spec import NumericAnswer, NumericSpec, format_number
from .base import QuestionType, response_field
from .ids import PublicIds
from .page_parts import QuestionForm


class Numeric(QuestionType):
    name = "numeric"
    spec_class = NumericSpec
    label = "Numeric"
    description = "Type a number; value ± tolerance or a range."
    accepts_typed_answers = True
    markdown_name = "numeric"

    def response_from_fields(self, spec, *, prefix, data, ids: PublicIds) -> dict:
        return {"value": data.get(f"{prefix}-text", "")}

    def question_form(self, spec, public: dict, response: dict, ids: PublicIds) -> QuestionForm:
        return QuestionForm(kind="number", text=str(response.get("value") or ""))

    def grade(self, spec: NumericSpec, response) -> GradeResult:
        raw = response_field(response, "value")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return UNANSWERED_RESULT
        try:  # raises ResponseError for a value of the wrong shape
            value = parse_numeric_answer(raw, percent=unit_is_percent(spec.text))
        except ResponseError:
            raise
        except ValueError:
            return fraction_result(0.0, [Feedback("answer", f"{str(raw).strip()!r} is not a number.", False)])
        matches = [a for a in spec.answers if numeric_answer_matches(a, value)]
        if not matches:
            return fraction_result(0.0, [])
        best = max(matches, key=lambda a: a.fraction)
        feedback = [Feedback("answer", best.feedback, best.fraction >= 1)] if best.feedback else []
        return fraction_result(best.fraction, feedback)

    def correct_response(self, spec: NumericSpec) -> dict:
        """The value (or the middle of the range) of the first 100 % answer, as text."""
        best = next(a for a in spec.answers if a.fraction >= 1 and a.kind != "any")
        value = best.value if best.kind == "tolerance" else (best.min + best.max) / 2
        return {"value": format_number(value)}

    def right_answer_summary(self, spec: NumericSpec) -> str:
        return " or ".join(_answer_text(a) for a in spec.answers if a.fraction == 1 and a.kind != "any")

    def typed_text(self, response: dict) -> str | None:
        return str(response.get("value") or "")

    def typed_response(self, text: str) -> dict:
        return {"value": text}

    def accepted_answer(self, spec: NumericSpec, typed: str) -> dict:
        value = parse_numeric_answer(typed, percent=unit_is_percent(spec.text))  # ValueError: not a number
        return {"kind": "tolerance", "value": value, "tolerance": 0.0, "fraction": 1.0, "feedback": ""}


def _answer_text(answer: NumericAnswer) -> str:
    if answer.kind == "range":
        return f"{format_number(answer.min)} to {format_number(answer.max)}"
    value = format_number(answer.value)
    return f"{value} ± {format_number(answer.tolerance)}" if answer.tolerance else value

    def response_group_key(self, spec: NumericSpec, text: str) -> str:
        try:
            return repr(parse_numeric_answer(text, percent=unit_is_percent(spec.text)))
        except ValueError:
            return text.strip()
