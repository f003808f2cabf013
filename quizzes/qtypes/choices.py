"""What single choice and multiple response share: options with authored ids shown under public ids,
shuffled per attempt where the spec and the quiz allow it."""
from __future__ import annotations

import random

from ..domain import gift_writing, markdown_text
from ..domain import moodle_xml_parts as moodle_xml
from ..domain.moodle_xml_parts import text_of
from ..domain.markdown_reading import QuizFormatError, choice_marks, fraction, split_format
from ..domain.spec import Choice, choice_id
from ..domain.grading import ResponseError
from ..domain.spec import QuestionSpec, round_fraction
from ..rendering import render_text
from .base import QuestionType
from .editing import fresh_id, part_format, percent
from .ids import PublicIds
from .page_parts import Option, QuestionForm, Review

NOT_A_CHOICE = "This is not one of the choices."


class ChoiceQuestionType(QuestionType):
    form_kind = "choice"
    feedback_on_options = True
    markdown_reads = "choice"

    def markdown_build(self, question, common: dict, items: list, settings: dict) -> QuestionSpec:
        marks = choice_marks(items)
        choices = []
        for index, (item, mark) in enumerate(zip(items, marks)):
            weight = self.ticked_share(items) if mark == "x" else 0.0 if mark == " " else fraction(mark[:-1])
            text_format, text = split_format(item.text)
            if not text:
                raise QuizFormatError(item.line, "a choice needs text after its box")
            choices.append(Choice(id=choice_id(index), text=text, fraction=weight, feedback=item.feedback,
                                  text_format=text_format))
        return self.spec_class(**common, choices=choices)

    def ticked_share(self, items: list) -> float:
        """The weight of a `[x]` choice."""
        raise NotImplementedError

    def public_parts(self, spec: QuestionSpec, *, ids: PublicIds, rng: random.Random | None) -> dict:
        choices = [{"id": ids.public(c.id), "text": c.text, "text_format": c.text_format or spec.text_format}
                   for c in spec.choices]
        if rng is not None and spec.shuffle:
            rng.shuffle(choices)
        return {"choices": choices}

    def to_authored_id(self, spec: QuestionSpec, public: str, ids: PublicIds) -> str:
        authored = ids.authored(public, (c.id for c in spec.choices))
        if authored is None:
            raise ResponseError(f"{public!r} is not one of this question's choices")
        return authored

    def picked_ids(self, response: dict) -> set[str]:
        raise NotImplementedError

    def question_form(self, spec: QuestionSpec, public: dict, response: dict, ids: PublicIds) -> QuestionForm:
        picked = self.picked_ids(response)
        authored_of = {ids.public(c.id): c.id for c in spec.choices}  # for the server's review marks
        options = [Option(value=c["id"], label=c["text"], label_html=render_text(c["text"], c.get("text_format")),
                          authored=authored_of.get(c["id"], ""), checked=authored_of.get(c["id"]) in picked)
                   for c in public["choices"]]
        return QuestionForm(kind=self.form_kind, options=options)

    def verdict(self, fraction: float) -> str:
        return "correct" if fraction >= 1 - 1e-6 else "partial" if fraction > 0 else "incorrect"

    def mark_correctness(self, form: QuestionForm, spec: QuestionSpec, feedback: list[dict]) -> None:
        weights = {c.id: c.fraction for c in spec.choices}
        for option in form.options:
            if option.checked:
                option.verdict = self.verdict(weights.get(option.authored, 0.0))

    def mark_right_answer(self, form: QuestionForm, review: Review, spec: QuestionSpec) -> None:
        right = {c.id for c in spec.choices if self.is_right(c.fraction)}
        for option in form.options:
            option.right = option.authored in right

    def is_right(self, fraction: float) -> bool:
        raise NotImplementedError

    def right_answer_summary(self, spec: QuestionSpec) -> str:
        return "; ".join(c.text for c in spec.choices if self.is_right(c.fraction))

    def choice_options(self, spec: QuestionSpec) -> list[tuple[str, str, float]]:
        return [(c.id, c.text, c.fraction) for c in spec.choices]

    def checkbox(self, spec: QuestionSpec, fraction: float) -> bool:
        """Whether Markdown writes this weight as a plain `[x]`."""
        raise NotImplementedError

    def markdown_answer_lines(self, spec: QuestionSpec, where: str) -> list[str]:
        lines = []
        for choice in spec.choices:
            box = "[ ]" if choice.fraction == 0 else "[x]" if self.checkbox(spec, choice.fraction) \
                else markdown_text.mark(choice.fraction)
            text_format = f"[{choice.text_format}]" if choice.text_format else ""
            text = markdown_text.item_text(choice.text, f"a choice of {where}")
            lines.append(markdown_text.with_feedback(f"- {box} {text_format}{text}", choice.feedback, where))
        return lines

    def gift_answer_block(self, spec: QuestionSpec) -> str:
        lines = []
        for choice in spec.choices:
            if self.gift_right(choice.fraction):
                marker, weight = "=", ""
            else:
                marker, weight = "~", gift_writing.weight(choice.fraction) if choice.fraction else ""
            if not weight and choice.text.startswith("%"):
                weight = gift_writing.weight(choice.fraction)  # or the text would read as a weight
            text_format = f"[{choice.text_format}]" if choice.text_format else ""
            lines.append(f"{marker}{weight}{text_format}{gift_writing.escape(choice.text)}{gift_writing.feedback(choice.feedback)}")
        return gift_writing.answer_block(spec, lines)

    def editor_initial(self, spec: dict) -> tuple[dict, list[dict]]:
        rows = [{"id": c["id"], "text": c["text"], "fraction": percent(c.get("fraction", 0)), "feedback": c.get("feedback", "")}
                for c in spec.get("choices", [])]
        return {"shuffle": spec.get("shuffle", True)}, rows

    def editor_spec(self, value, rows: list[dict], original: dict, form) -> dict:
        used = {row.get("id") for row in rows if row.get("id")}
        choices = [{"id": row.get("id") or fresh_id(used), "text": (row.get("text") or "").strip(),
                    "text_format": part_format(original, "choices", row.get("id")),
                    "fraction": (row.get("fraction") or 0) / 100, "feedback": row.get("feedback") or ""}
                   for row in rows]
        return {"shuffle": bool(value("shuffle", False)), "choices": choices}

    def response_text(self, spec: QuestionSpec, response: dict | None) -> str:
        texts = {c.id: c.text for c in spec.choices}
        return "; ".join(texts.get(picked, picked) for picked in self.picked(response or {}))

    def gift_right(self, fraction: float) -> bool:
        """Whether GIFT writes this choice as `=` (a full-credit answer of a single choice)."""
        return False

    # Moodle's multichoice holds both choice types; <single> says which.
    moodle_name = "multichoice"
    moodle_single: bool

    def moodle_accepts(self, question) -> bool:
        return question.flag("single", True) == self.moodle_single

    def moodle_read(self, question, common: dict) -> QuestionSpec:
        choices = [Choice(id=choice_id(index), text=text_of(answer), fraction=question.fraction(answer),
                          feedback=question.feedback(answer), text_format=question.part_format(answer))
                   for index, answer in enumerate(question.answers(minimum=2))]
        return self.spec_class(**common, choices=choices, shuffle=question.flag("shuffleanswers", True))

    def moodle_elements(self, spec: QuestionSpec) -> list[str]:
        lines = [moodle_xml.value_element("single", self.moodle_single),
                 moodle_xml.value_element("shuffleanswers", spec.shuffle), moodle_xml.value_element("answernumbering", "abc")]
        for choice in spec.choices:
            lines += moodle_xml.answer_element(choice.text, choice.fraction, choice.feedback,
                                               text_format=choice.text_format or spec.text_format,
                                               feedback_format=spec.text_format)
        return lines


def equal_shares(spec: QuestionSpec) -> bool:
    """In a multiple-response question `[x]` means "an equal share of 100 %": true when that is exact."""
    positive = [c.fraction for c in spec.choices if c.fraction > 0]
    return bool(positive) and all(f == round_fraction(1 / len(positive)) for f in positive)
