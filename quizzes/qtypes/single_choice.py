"""Single choice: one option may be picked; any option worth 100 % is right (Moodle allows several)."""
from __future__ import annotations

from ..domain.grading import Feedback, GradeResult, ResponseError, fraction_result, UNANSWERED_RESULT
from ..domain.spec import SingleChoiceSpec
from .base import response_field
from ..domain.markdown_reading import full_marks
from .choices import NOT_A_CHOICE, ChoiceQuestionType
from .editing import EditorRows
from .ids import PublicIds


class SingleChoice(ChoiceQuestionType):
    name = "single_choice"
    spec_class = SingleChoiceSpec
    label = "Single choice"
    description = "Pick one of several choices."
    moodle_single = True
    editor_form = "SingleChoiceForm"
    editor_rows = EditorRows("ChoiceRowForm", "choices", "Choices", "Give the right choice 100 % (or several: any of "
                             "them is right). Others 0 %, partial credit, or a negative penalty.", "Add a choice", 4)

    def response_from_fields(self, spec, *, prefix, data, ids: PublicIds) -> dict:
        return {"choice": data.get(f"{prefix}-choice") or None}

    def response_to_authored(self, spec, response: dict, ids: PublicIds) -> dict:
        picked = response_field(response, "choice")
        if picked in (None, ""):
            return {"choice": None}
        if not isinstance(picked, str):
            raise ResponseError("'choice' must be a choice id")
        return {"choice": self.to_authored_id(spec, picked, ids)}

    def response_to_public(self, spec, response: dict, ids: PublicIds) -> dict:
        picked = (response or {}).get("choice")
        return {**response, "choice": ids.public(picked)} if isinstance(picked, str) and picked else response

    def picked_ids(self, response: dict) -> set[str]:
        return {response.get("choice")} - {None}

    def picked(self, response: dict) -> list[str]:
        return [response["choice"]] if response.get("choice") else []

    markdown_aliases = ("single choice",)
    markdown_guess_order = 1

    def markdown_guess(self, items: list) -> bool:
        return items[0].kind == "choice" and len(full_marks(items)) == 1

    def ticked_share(self, items: list) -> float:
        return 1.0

    def is_right(self, fraction: float) -> bool:
        return fraction >= 1

    def checkbox(self, spec, fraction: float) -> bool:
        return fraction == 1

    def gift_right(self, fraction: float) -> bool:
        return fraction == 1

    def grade(self, spec: SingleChoiceSpec, response) -> GradeResult:
        picked = response_field(response, "choice")
        if picked is None or picked == "":
            return UNANSWERED_RESULT
        if not isinstance(picked, str):
            raise ResponseError("'choice' must be a choice id")
        choice = next((c for c in spec.choices if c.id == picked), None)
        if choice is None:
            return fraction_result(0.0, [Feedback(picked, NOT_A_CHOICE, False)])
        feedback = [Feedback(choice.id, choice.feedback, choice.fraction >= 1)] if choice.feedback else []
        return fraction_result(choice.fraction, feedback)

    def correct_response(self, spec: SingleChoiceSpec) -> dict:
        return {"choice": next(c.id for c in spec.choices if c.fraction >= 1)}
