"""What every question spec is made of: the shared fields and their rules, the answer parts (choices,
typed answers, numeric answers, matching pairs), number and percent formats, and the errors.
The question types' own spec classes are in quizzes.domain.spec.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

SPEC_VERSION = 1
BLANK = "_____"  # where a "missing word" answer block stood in the text
TEXT_FORMATS = ("markdown", "html", "plain", "moodle")
FRACTION_DECIMALS = 7
# Tolerance for sums of rounded percentages (3 × 33.33333 % = 99.99999 %).
FRACTION_SUM_TOLERANCE = 1e-4
DEFAULT_PENALTY = 0.3333333
MAX_HINTS = 10
# Choices, answers or pairs of one question: the editor shows up to 40 rows; an import of 5,000 choices
# made one question that every attempt page and every grading would carry.
MAX_PARTS = 100
MAX_TAGS = 20
MAX_TAG_LENGTH = 50
# Numeric units (Moodle's defaults) are left out too, so numeric specs without units stay as they were.
UNIT_GRADINGS = ("optional", "mark", "max")  # Moodle's unitgradingtype 0, 1 (of the mark), 2 (of the maximum)
UNIT_DISPLAYS = ("input", "radio", "select", "none")  # Moodle's showunits 0..3
DEFAULT_UNIT_PENALTY = 0.1
_OMITTED_WHEN_DEFAULT = {"tags": [], "hints": [], "penalty": DEFAULT_PENALTY, "units": [], "unit_grading": "optional",
                         "unit_penalty": DEFAULT_UNIT_PENALTY, "units_left": False, "show_units": "input"}


class QuizTextError(ValueError):
    """A quiz file (GIFT or Markdown) cannot be imported. `line` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        self.line, self.message = line, message
        super().__init__(f"line {line}: {message}")


class SpecError(ValueError):
    """A spec breaks a rule. `field` is a path like "choices[1].fraction"; `code` is machine-readable."""

    def __init__(self, field: str, message: str, code: str) -> None:
        self.field, self.message, self.code = field, message, code
        super().__init__(message)

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


# --- small shared helpers (used by grading and both text formats) -----------------------------------

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def parse_number(text: str, *, allow_comma: bool = False) -> float:
    """A finite float from text such as "3", "-0.5", "1e3". Raises ValueError otherwise.

    `allow_comma` accepts one comma as the decimal mark ("3,5") when there is no dot, for students
    whose keyboards write decimals that way. "nan" and "inf" are refused: they are not answers.
    """
    cleaned = "".join(str(text).split())
    if allow_comma and "," in cleaned and "." not in cleaned and cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(f"not a number: {text!r}")
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(f"number out of range: {text!r}")
    return value


