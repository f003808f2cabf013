"""Hints and the penalty per wrong try in the Markdown quiz format (the interactive behaviour uses them).

A hint is a note like the explanation, one per hint, in order: `> hint: …` (further lines `> …`).
The penalty is a `penalty: 25%` line with the question's other `key: value` lines; without it a
question keeps Moodle's default of a third.
"""
from __future__ import annotations

from .markdown_reading import QuizFormatError
from .spec import QuestionSpec, format_percent, parse_number
from .spec_base import DEFAULT_PENALTY

HINT = "hint"


def section_key(key: str, sections: dict) -> str:
    """The key a `> key:` note is stored under: hints repeat, so each gets its own ("hint#2")."""
    if key != HINT:
        return key
    return f"{HINT}#{sum(1 for name in sections if name.startswith(HINT + '#')) + 1}"


def hints_from_sections(sections: dict) -> tuple[dict, list[str]]:
    """(the other notes, the hints in the order written)."""
    hints = [value for name, (_, value) in sections.items() if name.startswith(HINT + "#")]
    return {name: note for name, note in sections.items() if not name.startswith(HINT + "#")}, hints


def parse_penalty(line: int, value: str) -> float:
    text = value.strip().removesuffix("%").strip()
    try:
        percent = parse_number(text)
    except ValueError:
        raise QuizFormatError(line, f"the penalty must be a percentage like 25%; got {value!r}") from None
    if not 0 <= percent <= 100:
        raise QuizFormatError(line, f"the penalty must be between 0% and 100%; got {value!r}")
    return round(percent / 100, 7)


def penalty_lines(spec: QuestionSpec) -> list[str]:
    if abs(spec.penalty - DEFAULT_PENALTY) < 1e-9:
        return []
    return [f"penalty: {format_percent(spec.penalty)}%"]
