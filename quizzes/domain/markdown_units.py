"""A numeric question's units in the Markdown quiz format (graded as Moodle grades them: numeric_units).

Four `key: value` lines, with the question's other ones:

    units: m, km = 0.001, cm = 100      the first is the answers' unit; the others with their multiplier
    unit penalty: 25% of the mark       or "of full marks"; without it a unit is optional (no penalty)
    units left: yes                     the unit goes before the number ("$ 3")
    units shown: select                 how Moodle offers them (input, radio, select, none); input by default
"""
from __future__ import annotations

import re

from .markdown_reading import NO, YES, QuizFormatError
from .spec import UNIT_DISPLAYS, QuestionSpec, format_number, format_percent, parse_number

KEYS = ("units", "unit penalty", "units left", "units shown")
_PENALTY = re.compile(r"^(?P<percent>[\d.]+)\s*%\s+of\s+(?P<of>the mark|full marks)$", re.I)


def apply_unit_line(spec: QuestionSpec, key: str, line: int, value: str) -> None:
    """Set the spec's unit fields from one line; QuizFormatError names the line and what to write."""
    if not hasattr(spec, "units"):
        raise QuizFormatError(line, f"'{key}:' is only for numeric questions")
    if key == "units":
        spec.units = [_unit(line, index, piece) for index, piece in enumerate(value.split(",")) if piece.strip()]
    elif key == "unit penalty":
        match = _PENALTY.match(value.strip())
        if match is None:
            raise QuizFormatError(line, f"write the unit penalty as '25% of the mark' or '25% of full marks'; got {value!r}")
        spec.unit_grading = "mark" if match["of"].lower() == "the mark" else "max"
        spec.unit_penalty = round(float(match["percent"]) / 100, 7)
    elif key == "units left":
        if value.lower() not in YES | NO:
            raise QuizFormatError(line, f"'units left:' takes yes or no; got {value!r}")
        spec.units_left = value.lower() in YES
    else:
        if value.lower() not in UNIT_DISPLAYS:
            raise QuizFormatError(line, f"'units shown:' is one of {', '.join(UNIT_DISPLAYS)}; got {value!r}")
        spec.show_units = value.lower()


def _unit(line: int, index: int, piece: str) -> dict:
    name, _, multiplier = piece.partition("=")
    try:
        return {"unit": name.strip(), "multiplier": parse_number(multiplier) if multiplier.strip() else 1.0}
    except ValueError:
        raise QuizFormatError(line, f"the multiplier of the unit {name.strip()!r} must be a number; got "
                              f"{multiplier.strip()!r}") from None


def unit_lines(spec: QuestionSpec) -> list[str]:
    """The lines for a spec's units ([] without units); ValueError for a unit the line cannot hold."""
    units = getattr(spec, "units", [])
    if not units:
        return []
    for unit in units:
        if any(mark in unit["unit"] for mark in ",=\n"):
            raise ValueError(f"the Markdown format cannot write the unit {unit['unit']!r} (a comma or '=' in it)")
    names = [u["unit"] if i == 0 and u["multiplier"] == 1 else f"{u['unit']} = {format_number(u['multiplier'])}"
             for i, u in enumerate(units)]
    lines = [f"units: {', '.join(names)}"]
    if spec.unit_grading != "optional":
        of = "the mark" if spec.unit_grading == "mark" else "full marks"
        lines.append(f"unit penalty: {format_percent(spec.unit_penalty)}% of {of}")
    if spec.units_left:
        lines.append("units left: yes")
    if spec.show_units != "input":
        lines.append(f"units shown: {spec.show_units}")
    return lines

