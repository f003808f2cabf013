"""Grading a response against a question spec, the right answer for review pages, and the public view.

Responses are small JSON-friendly dicts that name choices by id (see `grade`). Grading never
raises on what a student typed: a numeric answer like "abc" is graded incorrect with a "not a
number" message. Only a response of the wrong *shape* (a programming error, or a forged request)
raises `ResponseError`.
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from typing import Any

from .spec import (
    AttentionTokenSpec,
    EssaySpec,
    MatchingSpec,
    MultipleResponseSpec,
    NumericAnswer,
    NumericSpec,
    QuestionSpec,
    ShortAnswerSpec,
    SingleChoiceSpec,
    TrueFalseSpec,
    format_number,
    spec_from_json,
)
from .answer_matching import (
    parse_numeric_response,
    has_wildcard,
    short_answer_match,
    unit_is_percent,
    within_interval,
    within_tolerance,
)

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


def _result(fraction: float, feedback: list[Feedback]) -> GradeResult:
    fraction = min(1.0, max(0.0, fraction))
    if fraction > 1 - _FULL_MARK_SLACK:
        fraction = 1.0  # three weights of 33.33333 % are full marks, as in Moodle
    return GradeResult(fraction=fraction, state=state_for_fraction(fraction), feedback=feedback)


_UNANSWERED = GradeResult(fraction=0.0, state=UNANSWERED)


def _as_spec(spec: QuestionSpec | dict) -> QuestionSpec:
    return spec_from_json(spec) if isinstance(spec, dict) else spec


def _field(response: Any, key: str) -> Any:
    if response is None:
        return None
    if not isinstance(response, dict):
        raise ResponseError(f"a response must be an object, got {type(response).__name__}")
    return response.get(key)


def grade(spec: QuestionSpec | dict, response: dict | None) -> GradeResult:
    """Grade one response. Shapes per type:

    single_choice {"choice": "b"} · multiple_response {"choices": ["a", "c"]} · true_false
    {"value": true} · short_answer {"text": "softmax"} · numeric {"value": "3.5"} · matching
    {"pairs": {"a": "<right id from public_view>"}} · essay {"text": "..."} · attention_token
    {"token": 3} (a position in the sentence's tokens, [CLS] = 0).
    A missing or empty response is "unanswered" with fraction 0.
    """
    spec = _as_spec(spec)
    grader = _GRADERS.get(type(spec))
    if grader is None:
        raise TypeError(f"no grader for {type(spec).__name__}")
    return grader(spec, response)


def _grade_single(spec: SingleChoiceSpec, response: Any) -> GradeResult:
    picked = _field(response, "choice")
    if picked is None or picked == "":
        return _UNANSWERED
    if not isinstance(picked, str):
        raise ResponseError("'choice' must be a choice id")
    choice = next((c for c in spec.choices if c.id == picked), None)
    if choice is None:
        return _result(0.0, [Feedback(picked, "This is not one of the choices.", False)])
    feedback = [Feedback(choice.id, choice.feedback, choice.fraction >= 1)] if choice.feedback else []
    return _result(choice.fraction, feedback)


def _grade_multiple(spec: MultipleResponseSpec, response: Any) -> GradeResult:
    picked = _field(response, "choices")
    if picked is None:
        return _UNANSWERED
    if not isinstance(picked, list) or not all(isinstance(p, str) for p in picked):
        raise ResponseError("'choices' must be a list of choice ids")
    if not picked:
        return _UNANSWERED
    by_id = {c.id: c for c in spec.choices}
    total, feedback = 0.0, []
    for choice_id in dict.fromkeys(picked):  # a choice picked twice counts once
        choice = by_id.get(choice_id)
        if choice is None:
            feedback.append(Feedback(choice_id, "This is not one of the choices.", False))
            continue
        total += choice.fraction
        if choice.feedback:
            feedback.append(Feedback(choice.id, choice.feedback, choice.fraction > 0))
    return _result(total, feedback)


def _grade_true_false(spec: TrueFalseSpec, response: Any) -> GradeResult:
    value = _field(response, "value")
    if value is None or value == "":
        return _UNANSWERED
    if isinstance(value, str) and value.lower() in ("true", "false"):
        value = value.lower() == "true"  # HTML forms send strings
    if not isinstance(value, bool):
        raise ResponseError("'value' must be true or false")
    text = spec.feedback_true if value else spec.feedback_false
    right = value == spec.correct
    return _result(1.0 if right else 0.0, [Feedback("answer", text, right)] if text else [])


def normalise_text(text: str) -> str:
    """Trim and collapse inner whitespace, as short answers are compared."""
    return " ".join(text.split())


def short_answer_matches(pattern: str, text: str, *, case_sensitive: bool = False) -> bool:
    """Whether `text` matches an accepted answer, as Moodle matches it and a little kinder.

    `*` matches any run of characters and `\\*` is a literal star; see `answer_matching`.
    """
    return short_answer_match(pattern, text, case_sensitive=case_sensitive)


def _grade_short(spec: ShortAnswerSpec, response: Any) -> GradeResult:
    text = _field(response, "text")
    if text is None:
        return _UNANSWERED
    if not isinstance(text, str):
        raise ResponseError("'text' must be a string")
    if not normalise_text(text):
        return _UNANSWERED
    matches = [a for a in spec.answers if short_answer_matches(a.text, text, case_sensitive=spec.case_sensitive)]
    if not matches:
        return _result(0.0, [])
    best = max(matches, key=lambda a: a.fraction)  # max() keeps the first of equals
    return _result(best.fraction, [Feedback("answer", best.feedback, best.fraction >= 1)] if best.feedback else [])


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


def _grade_numeric(spec: NumericSpec, response: Any) -> GradeResult:
    raw = _field(response, "value")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return _UNANSWERED
    try:
        value = parse_numeric_answer(raw, percent=unit_is_percent(spec.text))
    except ResponseError:
        raise
    except ValueError:
        return _result(0.0, [Feedback("answer", f"{str(raw).strip()!r} is not a number.", False)])
    matches = [a for a in spec.answers if numeric_answer_matches(a, value)]
    if not matches:
        return _result(0.0, [])
    best = max(matches, key=lambda a: a.fraction)
    return _result(best.fraction, [Feedback("answer", best.feedback, best.fraction >= 1)] if best.feedback else [])


def right_item_id(text: str) -> str:
    """The id of a right-hand matching item, derived from its text alone.

    Ids that followed pair order would tell a student which left item each right item belongs to;
    a hash of the text leaks nothing the student cannot already read.
    """
    return "r" + hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:10]


def _grade_matching(spec: MatchingSpec, response: Any) -> GradeResult:
    pairs = _field(response, "pairs")
    if pairs is None:
        return _UNANSWERED
    if not isinstance(pairs, dict) or not all(isinstance(v, (str, type(None))) for v in pairs.values()):
        raise ResponseError("'pairs' must map left ids to right ids")
    if not any(pairs.get(p.id) for p in spec.pairs):
        return _UNANSWERED
    feedback, right = [], 0
    for pair in spec.pairs:
        ok = pairs.get(pair.id) == right_item_id(pair.right)
        right += ok
        feedback.append(Feedback(pair.id, "", ok))
    return _result(right / len(spec.pairs), feedback)


def _grade_essay(spec: EssaySpec, response: Any) -> GradeResult:
    text = _field(response, "text")
    if text is None:
        return _UNANSWERED
    if not isinstance(text, str):
        raise ResponseError("'text' must be a string")
    if not text.strip():
        return _UNANSWERED
    return GradeResult(fraction=None, state=NEEDS_GRADING)


def _grade_attention_token(spec: AttentionTokenSpec, response: Any) -> GradeResult:
    picked = _field(response, "token")
    if picked is None or picked == "":
        return _UNANSWERED
    if isinstance(picked, str) and picked.strip().isdigit():
        picked = int(picked)  # HTML forms send strings
    if not isinstance(picked, int) or isinstance(picked, bool):
        raise ResponseError("'token' must be the position of a token")
    if not 0 <= picked < len(spec.tokens):
        return _result(0.0, [Feedback("answer", "This is not one of the sentence's tokens.", False)])
    right = picked == spec.answer_index
    if right:
        return _result(1.0, [])
    # Says what the model did with the learner's pick, not which token was right.
    text = (f"In layer {spec.layer}, head {spec.head}, “{spec.tokens[spec.query_index]}” gives "
            f"“{spec.tokens[picked]}” a weight of {spec.weights[picked]:.2f}.")
    return _result(0.0, [Feedback("answer", text, False)])


_GRADERS = {
    SingleChoiceSpec: _grade_single,
    MultipleResponseSpec: _grade_multiple,
    TrueFalseSpec: _grade_true_false,
    ShortAnswerSpec: _grade_short,
    NumericSpec: _grade_numeric,
    MatchingSpec: _grade_matching,
    EssaySpec: _grade_essay,
    AttentionTokenSpec: _grade_attention_token,
}


def correct_response(spec: QuestionSpec | dict) -> dict | None:
    """A response that earns full marks, for review pages; None for essays.

    For short answers it is the first 100 % answer without a wildcard (or, failing that, the first
    100 % pattern as written); for numeric ones the value (or the middle of the range) as text.
    """
    spec = _as_spec(spec)
    if isinstance(spec, SingleChoiceSpec):
        return {"choice": next(c.id for c in spec.choices if c.fraction >= 1)}
    if isinstance(spec, MultipleResponseSpec):
        return {"choices": [c.id for c in spec.choices if c.fraction > 0]}
    if isinstance(spec, TrueFalseSpec):
        return {"value": spec.correct}
    if isinstance(spec, ShortAnswerSpec):
        full = [a.text for a in spec.answers if a.fraction >= 1]
        literal = next((t for t in full if not has_wildcard(t)), None)
        return {"text": literal.replace("\\*", "*") if literal is not None else full[0]}
    if isinstance(spec, NumericSpec):
        best = next(a for a in spec.answers if a.fraction >= 1 and a.kind != "any")
        value = best.value if best.kind == "tolerance" else (best.min + best.max) / 2
        return {"value": format_number(value)}
    if isinstance(spec, MatchingSpec):
        return {"pairs": {p.id: right_item_id(p.right) for p in spec.pairs}}
    if isinstance(spec, AttentionTokenSpec):
        return {"token": spec.answer_index}
    return None


def public_view(spec: QuestionSpec | dict, shuffle_seed: int | str | None = None) -> dict:
    """What a student may see before submitting: texts and ids, never weights, feedback or answers.

    The question's name is left out too (teachers often name a question after its answer). With a
    `shuffle_seed` (the attempt id) choices and right-hand matching items are shuffled, the same way
    every time for that seed; without one, choices keep their order and right items are sorted.
    """
    spec = _as_spec(spec)
    view: dict[str, Any] = {"qtype": spec.qtype, "text": spec.text, "text_format": spec.text_format,
                            "default_mark": spec.default_mark}
    rng = random.Random(shuffle_seed) if shuffle_seed is not None else None
    if isinstance(spec, (SingleChoiceSpec, MultipleResponseSpec)):
        choices = [{"id": c.id, "text": c.text, "text_format": c.text_format or spec.text_format}
                   for c in spec.choices]
        if rng is not None and spec.shuffle:
            rng.shuffle(choices)
        view["choices"] = choices
    elif isinstance(spec, MatchingSpec):
        texts = {normalise_text(t): t for t in [p.right for p in spec.pairs] + spec.distractors}
        right = sorted(({"id": right_item_id(t), "text": t} for t in texts.values()), key=lambda r: r["text"])
        if rng is not None:
            rng.shuffle(right)
        view["left"] = [{"id": p.id, "text": p.left, "text_format": p.text_format or spec.text_format}
                        for p in spec.pairs]
        view["right"] = right
    elif isinstance(spec, AttentionTokenSpec):
        # The tokens in sentence order (their order is the question); no weights, no answer.
        view.update(sentence=spec.sentence, layer=spec.layer, head=spec.head, query_index=spec.query_index,
                    query_token=spec.tokens[spec.query_index], model=spec.model,
                    tokens=[{"id": str(i), "text": token} for i, token in enumerate(spec.tokens)])
    return view
