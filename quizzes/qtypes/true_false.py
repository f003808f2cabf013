"""True / false: a statement; feedback is per the learner's pick, as in Moodle."""
from __future__ import annotations

from ..domain import gift_writing, markdown_text
from ..domain import moodle_xml_parts as moodle_xml
from ..domain.moodle_xml_parts import text_of
from ..domain.gift_answers import TRUE_FALSE_PENALTY
from ..domain.grading import Feedback, GradeResult, ResponseError, fraction_result, UNANSWERED_RESULT
from ..domain.markdown_reading import QuizFormatError, choice_marks, full_marks
from ..domain.spec import TrueFalseSpec
from .base import QuestionType, response_field
from .ids import PublicIds
from .page_parts import Option, QuestionForm, Review


class TrueFalse(QuestionType):
    name = "true_false"
    spec_class = TrueFalseSpec
    label = "True / false"
    description = "A statement that is true or false."
    editor_form = "TrueFalseForm"
    gift_penalty = TRUE_FALSE_PENALTY

    def editor_initial(self, spec: dict) -> tuple[dict, list[dict]]:
        return {"correct": "true" if spec.get("correct") else "false", "feedback_true": spec.get("feedback_true", ""),
                "feedback_false": spec.get("feedback_false", "")}, []

    def editor_spec(self, value, rows: list[dict], original: dict, form) -> dict:
        return {"correct": bool(value("correct", True)), "feedback_true": value("feedback_true", "") or "",
                "feedback_false": value("feedback_false", "") or ""}

    markdown_reads = "choice"
    markdown_aliases = ("true/false", "truefalse", "tf")
    markdown_guess_order = 0

    def markdown_guess(self, items: list) -> bool:
        if items[0].kind != "choice":
            return False
        return len(full_marks(items)) == 1 and len(items) == 2 and {i.text.lower() for i in items} == {"true", "false"} \
            and all(m in ("x", " ", "0%", "100%") for m in choice_marks(items))

    def markdown_build(self, question, common: dict, items: list, settings: dict) -> TrueFalseSpec:
        marks = choice_marks(items)
        if sorted(item.text.lower() for item in items) != ["false", "true"]:
            raise QuizFormatError(items[0].line, "a true-false question has exactly two choices, True and False")
        right = [item for item, mark in zip(items, marks) if mark in ("x", "100%")]
        if len(right) != 1 or any(m not in ("x", " ", "0%", "100%") for m in marks):
            raise QuizFormatError(items[0].line, "mark exactly one of True and False with [x]")
        feedback = {item.text.lower(): item.feedback for item in items}
        return TrueFalseSpec(**common, correct=right[0].text.lower() == "true", feedback_true=feedback["true"],
                             feedback_false=feedback["false"])

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

    def markdown_answer_lines(self, spec: TrueFalseSpec, where: str) -> list[str]:
        return [
            markdown_text.with_feedback(f"- [{'x' if spec.correct else ' '}] True", spec.feedback_true, where),
            markdown_text.with_feedback(f"- [{' ' if spec.correct else 'x'}] False", spec.feedback_false, where),
        ]

    def gift_answer_block(self, spec: TrueFalseSpec) -> str:
        wrong, right = ((spec.feedback_false, spec.feedback_true) if spec.correct
                        else (spec.feedback_true, spec.feedback_false))
        answer = "TRUE" if spec.correct else "FALSE"
        if wrong or right:
            answer += "#" + gift_writing.escape(wrong)
        if right:
            answer += "#" + gift_writing.escape(right)
        return "{" + answer + gift_writing.general_feedback(spec) + "}"

    def response_text(self, spec: TrueFalseSpec, response: dict | None) -> str:
        value = (response or {}).get("value")
        return "" if value is None else ("True" if value in (True, "true", "True", 1) else "False")

    moodle_name = "truefalse"

    def moodle_read(self, question, common: dict) -> TrueFalseSpec:
        answers = {}
        for answer in question.answers(minimum=2):
            word = text_of(answer).lower()
            if word not in ("true", "false") or word in answers:
                raise question.fail(answer, "a true/false question has one answer \"true\" and one \"false\"; "
                                    f"got {text_of(answer)!r}")
            answers[word] = answer
        right = {word: question.fraction(answer, negative=False) for word, answer in answers.items()}
        if sorted(right.values()) != [0.0, 1.0]:
            raise question.fail(answers["true"], "exactly one of true and false must be worth 100%, the other 0%")
        return TrueFalseSpec(**common, correct=right["true"] == 1, feedback_true=question.feedback(answers["true"]),
                             feedback_false=question.feedback(answers["false"]))

    def moodle_elements(self, spec: TrueFalseSpec) -> list[str]:
        return [*moodle_xml.answer_element("true", float(spec.correct), spec.feedback_true, feedback_format=spec.text_format),
                *moodle_xml.answer_element("false", float(not spec.correct), spec.feedback_false,
                                           feedback_format=spec.text_format)]
