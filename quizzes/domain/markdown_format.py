"""Reads Attentive's Markdown quiz format: quizzes a teacher can read and write in any editor.

The format, with examples, is described in docs/quiz-markdown-format.md; `markdown_writer` writes it.
"""
from __future__ import annotations

from dataclasses import fields

from .markdown_reading import (
    COMMENT,
    FENCE,
    HEADER,
    KIND_NAMES,
    META,
    NO,
    QUOTE,
    SECTION,
    SETTING,
    YES,
    FEEDBACK,
    CHOICE,
    ANSWER,
    PAIR,
    Item,
    Question,
    QuizFormatError,
    answer_kind,
)
from .markdown_hints import hints_from_sections, parse_penalty, section_key
from .markdown_units import KEYS as UNIT_KEYS, apply_unit_line
from .markdown_writer import TYPE_NAMES, write_markdown_quiz
from .spec import TEXT_FORMATS, ParsedQuestion, QuestionSpec, SpecError, parse_number

__all__ = ["QuizFormatError", "parse_markdown_quiz", "write_markdown_quiz"]


def parse_markdown_quiz(text: str) -> list[ParsedQuestion]:
    """Every question of a Markdown quiz, validated; raises QuizFormatError at the first problem."""
    questions: list[Question] = []
    in_fence = False
    for number, line in enumerate(text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        header = None if in_fence else HEADER.match(line)
        if FENCE.match(line):
            in_fence = not in_fence
        if header:
            if not header["title"]:
                raise QuizFormatError(number, "a question needs a name after '## Q:'")
            questions.append(Question(header["title"], number))
        elif questions:
            questions[-1].body.append((number, line))
        elif line.strip() and not line.startswith("# ") and not COMMENT.match(line):
            raise QuizFormatError(number, "text before the first question; start each question with '## Q: name'")
    return [ParsedQuestion(spec=_parse_question(q), line=q.line) for q in questions]


def _parse_question(question: Question) -> QuestionSpec:
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
    declared = _declared_type(meta)
    reads_settings = declared is not None and declared.markdown_reads == "settings"
    text_lines, in_fence = [], False
    while index < len(body):
        line = body[index][1]
        if not in_fence and (SETTING.match(line) if reads_settings else answer_kind(line)):
            break
        if FENCE.match(line):
            in_fence = not in_fence
        text_lines.append(line)
        index += 1
    settings: dict[str, tuple[int, str]] = {}
    if reads_settings:
        settings, index = _settings(body, index)
    items, sections = _answer_area(body[index:])
    sections, hints = hints_from_sections(sections)
    common = {"title": question.title, "text": "\n".join(text_lines).strip(), "text_format": "markdown"}
    for key, (line, value) in sections.items():
        common[key] = value
    qtype = declared or _guess(question, items)
    if declared is not None and not reads_settings:
        _check_answer_lines(question, declared, items)
    if "grader_info" in common and "grader_info" not in {f.name for f in fields(qtype.spec_class)}:
        raise QuizFormatError(question.line, "'> grader info:' is only for essay questions")
    spec = qtype.markdown_build(question, common, items, settings)
    spec.hints = hints
    _apply_meta(spec, meta)
    try:
        spec.validate()
    except SpecError as error:
        raise QuizFormatError(question.line, error.message) from None
    return spec


def _answer_area(lines: list[tuple[int, str]]) -> tuple[list[Item], dict[str, tuple[int, str]]]:
    items: list[Item] = []
    sections: dict[str, tuple[int, str]] = {}
    current: str | None = None
    for number, line in lines:
        if not line.strip():
            current = None
            continue
        if COMMENT.match(line):
            continue
        if match := SECTION.match(line):
            current = section_key(match["key"].lower().replace(" ", "_"), sections)
            if current in sections:
                raise QuizFormatError(number, f"'> {match['key']}:' is given twice")
            sections[current] = (number, match["rest"])
            continue
        if current and (match := QUOTE.match(line)):
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
        items.append(Item(kind, number, match, parts[0].strip(), feedback.strip()))
        current = None
    return items, {key: (line, value.strip()) for key, (line, value) in sections.items()}


def _qtypes():
    # Imported when reading, not with this module: the question types import the domain.
    from ..qtypes.registry import all_qtypes

    return all_qtypes()


def _declared_type(meta: dict):
    """The question type `type:` names (its name, its Markdown word or an alias), or None without `type:`."""
    if "type" not in meta:
        return None
    line, value = meta["type"]
    wanted = " ".join(value.lower().replace("_", " ").split())
    for qtype in _qtypes():
        if wanted in {qtype.name.replace("_", " "), qtype.spec_class.markdown_name, *qtype.markdown_aliases}:
            return qtype
    raise QuizFormatError(line, f"unknown type {value!r}; use one of {', '.join(TYPE_NAMES.values())}")


def _check_answer_lines(question: Question, qtype, items: list[Item]) -> None:
    name = qtype.spec_class.markdown_name
    if items and items[0].kind != qtype.markdown_reads:
        raise QuizFormatError(items[0].line, f"a {name} question cannot have {KIND_NAMES[items[0].kind]}")
    if not items and qtype.markdown_reads is not None:
        raise QuizFormatError(question.line, f"the {name} question '{question.title}' has no answers")


def _guess(question: Question, items: list[Item]):
    """Without `type:`: the first type, in each type's guessing order, that takes these answer lines."""
    if not items:
        raise QuizFormatError(question.line, f"the question '{question.title}' has no answers: add choices "
                              "('- [x] …'), 'answer:' lines or pairs ('- left => right'), or write 'type: essay'")
    candidates = sorted((q for q in _qtypes() if q.markdown_guess_order is not None),
                        key=lambda q: q.markdown_guess_order)
    return next(q for q in candidates if q.markdown_guess(items))


def _apply_meta(spec: QuestionSpec, meta: dict) -> None:
    for key, (line, value) in meta.items():
        if key == "category":
            spec.category = value or None
        elif key == "mark":
            try:
                spec.default_mark = parse_number(value)
            except ValueError:
                raise QuizFormatError(line, f"the mark must be a number; got {value!r}") from None
        elif key == "penalty":
            spec.penalty = parse_penalty(line, value)
        elif key in UNIT_KEYS:
            apply_unit_line(spec, key, line, value)
        elif key == "format":
            if value.lower() not in TEXT_FORMATS:
                raise QuizFormatError(line, f"unknown format {value!r}; use one of {', '.join(TEXT_FORMATS)}")
            spec.text_format = value.lower()
        elif key in ("shuffle", "case sensitive"):
            attribute = key.replace(" ", "_")
            if not hasattr(spec, attribute):
                raise QuizFormatError(line, f"'{key}:' does not apply to a {TYPE_NAMES[spec.qtype]} question")
            if value.lower() not in YES | NO:
                raise QuizFormatError(line, f"'{key}:' takes yes or no; got {value!r}")
            setattr(spec, attribute, value.lower() in YES)


def _settings(body: list[tuple[int, str]], index: int) -> tuple[dict, int]:
    """The `key: value` settings lines after the text (an attention question's stored answer)."""
    settings: dict[str, tuple[int, str]] = {}
    while index < len(body) and (match := SETTING.match(body[index][1])):
        key = match["key"].lower()
        if key in settings:
            raise QuizFormatError(body[index][0], f"'{key}:' is given twice")
        settings[key] = (body[index][0], match["value"])
        index += 1
    return settings, index
