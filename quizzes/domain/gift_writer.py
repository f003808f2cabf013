"""Writing specs as GIFT text that Moodle imports and `parse_gift` reads back to equal specs."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable

from .spec import (
    BLANK,
    TEXT_FORMATS,
    EssaySpec,
    MatchingSpec,
    MultipleResponseSpec,
    NumericSpec,
    ParsedQuestion,
    QuestionSpec,
    ShortAnswerSpec,
    SingleChoiceSpec,
    TrueFalseSpec,
    format_number,
    format_percent,
)

# Spec fields GIFT has no syntax for, kept in a `// @attentive {...}` comment, with their defaults.
EXTENSION_FIELDS = {"explanation": "", "default_mark": 1.0, "case_sensitive": False, "shuffle": True,
                    "grader_info": ""}
_SPECIAL = "~=#{}:"
_LOOKS_LIKE_FORMAT = re.compile(r"\s*\[(" + "|".join(TEXT_FORMATS) + r")\]")


def write_gift(questions: Iterable[QuestionSpec | ParsedQuestion]) -> str:
    """GIFT text for the questions, one block each, with `$CATEGORY:` lines where the category changes.

    Raises ValueError for the few things GIFT cannot write (a matching left side containing '->').
    """
    chunks: list[str] = []
    category: str | None = None
    for question in questions:
        spec = question.spec if isinstance(question, ParsedQuestion) else question
        if spec.qtype == "attention_token":
            # Written as a plain single choice it would lose the sentence, head and stored row,
            # and come back as a different question; refusing keeps export lossless.
            raise ValueError(f"GIFT cannot express the attention question {spec.title!r} (a token picked "
                             "in a sentence, graded from the model); export the quiz as Markdown instead")
        if spec.category != category:
            chunks.append(f"$CATEGORY: {spec.category or ''}".rstrip())
            category = spec.category
        chunks.append(_question(spec))
    return "\n\n".join(chunks) + "\n" if chunks else ""


def write_gift_file(questions: Iterable[QuestionSpec | ParsedQuestion]) -> str:
    """A whole .gift file: every question GIFT can express, and a header comment naming those left out
    (an attention question, a matching item containing '->'), so a download is always a GIFT file."""
    written, left_out = [], []
    for question in questions:
        spec = question.spec if isinstance(question, ParsedQuestion) else question
        try:
            write_gift([spec])
        except ValueError as error:
            left_out.append(f"// - {' '.join(spec.title.split())}: {' '.join(str(error).split())}")
            continue
        written.append(spec)
    header = []
    if left_out:
        header = [f"// Left out of this file: {len(left_out)} question(s) GIFT cannot express.", *left_out, ""]
    return "\n".join(header) + write_gift(written)


def _escape(text: str) -> str:
    out = []
    for i, char in enumerate(text):
        if char == "\\":
            following = text[i + 1: i + 2]
            # A backslash is only doubled where it would otherwise start an escape (so `\sqrt` stays readable).
            out.append("\\\\" if following in ("", "\\", "n", "\n") or following in _SPECIAL else "\\")
        elif char in _SPECIAL:
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        else:
            out.append(char)
    return "".join(out)


def _feedback(text: str) -> str:
    return "#" + _escape(text) if text else ""


def _weight(fraction: float) -> str:
    return f"%{format_percent(fraction)}%"


def _question(spec: QuestionSpec) -> str:
    lines = []
    extras = {name: getattr(spec, name) for name, default in EXTENSION_FIELDS.items()
              if hasattr(spec, name) and getattr(spec, name) != default}
    if extras:
        lines.append("// @attentive " + json.dumps(extras, ensure_ascii=False, sort_keys=True))
    prefix = f"[{spec.text_format}]" if spec.text_format != "moodle" or _LOOKS_LIKE_FORMAT.match(spec.text) else ""
    before, after = spec.text, ""
    if BLANK in spec.text and not spec.text.endswith(BLANK):
        before, after = spec.text.split(BLANK, 1)
    block = _answer_block(spec)
    lines.append(f"::{_escape(spec.title)}::{prefix}{_escape(before)}{block}{_escape(after)}")
    return "\n".join(lines)


def _answer_block(spec: QuestionSpec) -> str:
    general = "####" + _escape(spec.general_feedback) if spec.general_feedback else ""
    if isinstance(spec, EssaySpec):
        return "{" + general + "}"
    if isinstance(spec, TrueFalseSpec):
        wrong, right = ((spec.feedback_false, spec.feedback_true) if spec.correct
                        else (spec.feedback_true, spec.feedback_false))
        answer = "TRUE" if spec.correct else "FALSE"
        if wrong or right:
            answer += "#" + _escape(wrong)
        if right:
            answer += "#" + _escape(right)
        return "{" + answer + general + "}"
    lines = _answer_lines(spec)
    if general:
        lines.append(general)
    opening = "{#" if isinstance(spec, NumericSpec) else "{"
    return opening + "\n" + "\n".join("\t" + line for line in lines) + "\n}"


def _answer_lines(spec: QuestionSpec) -> list[str]:
    if isinstance(spec, (SingleChoiceSpec, MultipleResponseSpec)):
        lines = []
        for choice in spec.choices:
            if isinstance(spec, SingleChoiceSpec) and choice.fraction == 1:
                marker, weight = "=", ""
            else:
                marker, weight = "~", _weight(choice.fraction) if choice.fraction else ""
            if not weight and choice.text.startswith("%"):
                weight = _weight(choice.fraction)  # or the text would read as a weight
            text_format = f"[{choice.text_format}]" if choice.text_format else ""
            lines.append(f"{marker}{weight}{text_format}{_escape(choice.text)}{_feedback(choice.feedback)}")
        return lines
    if isinstance(spec, ShortAnswerSpec):
        lines = []
        for answer in spec.answers:
            if "->" in answer.text:
                raise ValueError(f"GIFT cannot write the short answer {answer.text!r}: it would read as matching")
            weight = _weight(answer.fraction) if answer.fraction != 1 or answer.text.startswith("%") else ""
            lines.append(f"={weight}{_escape(answer.text)}{_feedback(answer.feedback)}")
        return lines
    if isinstance(spec, NumericSpec):
        lines, last = [], len(spec.answers) - 1
        for index, answer in enumerate(spec.answers):
            if answer.kind == "any" and answer.fraction == 0 and index == last:
                lines.append("~" + _feedback(answer.feedback))  # Moodle's "any other number" form
                continue
            weight = _weight(answer.fraction) if answer.fraction != 1 else ""
            if answer.kind == "tolerance":
                value = f"{format_number(answer.value)}:{format_number(answer.tolerance)}"
            elif answer.kind == "range":
                value = f"{format_number(answer.min)}..{format_number(answer.max)}"
            else:
                value = "*"
            lines.append(f"={weight}{value}{_feedback(answer.feedback)}")
        return lines
    if isinstance(spec, MatchingSpec):
        lines = []
        for pair in spec.pairs:
            if "->" in pair.left:
                raise ValueError(f"GIFT cannot write the matching item {pair.left!r}: it contains '->'")
            text_format = f"[{pair.text_format}]" if pair.text_format else ""
            lines.append(f"={text_format}{_escape(pair.left)} -> {_escape(pair.right)}")
        lines.extend(f"= -> {_escape(distractor)}" for distractor in spec.distractors)
        return lines
    raise TypeError(f"cannot write {type(spec).__name__} as GIFT")
