"""What grading shares across question types: results, feedback, and the answer-matching rules.

Each type grades in its own module (quizzes.qtypes.<type>), calling these. Grading never raises on
what a student typed: a numeric answer like "abc" is graded incorrect with a "not a number"
message. Only a response of the wrong *shape* (a programming error, or a forged request) raises
`ResponseError`.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from typing import Any

from .answer_matching import parse_numeric_response, short_answer_match, within_interval, within_tolerance
from .spec import NumericAnswer

CORRECT, PARTIAL, INCORRECT = "correct", "partial", "incorrect"
NEEDS_GRADING, UNANSWERED = "needs_grading", "unanswered"
# Weights are stored with 7 decimals, so a sum of rounded shares can fall short of 1 by ~1e-7.
_FULL_MARK_SLACK = 1e-6


class ResponseError(ValueError):
    """The response does not have the shape this question type expects."""


@dataclass(frozen=True)
class Feedback:
    """A message about one part of the response: a choice id, a matching pair id, or "answer"."""

    part: str
    text: str
    correct: bool | None = None

    def to_json(self) -> dict:
        return {"part": self.part, "text": self.text, "correct": self.correct}


@dataclass(frozen=True)
class GradeResult:
    """fraction in [0, 1], or None while a person still has to grade it (essays)."""

    fraction: float | None
    state: str
    feedback: list[Feedback] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"fraction": self.fraction, "state": self.state, "feedback": [f.to_json() for f in self.feedback]}


def state_for_fraction(fraction: float) -> str:
    if fraction >= 1 - 1e-9:
        return CORRECT
    return PARTIAL if fraction > 1e-9 else INCORRECT


def fraction_result(fraction: float, feedback: list[Feedback]) -> GradeResult:
    """A result for a fraction clamped to [0, 1], with weights that add up to 99.99999 % counted as full."""
    fraction = min(1.0, max(0.0, fraction))
    if fraction > 1 - _FULL_MARK_SLACK:
        fraction = 1.0  # three weights of 33.33333 % are full marks, as in Moodle
    return GradeResult(fraction=fraction, state=state_for_fraction(fraction), feedback=feedback)


UNANSWERED_RESULT = GradeResult(fraction=0.0, state=UNANSWERED)


def normalise_text(text: str) -> str:
    """Trim and collapse inner whitespace, as short answers are compared."""
    return " ".join(text.split())


def short_answer_matches(pattern: str, text: str, *, case_sensitive: bool = False) -> bool:
    """Whether `text` matches an accepted answer, as Moodle matches it and a little kinder.

    `*` matches any run of characters and `\\*` is a literal star; see `answer_matching`.
    """
    return short_answer_match(pattern, text, case_sensitive=case_sensitive)


def numeric_answer_matches(answer: NumericAnswer, value: float) -> bool:
    """Tolerance and range edges are inclusive, widened by a float allowance relative to the answer."""
    if answer.kind == "any":
        return True
    if answer.kind == "tolerance":
        return within_tolerance(value, answer.value, answer.tolerance)
    return within_interval(value, answer.min, answer.max)


def parse_numeric_answer(raw: Any, *, percent: bool = False) -> float:
    """The number a learner gave (typed text, or a number from an API client); ValueError if none."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise ResponseError("'value' must be the number as typed (a string)")
    return parse_numeric_response(raw if isinstance(raw, str) else repr(raw), percent=percent)


def right_item_id(text: str) -> str:
    """The id of a right-hand matching item, derived from its text alone.

    Ids that followed pair order would tell a student which left item each right item belongs to;
    a hash of the text leaks nothing the student cannot already read.
    """
    return "r" + hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:10]


