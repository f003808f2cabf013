"""True / false: a statement; feedback is per the learner's pick, as in Moodle."""
from __future__ import annotations

from ..domain.grading import Feedback, GradeResult, ResponseError, fraction_result, UNANSWERED_RESULT
from ..domain.spec import TrueFalseSpec
from .base import QuestionType, response_field
from .ids import PublicIds
from .page_parts import Option, QuestionForm, Review


class TrueFalse(QuestionType):
    name = "true_false"
    spec_class = TrueFalseSpec
    label = "True / false"
    description = "A statement that is true or false."
    markdown_name = "true-false"

    def response_from_fields(self, spec, *, prefix, data, ids: PublicIds) -> dict:
        value = data.get(f"{prefix}-choice")
        return {"value": None if value not in ("true", "false") else value == "true"}

    def grade(self, spec: TrueFalseSpec, response) -> GradeResult:
        value = response_field(response, "value")
        if value is None or value == "":
            return UNANSWERED_RESULT
        if isinstance(value, str) and value.lower() in ("true", "false"):
            value = value.lower() == "true"  # HTML forms send strings
        if not isinstance(value, bool):
            raise ResponseError("'value' must be true or false")
        text = spec.feedback_true if value else spec.feedback_false
        right = value == spec.correct
        return fraction_result(1.0 if right else 0.0, [Feedback("answer", text, right)] if text else [])

    def correct_response(self, spec: TrueFalseSpec) -> dict:
        return {"value": spec.correct}

    def question_form(self, spec, public: dict, response: dict, ids: PublicIds) -> QuestionForm:
        value = response.get("value")
        return QuestionForm(kind="choice", options=[
            Option(value="true", label="True", label_html="True", checked=value is True, authored="true"),
            Option(value="false", label="False", label_html="False", checked=value is False, authored="false"),
        ])

    def mark_correctness(self, form: QuestionForm, spec: TrueFalseSpec, feedback: list[dict]) -> None:
        for option in form.options:
            if option.checked:
                option.verdict = "correct" if (option.value == "true") == spec.correct else "incorrect"

    def mark_right_answer(self, form: QuestionForm, review: Review, spec: TrueFalseSpec) -> None:
        for option in form.options:
            option.right = option.value == ("true" if spec.correct else "false")

    def right_answer_summary(self, spec: TrueFalseSpec) -> str:
        return "True" if spec.correct else "False"

    def choice_options(self, spec: TrueFalseSpec) -> list[tuple[str, str, float]]:
        return [("true", "True", 1.0 if spec.correct else 0.0), ("false", "False", 0.0 if spec.correct else 1.0)]

    def picked(self, response: dict) -> list[str]:
        value = response.get("value")
        return ["true" if value else "false"] if isinstance(value, bool) else []
