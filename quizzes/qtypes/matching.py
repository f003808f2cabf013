"""Matching: left items matched to right items (distractors among them); each right pair earns a share.

Authored right ids are a hash of the text (`right_item_id`), so their order says nothing; in an
attempt both left and right ids are public ids of that attempt.
"""
from __future__ import annotations

import random

from django.utils.html import escape

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
    right_item_id,
)
from ..domain.markdown_reading import QuizFormatError, split_format
from ..domain.spec import MatchingSpec, MatchPair, choice_id
from ..rendering import render_text
from .base import QuestionType, response_field
from .editing import EditorRows, fresh_id, part_format
from .ids import PublicIds
from .page_parts import FrequencyRow, Option, QuestionForm, Review, Stem


def _right_texts(spec: MatchingSpec) -> list[str]:
    return list({normalise_text(t): t for t in [p.right for p in spec.pairs] + spec.distractors}.values())


class Matching(QuestionType):
    name = "matching"
    spec_class = MatchingSpec
    label = "Matching"
    description = "Match each item on the left to one on the right."
    editor_form = "MatchingForm"
    editor_rows = EditorRows("MatchPairRowForm", "pairs", "Pairs", "Students see the items in this order and pick the "
                             "match from a shuffled list.", "Add a pair", 3)

    def editor_initial(self, spec: dict) -> tuple[dict, list[dict]]:
        rows = [{"id": p["id"], "left": p["left"], "right": p["right"]} for p in spec.get("pairs", [])]
        return {"distractors": "\n".join(spec.get("distractors", []))}, rows

    def editor_spec(self, value, rows: list[dict], original: dict, form) -> dict:
        used = {row.get("id") for row in rows if row.get("id")}
        pairs = [{"id": row.get("id") or fresh_id(used), "left": (row.get("left") or "").strip(),
                  "right": (row.get("right") or "").strip(), "text_format": part_format(original, "pairs", row.get("id"))}
                 for row in rows]
        distractors = [line.strip() for line in (value("distractors", "") or "").splitlines() if line.strip()]
        return {"pairs": pairs, "distractors": distractors}

    markdown_reads = "pair"
    markdown_guess_order = 0

    def markdown_guess(self, items: list) -> bool:
        return items[0].kind == "pair"

    def markdown_build(self, question, common: dict, items: list, settings: dict) -> MatchingSpec:
        pairs, distractors = [], []
        for item in items:
            text_format, left = split_format(item.match["left"])
            if item.feedback:
                raise QuizFormatError(item.line, "matching pairs take no feedback")
            if left:
                pairs.append(MatchPair(id=choice_id(len(pairs)), left=left, right=item.text, text_format=text_format))
            else:
                distractors.append(item.text)
        return MatchingSpec(**common, pairs=pairs, distractors=distractors)

    def public_parts(self, spec: MatchingSpec, *, ids: PublicIds, rng: random.Random | None) -> dict:
        right = sorted(({"id": ids.public(right_item_id(t)), "text": t} for t in _right_texts(spec)),
                       key=lambda r: r["text"])
        if rng is not None:
            rng.shuffle(right)
        left = [{"id": ids.public(p.id), "text": p.left, "text_format": p.text_format or spec.text_format}
                for p in spec.pairs]
        return {"left": left, "right": right}

    def response_from_fields(self, spec: MatchingSpec, *, prefix, data, ids: PublicIds) -> dict:
        return {"pairs": {ids.public(p.id): data.get(f"{prefix}-match-{ids.public(p.id)}") or None
                          for p in spec.pairs}}

    def response_to_authored(self, spec: MatchingSpec, response: dict, ids: PublicIds) -> dict:
        pairs = response_field(response, "pairs")
        if pairs is None:
            return {"pairs": {}}
        if not isinstance(pairs, dict) or not all(isinstance(v, (str, type(None))) for v in pairs.values()):
            raise ResponseError("'pairs' must map left ids to right ids")
        rights = [right_item_id(t) for t in _right_texts(spec)]
        out = {}
        for left, right in pairs.items():
            left_id = ids.authored(left, (p.id for p in spec.pairs))
            right_id = ids.authored(right, rights) if right else None
            if left_id is None or (right and right_id is None):
                raise ResponseError(f"{left!r} → {right!r} is not one of this question's items")
            out[left_id] = right_id
        return {"pairs": out}

    def response_to_public(self, spec: MatchingSpec, response: dict, ids: PublicIds) -> dict:
        pairs = (response or {}).get("pairs")
        if not isinstance(pairs, dict):
            return response
        return {**response, "pairs": {ids.public(k): ids.public(v) if isinstance(v, str) else v
                                      for k, v in pairs.items()}}

    def grade(self, spec: MatchingSpec, response) -> GradeResult:
        pairs = response_field(response, "pairs")
        if pairs is None:
            return UNANSWERED_RESULT
        if not isinstance(pairs, dict) or not all(isinstance(v, (str, type(None))) for v in pairs.values()):
            raise ResponseError("'pairs' must map left ids to right ids")
        if not any(pairs.get(p.id) for p in spec.pairs):
            return UNANSWERED_RESULT
        feedback, right = [], 0
        for pair in spec.pairs:
            ok = pairs.get(pair.id) == right_item_id(pair.right)
            right += ok
            feedback.append(Feedback(pair.id, "", ok))
        return fraction_result(right / len(spec.pairs), feedback)

    def correct_response(self, spec: MatchingSpec) -> dict:
        return {"pairs": {p.id: right_item_id(p.right) for p in spec.pairs}}

    def question_form(self, spec: MatchingSpec, public: dict, response: dict, ids: PublicIds) -> QuestionForm:
        pairs = response.get("pairs") or {}
        options = [Option(value=r["id"], label=r["text"], label_html=escape(r["text"])) for r in public["right"]]
        left_of = {ids.public(p.id): p.id for p in spec.pairs}
        stems = []
        for left in public["left"]:
            authored = left_of.get(left["id"], "")
            picked = pairs.get(authored)
            stems.append(Stem(value=left["id"], label_html=render_text(left["text"], left.get("text_format")),
                              selected=ids.public(picked) if picked else None, authored=authored))
        return QuestionForm(kind="matching", options=options, stems=stems)

    def mark_correctness(self, form: QuestionForm, spec: MatchingSpec, feedback: list[dict]) -> None:
        verdicts = {f.get("part"): f.get("correct") for f in feedback}
        for stem in form.stems:
            stem.correct = verdicts.get(stem.authored) if stem.selected else None

    def mark_right_answer(self, form: QuestionForm, review: Review, spec: MatchingSpec) -> None:
        right_of = {p.id: p.right for p in spec.pairs}
        for stem in form.stems:
            stem.right = right_of.get(stem.authored, "")

    def right_answer_summary(self, spec: MatchingSpec) -> str:
        return "; ".join(f"{p.left} → {p.right}" for p in spec.pairs)

    def frequency_rows(self, spec: MatchingSpec, responses: list[tuple[dict, int]]) -> list[FrequencyRow]:
        """Per left-hand item, the share of answers that matched it right (wrong picks are spread too thin to list)."""
        answered = [(r.get("pairs") or {}, times) for r, times in responses if r.get("pairs")]
        total = sum(times for _, times in answered)
        rows = []
        for pair in spec.pairs:
            right = right_item_id(pair.right)
            count = sum(times for picks, times in answered if picks.get(pair.id) == right)
            rows.append(FrequencyRow(label=f"{pair.left} → {pair.right}", count=count,
                                     percent=100 * count / total if total else 0.0, right=True))
        return rows

    def markdown_answer_lines(self, spec: MatchingSpec, where: str) -> list[str]:
        lines = []
        for pair in spec.pairs:
            left = markdown_text.item_text(pair.left, f"a left-hand item of {where}")
            right = markdown_text.item_text(pair.right, f"a right-hand item of {where}", prefix_allowed=True)
            if "=>" in left or markdown_text.CHOICE.match(f"- {left}"):
                raise ValueError(f"the left-hand item {left!r} of {where} cannot be written: it contains '=>' "
                                 "or looks like a choice box")
            text_format = f"[{pair.text_format}]" if pair.text_format else ""
            lines.append(f"- {text_format}{left} => {right}")
        for distractor in spec.distractors:
            text = markdown_text.item_text(distractor, f"a distractor of {where}", prefix_allowed=True)
            lines.append(f"- => {text}")
        return lines

    def gift_answer_block(self, spec: MatchingSpec) -> str:
        lines = []
        for pair in spec.pairs:
            if "->" in pair.left:
                raise ValueError(f"GIFT cannot write the matching item {pair.left!r}: it contains '->'")
            text_format = f"[{pair.text_format}]" if pair.text_format else ""
            lines.append(f"={text_format}{gift_writing.escape(pair.left)} -> {gift_writing.escape(pair.right)}")
        lines.extend(f"= -> {gift_writing.escape(distractor)}" for distractor in spec.distractors)
        return gift_writing.answer_block(spec, lines)

    def response_text(self, spec: MatchingSpec, response: dict | None) -> str:
        rights = {right_item_id(text): text for text in _right_texts(spec)}
        lefts = {pair.id: pair.left for pair in spec.pairs}
        pairs = (response or {}).get("pairs") or {}
        return "; ".join(f"{lefts.get(left, left)} → {rights.get(right, '—')}" for left, right in pairs.items() if right)

    moodle_name = "matching"

    def moodle_read(self, question, common: dict) -> MatchingSpec:
        pairs, distractors = [], []
        for sub in question.node.all("subquestion"):
            right = text_of(sub.first("answer"))
            if not right:
                raise question.fail(sub, "a <subquestion> needs an <answer> with text (the right-hand item)")
            if text_of(sub):
                pairs.append(MatchPair(id=choice_id(len(pairs)), left=text_of(sub), right=right,
                                       text_format=question.part_format(sub)))
            else:  # Moodle's way of writing an extra right-hand item
                distractors.append(right)
        return MatchingSpec(**common, pairs=pairs, distractors=distractors)

    def moodle_elements(self, spec: MatchingSpec) -> list[str]:
        lines = [moodle_xml.value_element("shuffleanswers", True)]
        items = [(p.left, p.right, p.text_format or spec.text_format) for p in spec.pairs]
        for left, right, text_format in items + [("", d, spec.text_format) for d in spec.distractors]:
            lines += [*moodle_xml.text_element("subquestion", left, text_format)[:-1],
                      *moodle_xml.text_element("answer", right, depth=3), f"{moodle_xml.INDENT * 2}</subquestion>"]
        return lines
