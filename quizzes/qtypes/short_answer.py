"""Short answer: typed text compared with accepted answers by `short_answer_matches` (the domain's)."""
from __future__ import annotations

from ..domain import gift_writing, markdown_text
from ..domain import moodle_xml_parts as moodle_xml
from ..domain.moodle_xml_parts import text_of
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
from ..domain.markdown_reading import typed_answers
from ..domain.spec import ShortAnswerSpec, TextAnswer, format_percent
from .base import QuestionType, response_field
from .editing import EditorRows, fraction_or, percent


class ShortAnswer(QuestionType):
    name = "short_answer"
    spec_class = ShortAnswerSpec
    label = "Short answer"
    description = "Type a word or phrase; * matches anything."
    accepts_typed_answers = True
    markdown_name = "short"

    editor_form = "ShortAnswerForm"
    editor_rows = EditorRows("TextAnswerRowForm", "answers", "Accepted answers", "Spaces and case are ignored unless "
                             "you say case matters. A * matches any characters: “soft*max” accepts “softmax” and "
                             "“soft-max”.", "Add an answer", 3)

    def editor_initial(self, spec: dict) -> tuple[dict, list[dict]]:
        rows = [{"text": a["text"], "fraction": percent(a.get("fraction", 1)), "feedback": a.get("feedback", "")}
                for a in spec.get("answers", [])]
        return {"case_sensitive": spec.get("case_sensitive", False)}, rows

    def editor_spec(self, value, rows: list[dict], original: dict, form) -> dict:
        answers = [{"text": (row.get("text") or "").strip(), "fraction": fraction_or(row.get("fraction"), 100),
                    "feedback": row.get("feedback") or ""} for row in rows]
        return {"case_sensitive": bool(value("case_sensitive", False)), "answers": answers}

    markdown_reads = "answer"
    markdown_aliases = ("short answer",)
    markdown_guess_order = 1

    def markdown_guess(self, items: list) -> bool:
        return items[0].kind == "answer"

    def markdown_build(self, question, common: dict, items: list, settings: dict) -> ShortAnswerSpec:
        answers = [TextAnswer(text=item.text, fraction=weight, feedback=item.feedback)
                   for item, weight in typed_answers(items)]
        return ShortAnswerSpec(**common, answers=answers)

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

    def markdown_answer_lines(self, spec: ShortAnswerSpec, where: str) -> list[str]:
        lines = []
        for answer in spec.answers:
            weight = "" if answer.fraction == 1 else f" ({format_percent(answer.fraction)}%)"
            text = markdown_text.item_text(answer.text, f"an answer of {where}", prefix_allowed=True)
            lines.append(markdown_text.with_feedback(f"answer{weight}: {text}", answer.feedback, where))
        return lines

    def gift_answer_block(self, spec: ShortAnswerSpec) -> str:
        lines = []
        for answer in spec.answers:
            if "->" in answer.text:
                raise ValueError(f"GIFT cannot write the short answer {answer.text!r}: it would read as matching")
            weight = gift_writing.weight(answer.fraction) if answer.fraction != 1 or answer.text.startswith("%") else ""
            lines.append(f"={weight}{gift_writing.escape(answer.text)}{gift_writing.feedback(answer.feedback)}")
        return gift_writing.answer_block(spec, lines)

    moodle_name = "shortanswer"

    def moodle_read(self, question, common: dict) -> ShortAnswerSpec:
        answers = [TextAnswer(text=text_of(answer), fraction=question.fraction(answer, negative=False),
                              feedback=question.feedback(answer)) for answer in question.answers()]
        return ShortAnswerSpec(**common, answers=answers, case_sensitive=question.flag("usecase", False))

    def moodle_elements(self, spec: ShortAnswerSpec) -> list[str]:
        lines = [moodle_xml.value_element("usecase", "1" if spec.case_sensitive else "0")]
        for answer in spec.answers:
            lines += moodle_xml.answer_element(answer.text, answer.fraction, answer.feedback, feedback_format=spec.text_format)
        return lines
