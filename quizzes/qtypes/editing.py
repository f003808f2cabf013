"""What the question editor needs from a type, as plain data: which forms it shows (by class name, as
quizzes.forms declares them), its answer rows, and turning a spec into the editor's initial values
and the editor's cleaned values back into spec fields."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..domain.spec import choice_id, format_percent

# value("field", default): a cleaned field of the main form, or default when it is empty.
Value = Callable[..., object]


@dataclass(frozen=True)
class EditorRows:
    """How a question type stores its answer rows in the spec, and how the editor labels them."""

    form: str  # the row form's class name in quizzes.forms.question_fields
    spec_field: str  # "choices", "answers", "pairs"
    label: str  # heading of the rows on the page
    help: str
    add_label: str
    new_rows: int  # rows a new question starts with


def percent(fraction: float) -> float | int:
    """0.5 -> 50 (shown as "50", not "50.0"), 0.3333333 -> 33.33333."""
    value = float(format_percent(fraction))
    return int(value) if value.is_integer() else value


def fraction_or(percent_value: float | None, default_percent: float) -> float:
    return (default_percent if percent_value is None else percent_value) / 100


def fresh_id(used: set) -> str:
    index = 0
    while choice_id(index) in used:
        index += 1
    used.add(choice_id(index))
    return choice_id(index)


def part_format(original: dict, field: str, part_id: str | None) -> str | None:
    for part in original.get(field, []) or []:
        if part.get("id") == part_id:
            return part.get("text_format")
    return None
