"""What every question type provides, in one class per type (Moodle's question/type/<name>/ is the model).

A type owns its spec class (schema and validation), the learner's public view, reading a posted
form, translating ids, grading, the right answer, the page's inputs and review marks, a one-line
summary for authors, statistics hooks and its lines in GIFT and Markdown. The rest of quizzes/
asks `qtype_for(spec)` and never compares type names.
"""
from __future__ import annotations

import random
from typing import Any, ClassVar

from ..domain.grading import GradeResult, ResponseError
from ..domain.spec import QuestionSpec, spec_from_json
from ..domain.spec_base import DEFAULT_PENALTY
from ..domain.statistics import ChoiceCounts, counted_option_frequencies
from .editing import EditorRows, Value
from .ids import PublicIds
from .page_parts import FrequencyRow, QuestionForm, Review

TOP_TYPED_ANSWERS = 5


class QuestionType:
    name: ClassVar[str]
    spec_class: ClassVar[type[QuestionSpec]]
    label: ClassVar[str]
    description: ClassVar[str]
    # Essays: a person's grade is the grade; regrade and overrides keep it.
    graded_by_person: ClassVar[bool] = False
    # Its key is a list of typed answers, so an instructor can accept a learner's response into it.
    accepts_typed_answers: ClassVar[bool] = False
    # Its answer was computed by the lab's model when the version was saved.
    graded_by_model: ClassVar[bool] = False
    # Whether GIFT can express it (a GIFT export leaves the others out and says so).
    in_gift: ClassVar[bool] = True

    # --- spec --------------------------------------------------------------------------------
    def spec(self, spec: QuestionSpec | dict) -> QuestionSpec:
        return spec_from_json(spec) if isinstance(spec, dict) else spec

    def validate(self, spec: QuestionSpec | dict) -> None:
        self.spec(spec).validate()

    # --- the learner's view and answers --------------------------------------------------------
    def public_view(self, spec: QuestionSpec, *, ids: PublicIds, rng: random.Random | None) -> dict:
        """Texts and public ids only: no weights, feedback, answers, title or authored order."""
        view: dict[str, Any] = {"qtype": spec.qtype, "text": spec.text, "text_format": spec.text_format,
                                "default_mark": spec.default_mark}
        view.update(self.public_parts(spec, ids=ids, rng=rng))
        return view

    def public_parts(self, spec: QuestionSpec, *, ids: PublicIds, rng: random.Random | None) -> dict:
        return {}

    def response_from_fields(self, spec: QuestionSpec, *, prefix: str, data, ids: PublicIds) -> dict:
        """The posted fields `<prefix>-…` as a response in public ids."""
        return {"text": data.get(f"{prefix}-text", "")}

    def response_to_authored(self, spec: QuestionSpec, response: dict, ids: PublicIds) -> dict:
        """A response naming public ids, in the spec's ids; ResponseError for an id not offered."""
        return response

    def response_to_public(self, spec: QuestionSpec, response: dict, ids: PublicIds) -> dict:
        return response

    # --- grading -----------------------------------------------------------------------------
    def grade(self, spec: QuestionSpec, response: dict | None) -> GradeResult:
        raise NotImplementedError

    def correct_response(self, spec: QuestionSpec) -> dict | None:
        return None

    # --- page data ---------------------------------------------------------------------------
    def question_form(self, spec: QuestionSpec, public: dict, response: dict, ids: PublicIds) -> QuestionForm:
        return QuestionForm(kind="text", text=str(response.get("text") or ""))

    def mark_correctness(self, form: QuestionForm, spec: QuestionSpec, feedback: list[dict]) -> None:
        """Review: mark the learner's picks right, partly right or wrong."""

    def mark_right_answer(self, form: QuestionForm, review: Review, spec: QuestionSpec) -> None:
        """Review: show which answer was right."""
        right = self.correct_response(spec)
        if right is not None:
            review.right_answer = str(right.get("text") or right.get("value") or "")

    # Choice feedback sits under its option; the others' feedback goes below the question.
    feedback_on_options: ClassVar[bool] = False

    def right_answer_summary(self, spec: QuestionSpec) -> str:
        """One line for the author under the preview: what earns full marks."""
        right = self.correct_response(spec)
        return str(right.get("text") or right.get("value") or "") if right else ""

    def response_text(self, spec: QuestionSpec, response: dict | None) -> str:
        """A stored response as a person reads it in reports and exports ("" when unanswered)."""
        if not response:
            return ""
        for key in ("text", "value", "token"):
            if response.get(key) is not None:
                return str(response[key])
        return ""

    # --- statistics ---------------------------------------------------------------------------
    def choice_options(self, spec: QuestionSpec) -> list[tuple[str, str, float]] | None:
        """(authored id, text, fraction) of each option a learner picks from; None: not a choice type."""
        return None

    def picked(self, response: dict) -> list[str]:
        """The authored ids a stored response picked (for choice frequencies)."""
        return []

    def typed_text(self, response: dict) -> str | None:
        """What the learner typed, for the responses report; None: not a typed answer."""
        return None

    def choice_frequencies(self, spec: QuestionSpec, responses: list[dict | None]) -> list[ChoiceCounts]:
        """How often each option was picked, in the spec's order; [] for types without options."""
        return self.counted_choice_frequencies(spec, [(response, 1) for response in responses])

    def counted_choice_frequencies(self, spec: QuestionSpec, responses: list[tuple[dict | None, int]]) -> list[ChoiceCounts]:
        """choice_frequencies from (response, how many learners gave it) pairs."""
        options = self.choice_options(spec)
        if options is None:
            return []
        picks = [(picked, count) for picked, count in ((self.picked(r), count) for r, count in responses if r) if picked]
        return counted_option_frequencies(options, picks)

    def frequency_rows(self, spec: QuestionSpec, responses: list[tuple[dict, int]]) -> list[FrequencyRow]:
        """The statistics page's rows: options with how often each was picked, or the top typed answers.
        `responses` are (response, how many learners gave it) pairs, so the cost follows the distinct ones."""
        if self.choice_options(spec) is not None:
            return [FrequencyRow(label=c.text, count=c.count, percent=100 * c.share, right=c.fraction > 0)
                    for c in self.counted_choice_frequencies(spec, responses)]
        typed: dict[str, tuple[str, int]] = {}
        answered = 0
        for response, times in responses:
            raw = " ".join((self.typed_text(response) or "").split())
            if not raw:
                continue
            answered += times
            shown, count = typed.get(raw.casefold(), (raw, 0))
            typed[raw.casefold()] = (shown, count + times)
        rows = []
        for shown, count in sorted(typed.values(), key=lambda item: (-item[1], item[0]))[:TOP_TYPED_ANSWERS]:
            right = (self.grade(spec, self.typed_response(shown)).fraction or 0) >= 1 - 1e-9
            rows.append(FrequencyRow(label=shown, count=count, percent=100 * count / answered, right=right))
        return rows

    def typed_response(self, text: str) -> dict:
        """A response holding `text` as typed (to grade a frequent typed answer)."""
        return {"text": text}

    def response_group_key(self, spec: QuestionSpec, text: str) -> str:
        """Responses with the same key mean the same (the responses report groups them)."""
        return " ".join(text.casefold().split())

    def accepted_answer(self, spec: QuestionSpec, typed: str) -> dict | None:
        """The answer entry (spec JSON) that accepts `typed` at 100 %, for the responses report's
        "accept" button; None: this type has no list of typed answers. ValueError if `typed` can't be one."""
        return None

    # --- the editor ----------------------------------------------------------------------------
    editor_form: ClassVar[str]  # the main form's class name in quizzes.forms
    editor_rows: ClassVar[EditorRows | None] = None

    def editor_initial(self, spec: dict) -> tuple[dict, list[dict]]:
        """This type's initial values of the main form, and its answer rows, for a stored spec."""
        return {}, []

    def editor_spec(self, value: Value, rows: list[dict], original: dict, form) -> dict:
        """This type's spec fields from the editor's cleaned main form (`value`) and filled-in rows."""
        return {}

    # --- text formats ------------------------------------------------------------------------
    gift_penalty: ClassVar[float] = DEFAULT_PENALTY  # the penalty Moodle's GIFT importer gives this type

    def gift_answer_block(self, spec: QuestionSpec) -> str:
        """The `{…}` block of the question in GIFT; ValueError for what GIFT cannot express."""
        raise ValueError(f"GIFT cannot express the {self.label} question {spec.title!r}")

    def markdown_answer_lines(self, spec: QuestionSpec, where: str) -> list[str]:
        """The lines after the question's text in the Markdown format; ValueError for what it cannot hold."""
        return []

    # What follows the text in Markdown: "choice", "answer" or "pair" lines, "settings" lines, or None.
    markdown_reads: ClassVar[str | None] = None
    markdown_aliases: ClassVar[tuple[str, ...]] = ()  # more words `type:` accepts
    # Without `type:` the first type (lowest order) whose `markdown_guess` accepts the lines is taken.
    markdown_guess_order: ClassVar[int | None] = None

    def markdown_guess(self, items: list) -> bool:
        return False

    def markdown_build(self, question, common: dict, items: list, settings: dict) -> QuestionSpec:
        """The spec from the question's common fields and its answer lines (markdown_reading.Item)."""
        return self.spec_class(**common)

    def markdown_check_text(self, text_lines: list[str], where: str) -> None:
        """Refuse question text with a line this type's own lines would be confused with."""

    def markdown_sections(self, spec: QuestionSpec) -> list[tuple[str, str]]:
        """This type's own `> name: text` notes, besides general feedback and explanation."""
        return []

    # --- Moodle XML (quizzes.domain.moodle_xml_reading / _writing write the frame) ---------------------
    moodle_name: ClassVar[str | None] = None  # the type="…" of its <question>; None: Moodle XML cannot hold it

    def moodle_accepts(self, question) -> bool:
        """Whether a <question> of this type's Moodle name is this type (multichoice: single or not)."""
        return True

    def moodle_read(self, question, common: dict) -> QuestionSpec:
        """The spec from the common fields and this type's own elements (a moodle_xml_reading.MoodleQuestion)."""
        return self.spec_class(**common)

    def moodle_elements(self, spec: QuestionSpec) -> list[str]:
        """This type's own elements inside its <question>, as lines (moodle_xml_writing's helpers)."""
        return []


def response_field(response: Any, key: str) -> Any:
    if response is None:
        return None
    if not isinstance(response, dict):
        raise ResponseError(f"a response must be an object, got {type(response).__name__}")
    return response.get(key)
