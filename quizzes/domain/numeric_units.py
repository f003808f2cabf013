"""Numbers with units, graded as Moodle's numerical question grades them.

A question's answers are in its first unit (multiplier 1). A response in another known unit is
divided by that unit's multiplier ("1.5 km" with km = 0.001 is 1500 m). A response whose unit is
missing or unknown is compared as written, and, when units are graded, loses `unit_penalty` of the
mark it earned ("mark") or of full marks ("max"), never going below 0. A number that matches an
answer only as typed, not converted ("3.14 cm" for 3.14 m), counts with its unit wrong, as in Moodle.
Units are compared exactly (case matters, as in Moodle: "mm" is not "Mm"), with spaces removed as
Moodle removes them; with the unit first ("$ 3"), nothing may follow the number.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .answer_matching import parse_numeric_response
from .spec import NumericSpec, format_number
from .spec_base import DEFAULT_UNIT_PENALTY


# The number part of a response, as Moodle's answer processor finds it (thousands commas, 3e8, 3x10^8).
_NUMBER = r"[+\-\u2212]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:(?:[eE]|[x*\u00d7]10(?:\^|\*\*))[+-]?\d+)?%?"
_NUMBER_AT_START = re.compile("^" + _NUMBER)
_NUMBER_AT_END = re.compile(_NUMBER + "$")
_NUMBER_ONLY = re.compile(_NUMBER)


@dataclass(frozen=True)
class UnitReading:
    """A response read against a question's units: its value in the first unit, and the unit given."""

    value: float
    unit: str  # as typed, spaces removed; "" when none
    known: bool
    as_typed: float | None = None  # the number before a known unit's multiplier; None when it is `value`


def _compact(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


def read_with_units(raw: str, spec: NumericSpec, *, percent: bool = False) -> UnitReading:
    """The value of a typed response in the question's first unit; ValueError when there is no number."""
    text = _compact(raw)
    units = sorted(((_compact(u["unit"]), u["multiplier"]) for u in spec.units), key=lambda u: -len(u[0]))
    for unit, multiplier in units:
        number = text[len(unit):] if spec.units_left and text.startswith(unit) else \
            text[:-len(unit)] if not spec.units_left and text.endswith(unit) else None
        if number and _NUMBER_ONLY.fullmatch(number):  # "1500mm" is not "1500m" read as metres
            try:
                value = parse_numeric_response(number, percent=percent)
            except ValueError:
                continue
            return UnitReading(value / multiplier, unit, True, None if multiplier == 1 else value)
    match = (_NUMBER_AT_END if spec.units_left else _NUMBER_AT_START).search(text)
    if match is None and spec.units_left:
        # With the unit first, whatever follows the number is not a unit: "1332 frogs" is no number (Moodle).
        raise ValueError(f"not a number: {raw!r}")
    unit = "" if match is None else (text[:match.start()] if spec.units_left else text[match.end():])
    number = text[len(unit):] if spec.units_left else text[:len(text) - len(unit)]
    return UnitReading(parse_numeric_response(number, percent=percent), unit, False)


def readings_to_try(reading: UnitReading) -> list[UnitReading]:
    """The reading, then (for a known unit other than the first) the number as typed with the unit counted wrong.

    Moodle tries each answer with the converted value and then with the number as typed, so "3.14 cm"
    for 3.14 m earns 3.14 m's mark less the unit penalty instead of nothing.
    """
    if reading.as_typed is None:
        return [reading]
    return [reading, UnitReading(reading.as_typed, reading.unit, False)]


def unit_penalised(fraction: float, reading: UnitReading, spec: NumericSpec) -> float:
    """Moodle's apply_unit_penalty: a known unit keeps the fraction; otherwise the penalty applies."""
    if reading.known or spec.unit_grading == "optional":
        return fraction
    if spec.unit_grading == "mark":
        fraction -= spec.unit_penalty * fraction
    else:
        fraction -= spec.unit_penalty
    return max(fraction, 0.0)


def with_first_unit(value: float, spec: NumericSpec) -> str:
    """A value written with the question's first unit ("3 m", or "$ 3" when units go first)."""
    number = format_number(value)
    if not spec.units:
        return number
    unit = spec.units[0]["unit"]
    return f"{unit} {number}" if spec.units_left else f"{number} {unit}"


def unit_penalty_when(grading: str, penalty: float) -> float:
    """With units optional the penalty never applies, so it is kept at the default (one meaning, one spec)."""
    return DEFAULT_UNIT_PENALTY if grading == "optional" else penalty
