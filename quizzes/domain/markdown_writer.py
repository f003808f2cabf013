"""Writing specs in Attentive's Markdown quiz format (see `markdown_format`), so that
`parse_markdown_quiz(write_markdown_quiz(specs))` gives back equal specs.

The format is line-based, so a few things cannot be written: a choice, answer, pair or feedback
spanning several lines, or question text with a line that would read as an answer. Those raise
ValueError naming the question, rather than writing a file that imports as something else.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from .spec import (
    TEXT_FORMATS,
    AttentionTokenSpec,
    EssaySpec,
    MatchingSpec,
    MultipleResponseSpec,
    NumericAnswer,
    NumericSpec,
    ParsedQuestion,
    QuestionSpec,
    ShortAnswerSpec,
    SingleChoiceSpec,
    TrueFalseSpec,
    format_number,
    format_percent,
    round_fraction,
)

# The word written after `type:` for each question type (the parser accepts these and a few aliases).
TYPE_NAMES = {
    "single_choice": "single",
    "multiple_response": "multiple",
    "true_false": "true-false",
    "short_answer": "short",
    "numeric": "numeric",
    "matching": "matching",
    "essay": "essay",
    "attention_token": "attention",
}

# The `key: value` lines of an attention question, in the order they are written. `tokens` and
# `weights` are JSON lists: a WordPiece token can be any character, "|" and "," included.
ATTENTION_KEYS = ("sentence", "layer", "head", "query", "answer", "model", "tokens", "weights")
# Optional lines, written only when they differ from the default ("lab link: yes" makes it open-book).
ATTENTION_OPTIONAL_KEYS = ("lab link",)
_ATTENTION_LINE = re.compile(r"^(" + "|".join(ATTENTION_KEYS + ATTENTION_OPTIONAL_KEYS) + r")\s*:", re.I)

# Kept in step with the parser's patterns (duplicated rather than imported: the parser imports us).
_HEADER = re.compile(r"^##\s+Q:")
_META = re.compile(r"^(type|category|mark|format|shuffle|case[ -]sensitive)\s*:", re.I)
_CHOICE = re.compile(r"^[-*]\s+\[([ xX]|[+-]?\d+(?:\.\d+)?%)\]\s+")
_ANSWER = re.compile(r"^answer\s*(?:\(\s*[+-]?\d+(?:\.\d+)?\s*%\s*\))?\s*:", re.I)
_PAIR = re.compile(r"^[-*]\s+.*=>")
_SECTION = re.compile(r"^>\s*(general feedback|explanation|grader info)\s*:", re.I)
_FEEDBACK = re.compile(r"\s(?:—|--)\s*feedback:", re.I)
_FENCE = re.compile(r"^\s*(```|~~~)")
_FORMAT_PREFIX = re.compile(r"^\[(" + "|".join(TEXT_FORMATS) + r")\]")


def write_markdown_quiz(questions: Iterable[QuestionSpec | ParsedQuestion], *, title: str | None = None) -> str:
    """The questions as one Markdown quiz; `title` becomes a `# heading` the importer ignores."""
    chunks = [f"# {_one_line(title, 'the quiz title')}"] if title else []
    for question in questions:
        spec = question.spec if isinstance(question, ParsedQuestion) else question
        chunks.append(_question(spec))
    return "\n\n".join(chunks) + "\n" if chunks else ""


def _one_line(text: str, what: str) -> str:
    text = text.strip()
    if "\n" in text or "\r" in text:
        raise ValueError(f"{what} cannot span several lines in the Markdown quiz format: {text!r}")
    return text


def _item_text(text: str, what: str, *, prefix_allowed: bool = False) -> str:
    text = _one_line(text, what)
    if _FEEDBACK.search(" " + text):
        raise ValueError(f"{what} contains '— feedback:', which would be read as the start of feedback: {text!r}")
    if not prefix_allowed and _FORMAT_PREFIX.match(text):
        raise ValueError(f"{what} starts with a format tag like [html], which would be read as its format: {text!r}")
    return text


def _with_feedback(line: str, feedback: str, what: str) -> str:
    if not feedback.strip():
        return line
    return f"{line} — feedback: {_one_line(feedback, what + ' feedback')}"


def _question(spec: QuestionSpec) -> str:
    where = f"question {spec.title!r}"
    lines = [f"## Q: {_one_line(spec.title, 'a question name')}", f"type: {TYPE_NAMES[spec.qtype]}"]
    if spec.category:
        lines.append(f"category: {_one_line(spec.category, 'a category')}")
    if spec.default_mark != 1:
        lines.append(f"mark: {format_number(spec.default_mark)}")
    if spec.text_format != "markdown":
        lines.append(f"format: {spec.text_format}")
    if getattr(spec, "shuffle", True) is False:
        lines.append("shuffle: no")
    if getattr(spec, "case_sensitive", False):
        lines.append("case sensitive: yes")
    text_lines = spec.text.strip().split("\n")
    if _META.match(text_lines[0]):
        lines.append("")  # a blank line ends the `key: value` lines, so the text's first line stays text
    _check_text(text_lines, where)
    if isinstance(spec, AttentionTokenSpec) and any(_ATTENTION_LINE.match(line) for line in text_lines):
        raise ValueError(f"the text of {where} has a line that would be read as the sentence or its settings")
    lines.extend(text_lines)
    lines.append("")
    answers = _answers(spec, where)
    if answers:
        lines.extend(answers)
        lines.append("")
    sections = [("general feedback", spec.general_feedback), ("explanation", spec.explanation)]
    if isinstance(spec, EssaySpec):
        sections.append(("grader info", spec.grader_info))
    for name, value in sections:
        if value.strip():
            lines.extend(_section(name, value, where))
            lines.append("")
    return "\n".join(lines).rstrip("\n")


def _check_text(lines: list[str], where: str) -> None:
    in_fence = False
    for line in lines:
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if _HEADER.match(line) or _CHOICE.match(line) or _ANSWER.match(line) or _PAIR.match(line) \
                or _SECTION.match(line):
            raise ValueError(f"the text of {where} has a line that would be read as an answer or a new "
                             f"question: {line!r}")
    if in_fence:
        raise ValueError(f"the text of {where} opens a code fence it never closes")


def _section(name: str, value: str, where: str) -> list[str]:
    out = []
    for index, line in enumerate(value.strip().split("\n")):
        if index and _SECTION.match("> " + line):
            raise ValueError(f"the {name} of {where} has a line that would start another note: {line!r}")
        out.append(f"> {name}: {line}" if index == 0 else (f"> {line}" if line else ">"))
    return out


def _mark(fraction: float) -> str:
    return f"[{format_percent(fraction)}%]"


def _answers(spec: QuestionSpec, where: str) -> list[str]:
    if isinstance(spec, EssaySpec):
        return []
    if isinstance(spec, AttentionTokenSpec):
        return _attention_lines(spec, where)
    if isinstance(spec, TrueFalseSpec):
        return [
            _with_feedback(f"- [{'x' if spec.correct else ' '}] True", spec.feedback_true, where),
            _with_feedback(f"- [{' ' if spec.correct else 'x'}] False", spec.feedback_false, where),
        ]
    if isinstance(spec, (SingleChoiceSpec, MultipleResponseSpec)):
        positive = [c.fraction for c in spec.choices if c.fraction > 0]
        # In a multiple-response question `[x]` means "an equal share of 100 %"; use it only when that is exact.
        equal_shares = isinstance(spec, MultipleResponseSpec) and positive and all(
            f == round_fraction(1 / len(positive)) for f in positive)
        lines = []
        for choice in spec.choices:
            if choice.fraction == 0:
                box = "[ ]"
            elif (isinstance(spec, SingleChoiceSpec) and choice.fraction == 1) or (equal_shares and choice.fraction > 0):
                box = "[x]"
            else:
                box = _mark(choice.fraction)
            text_format = f"[{choice.text_format}]" if choice.text_format else ""
            text = _item_text(choice.text, f"a choice of {where}")
            lines.append(_with_feedback(f"- {box} {text_format}{text}", choice.feedback, where))
        return lines
    if isinstance(spec, ShortAnswerSpec):
        lines = []
        for answer in spec.answers:
            weight = "" if answer.fraction == 1 else f" ({format_percent(answer.fraction)}%)"
            text = _item_text(answer.text, f"an answer of {where}", prefix_allowed=True)
            lines.append(_with_feedback(f"answer{weight}: {text}", answer.feedback, where))
        return lines
    if isinstance(spec, NumericSpec):
        lines = []
        for answer in spec.answers:
            weight = "" if answer.fraction == 1 else f" ({format_percent(answer.fraction)}%)"
            lines.append(_with_feedback(f"answer{weight}: {_numeric(answer)}", answer.feedback, where))
        return lines
    if isinstance(spec, MatchingSpec):
        lines = []
        for pair in spec.pairs:
            left = _item_text(pair.left, f"a left-hand item of {where}")
            right = _item_text(pair.right, f"a right-hand item of {where}", prefix_allowed=True)
            if "=>" in left or _CHOICE.match(f"- {left}"):
                raise ValueError(f"the left-hand item {left!r} of {where} cannot be written: it contains '=>' "
                                 "or looks like a choice box")
            text_format = f"[{pair.text_format}]" if pair.text_format else ""
            lines.append(f"- {text_format}{left} => {right}")
        for distractor in spec.distractors:
            lines.append(f"- => {_item_text(distractor, f'a distractor of {where}', prefix_allowed=True)}")
        return lines
    raise TypeError(f"cannot write {type(spec).__name__} as a Markdown quiz")


def _numeric(answer: NumericAnswer) -> str:
    if answer.kind == "any":
        return "*"
    if answer.kind == "range":
        return f"{format_number(answer.min)}..{format_number(answer.max)}"
    if answer.tolerance:
        return f"{format_number(answer.value)} ± {format_number(answer.tolerance)}"
    return format_number(answer.value)


def _attention_lines(spec: AttentionTokenSpec, where: str) -> list[str]:
    """The sentence, head and stored answer: a file holds what the worker computed, so loading it
    needs no model. The token after each index is for readers; the parser checks it."""
    import json

    sentence = _one_line(spec.sentence, f"the sentence of {where}")
    return [
        f"sentence: {sentence}",
        f"layer: {spec.layer}",
        f"head: {spec.head}",
        f"query: {spec.query_index} ({spec.tokens[spec.query_index]})",
        f"answer: {spec.answer_index} ({spec.answer_token})",
        f"model: {_one_line(spec.model, 'a model name')}",
        f"tokens: {json.dumps(spec.tokens, ensure_ascii=False)}",
        f"weights: {json.dumps(spec.weights)}",
        *(["lab link: yes"] if spec.lab_link_during_attempt else []),
    ]
