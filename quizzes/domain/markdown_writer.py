"""Writing specs in Attentive's Markdown quiz format (see `markdown_format`), so that
`parse_markdown_quiz(write_markdown_quiz(specs))` gives back equal specs.

The format is line-based, so a few things cannot be written: a choice, answer, pair or feedback
spanning several lines, or question text with a line that would read as an answer. Those raise
ValueError naming the question, rather than writing a file that imports as something else. Each
question type writes its own answer lines (quizzes.qtypes); this module writes the frame around them.
"""
from __future__ import annotations

from collections.abc import Iterable

from .markdown_text import (  # noqa: F401  (the attention keys are re-exported for the parser)
    ANSWER,
    ATTENTION_KEYS,
    ATTENTION_OPTIONAL_KEYS,
    CHOICE,
    FENCE,
    HEADER,
    META,
    PAIR,
    SECTION,
    one_line,
)
from .markdown_hints import HINT, penalty_lines
from .markdown_units import unit_lines
from .spec import SPEC_TYPES, ParsedQuestion, QuestionSpec, format_number

# The word written after `type:` for each question type (the parser accepts these and a few aliases).
TYPE_NAMES = {name: spec_class.markdown_name for name, spec_class in SPEC_TYPES.items()}



def write_markdown_quiz(questions: Iterable[QuestionSpec | ParsedQuestion], *, title: str | None = None) -> str:
    """The questions as one Markdown quiz; `title` becomes a `# heading` the importer ignores."""
    chunks = [f"# {one_line(title, 'the quiz title')}"] if title else []
    for question in questions:
        spec = question.spec if isinstance(question, ParsedQuestion) else question
        chunks.append(_question(spec))
    return "\n\n".join(chunks) + "\n" if chunks else ""


def _question(spec: QuestionSpec) -> str:
    where = f"question {spec.title!r}"
    lines = [f"## Q: {one_line(spec.title, 'a question name')}", f"type: {TYPE_NAMES[spec.qtype]}"]
    if spec.category:
        lines.append(f"category: {one_line(spec.category, 'a category')}")
    if spec.default_mark != 1:
        lines.append(f"mark: {format_number(spec.default_mark)}")
    lines.extend(penalty_lines(spec))
    lines.extend(unit_lines(spec))  # ValueError for a unit the line cannot hold
    if spec.text_format != "markdown":
        lines.append(f"format: {spec.text_format}")
    if getattr(spec, "shuffle", True) is False:
        lines.append("shuffle: no")
    if getattr(spec, "case_sensitive", False):
        lines.append("case sensitive: yes")
    text_lines = spec.text.strip().split("\n")
    if META.match(text_lines[0]):
        lines.append("")  # a blank line ends the `key: value` lines, so the text's first line stays text
    _check_text(text_lines, where)
    qtype = _qtype(spec)
    qtype.markdown_check_text(text_lines, where)
    lines.extend(text_lines)
    lines.append("")
    answers = qtype.markdown_answer_lines(spec, where)
    if answers:
        lines.extend(answers)
        lines.append("")
    sections = [("general feedback", spec.general_feedback), ("explanation", spec.explanation),
                *qtype.markdown_sections(spec), *((HINT, hint) for hint in spec.hints)]
    for name, value in sections:
        if value.strip():
            lines.extend(_section(name, value, where))
            lines.append("")
    return "\n".join(lines).rstrip("\n")


def _check_text(lines: list[str], where: str) -> None:
    in_fence = False
    for line in lines:
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if HEADER.match(line) or CHOICE.match(line) or ANSWER.match(line) or PAIR.match(line) \
                or SECTION.match(line):
            raise ValueError(f"the text of {where} has a line that would be read as an answer or a new "
                             f"question: {line!r}")
    if in_fence:
        raise ValueError(f"the text of {where} opens a code fence it never closes")


def _section(name: str, value: str, where: str) -> list[str]:
    out = []
    for index, line in enumerate(value.strip().split("\n")):
        if index and SECTION.match("> " + line):
            raise ValueError(f"the {name} of {where} has a line that would start another note: {line!r}")
        out.append(f"> {name}: {line}" if index == 0 else (f"> {line}" if line else ">"))
    return out


def _qtype(spec: QuestionSpec):
    # Imported when writing, not with this module: the question types import the domain.
    from ..qtypes.registry import qtype_for

    return qtype_for(spec)
