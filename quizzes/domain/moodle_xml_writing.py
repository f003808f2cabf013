"""Moodle XML out: `write_moodle_xml` writes specs as a file Moodle's "Moodle XML format" import reads,
and `parse_moodle_xml` reads back to equal specs.

This module writes the frame (categories, name, text, feedback, mark, penalty, hints, tags); each
question type writes its own elements (`moodle_elements` in quizzes.qtypes, with moodle_xml_parts). A
type Moodle XML cannot hold (an attention question) is left out, and a comment at the top says so.
"""
from __future__ import annotations

from collections.abc import Iterable

from .moodle_xml_parts import INDENT, text_element, value_element
from .spec import ParsedQuestion, QuestionSpec

def write_moodle_xml(questions: Iterable[QuestionSpec | ParsedQuestion]) -> str:
    """A whole Moodle XML file: every question it can hold, a category question where the category
    changes, and a comment at the top naming the questions left out."""
    body, left_out = [], []
    category: str | None = None
    for question in questions:
        spec = question.spec if isinstance(question, ParsedQuestion) else question
        qtype = _qtype(spec)
        if not qtype.moodle_name:
            left_out.append(f"  - {' '.join(spec.title.split())}: Moodle XML cannot hold a {qtype.label} question")
            continue
        if spec.category != category:  # an empty one after a named one: back to no category (the default)
            body += [f'{INDENT}<question type="category">', *text_element("category", spec.category or ""),
                     f"{INDENT}</question>"]
        category = spec.category
        body += _question(spec, qtype)
    header = ['<?xml version="1.0" encoding="UTF-8"?>']
    if left_out:
        notes = "\n".join(left_out).replace("--", "- -")  # "--" cannot appear inside an XML comment
        header.append(f"<!-- Left out of this file: {len(left_out)} question(s) Moodle XML cannot hold.\n{notes}\n-->")
    return "\n".join([*header, "<quiz>", *body, "</quiz>"]) + "\n"


def _question(spec: QuestionSpec, qtype) -> list[str]:
    lines = [f'{INDENT}<question type="{qtype.moodle_name}">', *text_element("name", spec.title),
             *text_element("questiontext", spec.text, spec.text_format),
             *text_element("generalfeedback", spec.general_feedback, spec.text_format),
             value_element("defaultgrade", spec.default_mark), value_element("penalty", spec.penalty),
             value_element("hidden", "0")]
    if spec.explanation:  # ours alone; Moodle ignores elements it does not know
        lines += text_element("attentive_explanation", spec.explanation, "markdown")
    lines += qtype.moodle_elements(spec)
    for hint in spec.hints:
        lines += text_element("hint", hint, "markdown")
    if spec.tags:
        lines += [f"{INDENT * 2}<tags>", *(line for tag in spec.tags for line in text_element("tag", tag, depth=3)),
                  f"{INDENT * 2}</tags>"]
    return [*lines, f"{INDENT}</question>"]


def _qtype(spec: QuestionSpec):
    # Imported when writing, not with this module: the question types import the domain.
    from ..qtypes.registry import qtype_for

    return qtype_for(spec)