def format_number(value: float) -> str:
    """The shortest text that parses back to exactly `value` ("3", "0.001", "1e-05")."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def round_fraction(value: float) -> float:
    return round(float(value), FRACTION_DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0


def format_percent(fraction: float) -> str:
    """0.5 -> "50", 0.3333333 -> "33.33333" (no % sign)."""
    return format_number(round(fraction * 100, FRACTION_DECIMALS - 2))


def choice_id(index: int) -> str:
    """Stable ids for the n-th choice or pair: "a" … "z", then "c27", "c28" …"""
    return chr(ord("a") + index) if index < 26 else f"c{index + 1}"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _require_keys(data: Any, *, where: str, required: set[str], optional: set[str]) -> dict:
    if not isinstance(data, dict):
        raise SpecError(where, f"expected an object, got {type(data).__name__}", "bad_shape")
    missing = required - data.keys()
    if missing:
        raise SpecError(where, f"missing {', '.join(sorted(missing))}", "missing_field")
    unknown = data.keys() - required - optional
    if unknown:
        raise SpecError(where, f"unknown field(s) {', '.join(sorted(unknown))}", "unknown_field")
    return data


# --- answer parts --------------------------------------------------------------------------------


@dataclass(kw_only=True)
class Choice:
    """One option of a choice question; responses name it by `id`, never by position."""

    id: str
    text: str
    fraction: float = 0.0
    feedback: str = ""
    text_format: str | None = None  # None: the question's own format

    def to_json(self) -> dict:
        return {"id": self.id, "text": self.text, "text_format": self.text_format,
                "fraction": self.fraction, "feedback": self.feedback}

    @classmethod
    def from_json(cls, data: Any, where: str) -> Choice:
        _require_keys(data, where=where, required={"id", "text"}, optional={"text_format", "fraction", "feedback"})
        return cls(**data)


@dataclass(kw_only=True)
class TextAnswer:
    """An accepted short answer; `*` in `text` matches any run of characters."""

    text: str
    fraction: float = 1.0
    feedback: str = ""

    def to_json(self) -> dict:
        return {"text": self.text, "fraction": self.fraction, "feedback": self.feedback}

    @classmethod
    def from_json(cls, data: Any, where: str) -> TextAnswer:
        _require_keys(data, where=where, required={"text"}, optional={"fraction", "feedback"})
        return cls(**data)


NUMERIC_KINDS = ("tolerance", "range", "any")


@dataclass(kw_only=True)
class NumericAnswer:
    """value ± tolerance, or min..max (both inclusive), or "any" number (a catch-all, like GIFT's `~#…`)."""

    kind: str
    fraction: float = 1.0
    feedback: str = ""
    value: float | None = None
    tolerance: float = 0.0
    min: float | None = None
    max: float | None = None

    def to_json(self) -> dict:
        out: dict[str, Any] = {"kind": self.kind}
        if self.kind == "tolerance":
            out.update(value=self.value, tolerance=self.tolerance)
        elif self.kind == "range":
            out.update(min=self.min, max=self.max)
        out.update(fraction=self.fraction, feedback=self.feedback)
        return out

    @classmethod
    def from_json(cls, data: Any, where: str) -> NumericAnswer:
        kind = data.get("kind") if isinstance(data, dict) else None
        extra = {"tolerance": {"value", "tolerance"}, "range": {"min", "max"}}.get(kind, set())
        _require_keys(data, where=where, required={"kind"}, optional={"fraction", "feedback"} | extra)
        return cls(**data)


@dataclass(kw_only=True)
class MatchPair:
    """A left-hand item and the right-hand text that belongs to it."""

    id: str
    left: str
    right: str
    text_format: str | None = None  # of the left side; None: the question's format

    def to_json(self) -> dict:
        return {"id": self.id, "left": self.left, "right": self.right, "text_format": self.text_format}

    @classmethod
    def from_json(cls, data: Any, where: str) -> MatchPair:
        _require_keys(data, where=where, required={"id", "left", "right"}, optional={"text_format"})
        return cls(**data)


# --- question specs ------------------------------------------------------------------------------


@dataclass(kw_only=True)
class QuestionSpec:
    """Fields every question has. Subclasses add their answers; `qtype` names the subclass in JSON."""

    qtype: ClassVar[str] = ""
    markdown_name: ClassVar[str] = ""
    # name of the list field holding answer parts, and their class
    parts_field: ClassVar[str | None] = None
    part_class: ClassVar[type | None] = None

    title: str
    text: str
    text_format: str = "markdown"
    general_feedback: str = ""
    explanation: str = ""  # Markdown shown after grading; may link a lesson anchor
    default_mark: float = 1.0
    category: str | None = None
    # Labels a random quiz slot can draw by ("softmax", "week-2"); trimmed, unique, case kept.
    tags: list[str] = field(default_factory=list)
    # Interactive behaviour: one hint (Markdown) is shown after each wrong try, so a question has
    # len(hints) + 1 tries; each wrong try costs `penalty` of the mark (Moodle's default is 1/3).
    hints: list[str] = field(default_factory=list)
    penalty: float = DEFAULT_PENALTY

    def to_json(self) -> dict:
        out: dict[str, Any] = {"version": SPEC_VERSION, "qtype": self.qtype}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in _OMITTED_WHEN_DEFAULT and value == _OMITTED_WHEN_DEFAULT[f.name]:
                continue  # specs stored before these fields existed stay byte-for-byte the same
            if f.name == self.parts_field:
                value = [part.to_json() for part in value]
            elif isinstance(value, list):  # a copy, so the JSON never shares a list (or a unit) with the spec
                value = [dict(item) if isinstance(item, dict) else item for item in value]
            out[f.name] = value
        return out

    # validation ------------------------------------------------------------------------------
    def validate(self) -> None:
        """Raise SpecError for the first broken rule; return None when the spec is usable."""
        _check_text(self.text, "text", "the question text is empty", "text_required")
        _check_text(self.title, "title", "a question needs a name (title)", "title_required")
        if self.text_format not in TEXT_FORMATS:
            raise SpecError("text_format", f"unknown text format {self.text_format!r}; use one of "
                            f"{', '.join(TEXT_FORMATS)}", "bad_format")
        for name in ("general_feedback", "explanation"):
            if not isinstance(getattr(self, name), str):
                raise SpecError(name, f"{name.replace('_', ' ')} must be text", "bad_type")
        if not _is_number(self.default_mark) or self.default_mark <= 0:
            raise SpecError("default_mark", f"the mark must be a positive number; got {self.default_mark!r}",
                            "bad_mark")
        if self.category is not None and not isinstance(self.category, str):
            raise SpecError("category", "the category must be text", "bad_type")
        _check_tags(self.tags)
        _check_hints(self.hints)
        if not _is_number(self.penalty) or not 0 <= self.penalty <= 1:
            raise SpecError("penalty", f"the penalty per wrong try must be between 0% and 100%; got {self.penalty!r}",
                            "bad_penalty")
        parts = getattr(self, self.parts_field, None) if self.parts_field else None
        if isinstance(parts, list) and len(parts) > MAX_PARTS:
            raise SpecError(self.parts_field, f"a question holds at most {MAX_PARTS} {self.parts_field}; got {len(parts):,}",
                            "too_many_parts")
        self._validate_answers()

    def _validate_answers(self) -> None:
        raise NotImplementedError


def _check_text(value: Any, field: str, message: str, code: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise SpecError(field, message, code)


def _check_tags(tags: Any) -> None:
    if not isinstance(tags, list) or len(tags) > MAX_TAGS:
        raise SpecError("tags", f"tags must be a list of at most {MAX_TAGS} words", "bad_tags")
    seen: set[str] = set()
    for i, tag in enumerate(tags):
        if not isinstance(tag, str) or not tag.strip() or tag != tag.strip() or len(tag) > MAX_TAG_LENGTH \
                or "," in tag or any(ch in tag for ch in "\r\n\t"):
            raise SpecError(f"tags[{i}]", f"a tag is one line of at most {MAX_TAG_LENGTH} characters, "
                            "without commas or surrounding spaces", "bad_tag")
        if tag.casefold() in seen:
            raise SpecError(f"tags[{i}]", f"the tag {tag!r} is given twice", "duplicate_tag")
        seen.add(tag.casefold())


def _check_hints(hints: Any) -> None:
    if not isinstance(hints, list) or len(hints) > MAX_HINTS:
        raise SpecError("hints", f"hints must be a list of at most {MAX_HINTS} texts", "bad_hints")
    for i, hint in enumerate(hints):
        _check_text(hint, f"hints[{i}]", f"hint {i + 1} is empty", "empty_hint")


def _check_fraction(value: Any, field: str, *, low: float = -1.0) -> None:
    if not _is_number(value) or not low <= value <= 1:
        shown = f"{format_percent(value)}%" if _is_number(value) else repr(value)
        lowest = "-100%" if low < 0 else "0%"
        raise SpecError(field, f"a weight must be between {lowest} and 100%; got {shown}", "bad_fraction")


def _check_format(value: Any, field: str) -> None:
    if value is not None and value not in TEXT_FORMATS:
        raise SpecError(field, f"unknown text format {value!r}", "bad_format")


def _check_choices(choices: Any, *, minimum: int = 2) -> None:
    if not isinstance(choices, list) or len(choices) < minimum:
        raise SpecError("choices", f"a choice question needs at least {minimum} choices", "too_few_choices")
    seen: set[str] = set()
    for i, choice in enumerate(choices):
        where = f"choices[{i}]"
        if not isinstance(choice, Choice):
            raise SpecError(where, "not a choice", "bad_shape")
        if not isinstance(choice.id, str) or not choice.id or choice.id in seen:
            raise SpecError(f"{where}.id", f"choice ids must be unique and non-empty; got {choice.id!r}",
                            "bad_id")
        seen.add(choice.id)
        _check_text(choice.text, f"{where}.text", f"choice {i + 1} has no text", "empty_choice")
        _check_fraction(choice.fraction, f"{where}.fraction")
        _check_format(choice.text_format, f"{where}.text_format")
        if not isinstance(choice.feedback, str):
            raise SpecError(f"{where}.feedback", "feedback must be text", "bad_type")
