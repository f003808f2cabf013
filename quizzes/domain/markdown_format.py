"""Reads Attentive's Markdown quiz format: quizzes a teacher can read and write in any editor.

The format, with examples, is described in docs/quiz-markdown-format.md; `markdown_writer` writes it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .spec import (
    TEXT_FORMATS,
    AttentionTokenSpec,
    Choice,
    EssaySpec,
    MatchingSpec,
    MatchPair,
    MultipleResponseSpec,
    NumericAnswer,
    NumericSpec,
    ParsedQuestion,
    QuestionSpec,
    QuizTextError,
    ShortAnswerSpec,
    SingleChoiceSpec,
    SpecError,
    TextAnswer,
    TrueFalseSpec,
    choice_id,
    parse_number,
    round_fraction,
)
from .markdown_writer import ATTENTION_KEYS, ATTENTION_OPTIONAL_KEYS, TYPE_NAMES, write_markdown_quiz

__all__ = ["QuizFormatError", "parse_markdown_quiz", "write_markdown_quiz"]


class QuizFormatError(QuizTextError):
    """The Markdown quiz cannot be imported. `line` is 1-based."""


HEADER = re.compile(r"^##\s+Q:\s*(?P<title>.*?)\s*$")
META = re.compile(r"^(?P<key>type|category|mark|format|shuffle|case[ -]sensitive)\s*:\s*(?P<value>.*?)\s*$", re.I)
CHOICE = re.compile(r"^[-*]\s+\[(?P<mark>[ xX]|[+-]?\d+(?:\.\d+)?%)\]\s+(?P<rest>.*?)\s*$")
ANSWER = re.compile(r"^answer\s*(?:\(\s*(?P<percent>[+-]?\d+(?:\.\d+)?)\s*%\s*\))?\s*:\s*(?P<rest>.*?)\s*$", re.I)
PAIR = re.compile(r"^[-*]\s+(?P<left>.*?)\s*=>\s*(?P<right>.*?)\s*$")
SECTION = re.compile(r"^>\s*(?P<key>general feedback|explanation|grader info)\s*:\s?(?P<rest>.*)$", re.I)
FEEDBACK = re.compile(r"\s+(?:—|--)\s*feedback:\s*", re.I)
FENCE = re.compile(r"^\s*(```|~~~)")
_QUOTE = re.compile(r"^>\s?(?P<rest>.*)$")
_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")
_FORMAT_PREFIX = re.compile(r"^\[(" + "|".join(TEXT_FORMATS) + r")\]")
_TOLERANCE = re.compile(r"^(?P<value>\S+?)\s*(?:±|\+/-|\+-)\s*(?P<tolerance>\S+)$")
_RANGE = re.compile(r"^(?P<min>\S+?)\s*\.\.\s*(?P<max>\S+)$")
_TYPES = {**{name: qtype for qtype, name in TYPE_NAMES.items()}, **{qtype: qtype for qtype in TYPE_NAMES},
          "true/false": "true_false", "truefalse": "true_false", "tf": "true_false", "short answer": "short_answer",
          "multiple response": "multiple_response", "single choice": "single_choice"}
_YES, _NO = {"yes", "true", "on"}, {"no", "false", "off"}
_ATTENTION_LINE = re.compile(r"^(?P<key>" + "|".join(ATTENTION_KEYS + ATTENTION_OPTIONAL_KEYS) + r")\s*:\s*(?P<value>.*?)\s*$", re.I)
_INDEX = re.compile(r"^(?P<index>\d+)(?:\s*\((?P<token>.*)\))?$")


def answer_kind(line: str) -> str | None:
    """"choice", "answer", "pair" or "section" for a line that belongs to the answers, else None."""
    if CHOICE.match(line):
        return "choice"
    if ANSWER.match(line):
        return "answer"
    if PAIR.match(line):
        return "pair"
    if SECTION.match(line):
        return "section"
    return None


@dataclass
class _Item:
    kind: str  # "choice" | "answer" | "pair"
    line: int
    match: re.Match
    text: str = ""
    feedback: str = ""


@dataclass
class _Question:
    title: str
    line: int
    body: list[tuple[int, str]] = field(default_factory=list)


def parse_markdown_quiz(text: str) -> list[ParsedQuestion]:
    """Every question of a Markdown quiz, validated; raises QuizFormatError at the first problem."""
    questions: list[_Question] = []
    in_fence = False
    for number, line in enumerate(text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        header = None if in_fence else HEADER.match(line)
        if FENCE.match(line):
            in_fence = not in_fence
        if header:
            if not header["title"]:
                raise QuizFormatError(number, "a question needs a name after '## Q:'")
            questions.append(_Question(header["title"], number))
        elif questions:
            questions[-1].body.append((number, line))
        elif line.strip() and not line.startswith("# ") and not _COMMENT.match(line):
            raise QuizFormatError(number, "text before the first question; start each question with '## Q: name'")
    return [ParsedQuestion(spec=_parse_question(q), line=q.line) for q in questions]


def _parse_question(question: _Question) -> QuestionSpec:
    body = question.body
    index, meta = 0, {}
    while index < len(body) and not body[index][1].strip():
        index += 1
    while index < len(body) and (match := META.match(body[index][1])):
        key = match["key"].lower().replace("-", " ")
        if key in meta:
            raise QuizFormatError(body[index][0], f"'{key}:' is given twice")
        meta[key] = (body[index][0], match["value"])
        index += 1
    attention = "type" in meta and _TYPES.get(" ".join(meta["type"][1].lower().split())) == "attention_token"
    text_lines, in_fence = [], False
    while index < len(body):
        line = body[index][1]
        if not in_fence and (_ATTENTION_LINE.match(line) if attention else answer_kind(line)):
            break
        if FENCE.match(line):
            in_fence = not in_fence
        text_lines.append(line)
        index += 1
    if attention:
        settings, index = _attention_settings(body, index)
    items, sections = _answer_area(body[index:])
    common = {"title": question.title, "text": "\n".join(text_lines).strip(), "text_format": "markdown"}
    for key, (line, value) in sections.items():
        common[key] = value
    if attention:
        if items:
            raise QuizFormatError(items[0].line, "an attention question takes no choices or 'answer:' lines "
                                  "after its settings: the model's answer is the 'answer:' setting")
        spec = _build_attention(question, common, settings)
    else:
        qtype = _question_type(question, meta, items)
        spec = _build(qtype, question, common, items)
    _apply_meta(spec, meta)
    try:
        spec.validate()
    except SpecError as error:
        raise QuizFormatError(question.line, error.message) from None
    return spec


def _answer_area(lines: list[tuple[int, str]]) -> tuple[list[_Item], dict[str, tuple[int, str]]]:
    items: list[_Item] = []
    sections: dict[str, tuple[int, str]] = {}
    current: str | None = None
    for number, line in lines:
        if not line.strip():
            current = None
            continue
        if _COMMENT.match(line):
            continue
        if match := SECTION.match(line):
            current = match["key"].lower().replace(" ", "_")
            if current in sections:
                raise QuizFormatError(number, f"'> {match['key']}:' is given twice")
            sections[current] = (number, match["rest"])
            continue
        if current and (match := _QUOTE.match(line)):
            start, value = sections[current]
            sections[current] = (start, value + "\n" + match["rest"])
            continue
        kind = answer_kind(line)
        if kind is None:
            raise QuizFormatError(number, f"unexpected line among the answers: {line.strip()!r} (choices start with "
                                  "'- [x]' or '- [ ]', typed answers with 'answer:', pairs are '- left => right', "
                                  "notes start with '> explanation:')")
        if items and items[0].kind != kind:
            raise QuizFormatError(number, "a question has either choices, 'answer:' lines or '=>' pairs, not a mix")
        match = {"choice": CHOICE, "answer": ANSWER, "pair": PAIR}[kind].match(line)
        parts = FEEDBACK.split(match["rest"] if kind != "pair" else match["right"], maxsplit=1)
        feedback = parts[1] if len(parts) > 1 else ""
        items.append(_Item(kind, number, match, parts[0].strip(), feedback.strip()))
        current = None
    return items, {key: (line, value.strip()) for key, (line, value) in sections.items()}


def _question_type(question: _Question, meta: dict, items: list[_Item]) -> str:
    if "type" in meta:
        line, value = meta["type"]
        qtype = _TYPES.get(" ".join(value.lower().replace("_", " ").split()), _TYPES.get(value.lower()))
        if qtype is None:
            raise QuizFormatError(line, f"unknown type {value!r}; use one of {', '.join(TYPE_NAMES.values())}")
        expected = {"essay": None, "matching": "pair", "short_answer": "answer", "numeric": "answer"}.get(qtype, "choice")
        if items and items[0].kind != expected:
            found = {"choice": "choices", "answer": "'answer:' lines", "pair": "'=>' pairs"}[items[0].kind]
            raise QuizFormatError(items[0].line, f"a {TYPE_NAMES[qtype]} question cannot have {found}")
        if not items and qtype != "essay":
            raise QuizFormatError(question.line, f"the {TYPE_NAMES[qtype]} question '{question.title}' has no answers")
        return qtype
    if not items:
        raise QuizFormatError(question.line, f"the question '{question.title}' has no answers: add choices "
                              "('- [x] …'), 'answer:' lines or pairs ('- left => right'), or write 'type: essay'")
    kind = items[0].kind
    if kind == "pair":
        return "matching"
    if kind == "answer":
        values = [item.text for item in items]
        numeric = all(_numeric_answer(v) is not None for v in values) and any(v != "*" for v in values)
        return "numeric" if numeric else "short_answer"
    marks = [item.match["mark"].lower() for item in items]
    full = [m for m in marks if m in ("x", "100%")]
    if len(full) == 1 and all(m in ("x", " ", "0%", "100%") for m in marks) and len(items) == 2 and \
            {item.text.lower() for item in items} == {"true", "false"}:
        return "true_false"
    return "single_choice" if len(full) == 1 else "multiple_response"


def _numeric_answer(text: str) -> NumericAnswer | None:
    try:
        if text == "*":
            return NumericAnswer(kind="any")
        if match := _TOLERANCE.match(text):
            return NumericAnswer(kind="tolerance", value=parse_number(match["value"]),
                                 tolerance=parse_number(match["tolerance"]))
        if match := _RANGE.match(text):
            return NumericAnswer(kind="range", min=parse_number(match["min"]), max=parse_number(match["max"]))
        return NumericAnswer(kind="tolerance", value=parse_number(text), tolerance=0.0)
    except ValueError:
        return None


def _fraction(percent: str) -> float:
    return round_fraction(float(percent) / 100)


def _split_format(text: str) -> tuple[str | None, str]:
    match = _FORMAT_PREFIX.match(text)
    return (match.group(1), text[match.end():].strip()) if match else (None, text)


def _build(qtype: str, question: _Question, common: dict, items: list[_Item]) -> QuestionSpec:
    grader_info = common.pop("grader_info", None)
    if grader_info is not None and qtype != "essay":
        raise QuizFormatError(question.line, "'> grader info:' is only for essay questions")
    if qtype == "essay":
        return EssaySpec(**common, grader_info=grader_info or "")
    if qtype == "matching":
        pairs, distractors = [], []
        for item in items:
            text_format, left = _split_format(item.match["left"])
            if item.feedback:
                raise QuizFormatError(item.line, "matching pairs take no feedback")
            if left:
                pairs.append(MatchPair(id=choice_id(len(pairs)), left=left, right=item.text, text_format=text_format))
            else:
                distractors.append(item.text)
        return MatchingSpec(**common, pairs=pairs, distractors=distractors)
    if qtype in ("short_answer", "numeric"):
        answers = []
        for item in items:
            fraction = _fraction(item.match["percent"]) if item.match["percent"] else 1.0
            if not item.text:
                raise QuizFormatError(item.line, "an 'answer:' line needs an answer after the colon")
            if qtype == "short_answer":
                answers.append(TextAnswer(text=item.text, fraction=fraction, feedback=item.feedback))
                continue
            numeric = _numeric_answer(item.text)
            if numeric is None:
                raise QuizFormatError(item.line, f"a numeric answer needs a number; got {item.text!r} "
                                      "(write 3, 3 ± 0.5, 1..2 or *)")
            numeric.fraction, numeric.feedback = fraction, item.feedback
            answers.append(numeric)
        cls = ShortAnswerSpec if qtype == "short_answer" else NumericSpec
        return cls(**common, answers=answers)
    return _build_choices(qtype, common, items)


def _build_choices(qtype: str, common: dict, items: list[_Item]) -> QuestionSpec:
    marks = [item.match["mark"].lower() for item in items]
    if qtype == "true_false":
        texts = [item.text.lower() for item in items]
        if sorted(texts) != ["false", "true"]:
            raise QuizFormatError(items[0].line, "a true-false question has exactly two choices, True and False")
        right = [item for item, mark in zip(items, marks) if mark in ("x", "100%")]
        if len(right) != 1 or any(m not in ("x", " ", "0%", "100%") for m in marks):
            raise QuizFormatError(items[0].line, "mark exactly one of True and False with [x]")
        feedback = {item.text.lower(): item.feedback for item in items}
        return TrueFalseSpec(**common, correct=right[0].text.lower() == "true", feedback_true=feedback["true"],
                             feedback_false=feedback["false"])
    ticked = marks.count("x")
    if qtype == "multiple_response" and ticked and any(m.endswith("%") and float(m[:-1]) > 0 for m in marks):
        line = items[marks.index("x")].line
        raise QuizFormatError(line, "in a multiple-response question the [x] choices share 100%; give either every "
                              "right choice [x] or every one a percentage, not a mix")
    share = 1.0 if qtype == "single_choice" else round_fraction(1 / ticked) if ticked else 0.0
    choices = []
    for index, (item, mark) in enumerate(zip(items, marks)):
        fraction = share if mark == "x" else 0.0 if mark == " " else _fraction(mark[:-1])
        text_format, text = _split_format(item.text)
        if not text:
            raise QuizFormatError(item.line, "a choice needs text after its box")
        choices.append(Choice(id=choice_id(index), text=text, fraction=fraction, feedback=item.feedback,
                              text_format=text_format))
    cls = SingleChoiceSpec if qtype == "single_choice" else MultipleResponseSpec
    return cls(**common, choices=choices)


def _apply_meta(spec: QuestionSpec, meta: dict) -> None:
    for key, (line, value) in meta.items():
        if key == "category":
            spec.category = value or None
        elif key == "mark":
            try:
                spec.default_mark = parse_number(value)
            except ValueError:
                raise QuizFormatError(line, f"the mark must be a number; got {value!r}") from None
        elif key == "format":
            if value.lower() not in TEXT_FORMATS:
                raise QuizFormatError(line, f"unknown format {value!r}; use one of {', '.join(TEXT_FORMATS)}")
            spec.text_format = value.lower()
        elif key in ("shuffle", "case sensitive"):
            attribute = key.replace(" ", "_")
            if not hasattr(spec, attribute):
                raise QuizFormatError(line, f"'{key}:' does not apply to a {TYPE_NAMES[spec.qtype]} question")
            if value.lower() not in _YES | _NO:
                raise QuizFormatError(line, f"'{key}:' takes yes or no; got {value!r}")
            setattr(spec, attribute, value.lower() in _YES)


# --- attention questions: the model's answer is stored in the file (see markdown_writer) ----------


def _attention_settings(body: list[tuple[int, str]], index: int) -> tuple[dict, int]:
    settings: dict[str, tuple[int, str]] = {}
    while index < len(body) and (match := _ATTENTION_LINE.match(body[index][1])):
        key = match["key"].lower()
        if key in settings:
            raise QuizFormatError(body[index][0], f"'{key}:' is given twice")
        settings[key] = (body[index][0], match["value"])
        index += 1
    return settings, index


def _build_attention(question: _Question, common: dict, settings: dict) -> AttentionTokenSpec:
    import json

    missing = [key for key in ATTENTION_KEYS if key not in settings]
    if missing:
        raise QuizFormatError(question.line, f"the attention question '{question.title}' needs "
                              f"{', '.join(repr(key + ':') for key in missing)} lines (the model's stored answer)")

    def number(key: str) -> int:
        line, value = settings[key]
        match = _INDEX.match(value)
        if not match:
            raise QuizFormatError(line, f"'{key}:' takes a whole number; got {value!r}")
        return int(match["index"])

    def json_list(key: str) -> list:
        line, value = settings[key]
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if not isinstance(parsed, list):
            raise QuizFormatError(line, f"'{key}:' takes a JSON list like [\"[CLS]\", \"the\"]; got {value[:40]!r}")
        return parsed

    tokens, weights = json_list("tokens"), json_list("weights")
    query, answer = number("query"), number("answer")
    for key, position in (("query", query), ("answer", answer)):
        line, value = settings[key]
        named = _INDEX.match(value)["token"]
        if position >= len(tokens):
            raise QuizFormatError(line, f"'{key}:' {position} is past the last of the {len(tokens)} tokens")
        if named is not None and named != tokens[position]:
            raise QuizFormatError(line, f"token {position} is {tokens[position]!r}, not {named!r}")
    weight = weights[answer] if answer < len(weights) else 0.0
    lab_line, lab_link = settings.get("lab link", (question.line, "no"))
    if lab_link.lower() not in ("yes", "no"):
        raise QuizFormatError(lab_line, f"'lab link:' takes yes or no; got {lab_link!r}")
    return AttentionTokenSpec(lab_link_during_attempt=lab_link.lower() == "yes",**common, sentence=settings["sentence"][1], layer=number("layer"),
                              head=number("head"), query_index=query, model=settings["model"][1], tokens=tokens,
                              weights=weights, answer_index=answer, answer_token=tokens[answer],
                              answer_weight=weight)
