"""Multiple response: any set of options; picked weights add up, floored at 0 and capped at 100 %."""
from __future__ import annotations

from ..domain.grading import Feedback, GradeResult, ResponseError, fraction_result, UNANSWERED_RESULT
from ..domain.markdown_reading import QuizFormatError, choice_marks
from ..domain.spec import MultipleResponseSpec, round_fraction
from .base import response_field
from .choices import NOT_A_CHOICE, ChoiceQuestionType, equal_shares
from .editing import EditorRows
from .ids import PublicIds


class MultipleResponse(ChoiceQuestionType):
    name = "multiple_response"
    spec_class = MultipleResponseSpec
    label = "Multiple response"
    description = "Pick any number of choices; weights add up."
    moodle_single = False
    editor_form = "MultipleResponseForm"
    editor_rows = EditorRows("ChoiceRowForm", "choices", "Choices", "Right choices share 100 % (e.g. 50 % + 50 %); "
                             "wrong ones may take marks away (e.g. −50 %).", "Add a choice", 4)
    form_kind = "multi"

    def response_from_fields(self, spec, *, prefix, data, ids: PublicIds) -> dict:
        return {"choices": [value for value in data.getlist(f"{prefix}-choice") if value]}

    def response_to_authored(self, spec, response: dict, ids: PublicIds) -> dict:
        picked = response_field(response, "choices")
        if picked is None:
            return {"choices": []}
        if not isinstance(picked, list) or not all(isinstance(p, str) for p in picked):
            raise ResponseError("'choices' must be a list of choice ids")
        return {"choices": [self.to_authored_id(spec, p, ids) for p in picked]}

    def response_to_public(self, spec, response: dict, ids: PublicIds) -> dict:
        picked = (response or {}).get("choices")
        if not isinstance(picked, list):
            return response
        return {**response, "choices": [ids.public(p) for p in picked if isinstance(p, str)]}

    def picked_ids(self, response: dict) -> set[str]:
        return set(response.get("choices") or [])

    def picked(self, response: dict) -> list[str]:
        return list(response.get("choices") or [])

    markdown_aliases = ("multiple response",)
    markdown_guess_order = 2

    def markdown_guess(self, items: list) -> bool:
        return items[0].kind == "choice"

    def ticked_share(self, items: list) -> float:
        marks = choice_marks(items)
        ticked = marks.count("x")
        if ticked and any(m.endswith("%") and float(m[:-1]) > 0 for m in marks):
            raise QuizFormatError(items[marks.index("x")].line, "in a multiple-response question the [x] choices "
                                  "share 100%; give either every right choice [x] or every one a percentage, not a mix")
        return round_fraction(1 / ticked) if ticked else 0.0

    def verdict(self, fraction: float) -> str:
        return "correct" if fraction > 0 else "incorrect"

    def is_right(self, fraction: float) -> bool:
        return fraction > 0

    def checkbox(self, spec, fraction: float) -> bool:
        return fraction > 0 and equal_shares(spec)

    def grade(self, spec: MultipleResponseSpec, response) -> GradeResult:
        picked = response_field(response, "choices")
        if picked is None:
            return UNANSWERED_RESULT
        if not isinstance(picked, list) or not all(isinstance(p, str) for p in picked):
            raise ResponseError("'choices' must be a list of choice ids")
        if not picked:
            return UNANSWERED_RESULT
        by_id = {c.id: c for c in spec.choices}
        total, feedback = 0.0, []
        for choice_id in dict.fromkeys(picked):  # a choice picked twice counts once
            choice = by_id.get(choice_id)
            if choice is None:
                feedback.append(Feedback(choice_id, NOT_A_CHOICE, False))
                continue
            total += choice.fraction
            if choice.feedback:
                feedback.append(Feedback(choice.id, choice.feedback, choice.fraction > 0))
        return fraction_result(total, feedback)

    def correct_response(self, spec: MultipleResponseSpec) -> dict:
        return {"choices": [c.id for c in spec.choices if c.fraction > 0]}
