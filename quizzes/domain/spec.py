"""Question specs: the immutable description of one question version, as typed dataclasses.

A spec round-trips through plain JSON (`to_json()` / `spec_from_json()`) so that a Django JSONField
can store it, and `validate()` raises a `SpecError` whose message a teacher can act on. Grading,
the public (pre-submission) view and the text formats all work from these objects.

Fractions are floats in [-1, 1] (1.0 = 100 %), stored with 7 decimals as Moodle does, so that
33.33333 % survives a trip through GIFT or Markdown unchanged.
"""
from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar

from attention_lab.registry import model_spec

from .spec_base import (  # noqa: F401  (re-exported: the rest of the code imports these from here)
    BLANK,
    FRACTION_DECIMALS,
    FRACTION_SUM_TOLERANCE,
    NUMERIC_KINDS,
    DEFAULT_UNIT_PENALTY,
    SPEC_VERSION,
    TEXT_FORMATS,
    UNIT_DISPLAYS,
    UNIT_GRADINGS,
    Choice,
    MatchPair,
    NumericAnswer,
    QuestionSpec,
    QuizTextError,
    SpecError,
    TextAnswer,
    _check_choices,
    _check_format,
    _check_fraction,
    _check_text,
    _is_number,
    _require_keys,
    choice_id,
    format_number,
    format_percent,
    parse_number,
    round_fraction,
)


@dataclass(kw_only=True)
class SingleChoiceSpec(QuestionSpec):
    """One choice may be picked. At least one is worth 100 % (Moodle accepts several full-credit
    answers: any of them is right); others may give partial credit or a penalty."""

    qtype: ClassVar[str] = "single_choice"
    markdown_name: ClassVar[str] = "single"  # the word after `type:` in the Markdown format
    parts_field: ClassVar[str] = "choices"
    part_class: ClassVar[type] = Choice
    choices: list[Choice]
    shuffle: bool = True

    def _validate_answers(self) -> None:
        _check_choices(self.choices)
        if not any(c.fraction == 1 for c in self.choices):
            best = max((c.fraction for c in self.choices), default=0.0)
            raise SpecError("choices", "a single-choice question needs a choice worth 100%, so full marks are "
                            f"possible; the best here is worth {format_percent(best)}%", "one_right_choice")


@dataclass(kw_only=True)
class MultipleResponseSpec(QuestionSpec):
    """Any set of choices may be picked; the picked weights add up (floored at 0, capped at 100 %)."""

    qtype: ClassVar[str] = "multiple_response"
    markdown_name: ClassVar[str] = "multiple"  # the word after `type:` in the Markdown format
    parts_field: ClassVar[str] = "choices"
    part_class: ClassVar[type] = Choice
    choices: list[Choice]
    shuffle: bool = True

    def _validate_answers(self) -> None:
        _check_choices(self.choices)
        positive = sum(c.fraction for c in self.choices if c.fraction > 0)
        if abs(positive - 1) > FRACTION_SUM_TOLERANCE:
            raise SpecError("choices", "the positive weights of a multiple-response question must add up to "
                            f"100%; they add up to {format_percent(positive)}%", "weights_sum")


@dataclass(kw_only=True)
class TrueFalseSpec(QuestionSpec):
    """A statement that is true or false. Feedback is per the student's pick, as in Moodle."""

    qtype: ClassVar[str] = "true_false"
    markdown_name: ClassVar[str] = "true-false"  # the word after `type:` in the Markdown format
    correct: bool
    feedback_true: str = ""  # shown to a student who answered "true"
    feedback_false: str = ""  # shown to a student who answered "false"

    def _validate_answers(self) -> None:
        if not isinstance(self.correct, bool):
            raise SpecError("correct", "the right answer must be true or false", "bad_type")


@dataclass(kw_only=True)
class ShortAnswerSpec(QuestionSpec):
    """A typed word or phrase compared with accepted answers (trimmed, spaces collapsed, `*` wildcard)."""

    qtype: ClassVar[str] = "short_answer"
    markdown_name: ClassVar[str] = "short"  # the word after `type:` in the Markdown format
    parts_field: ClassVar[str] = "answers"
    part_class: ClassVar[type] = TextAnswer
    answers: list[TextAnswer]
    case_sensitive: bool = False

    def _validate_answers(self) -> None:
        if not isinstance(self.answers, list) or not self.answers:
            raise SpecError("answers", "a short-answer question needs at least one accepted answer",
                            "no_answers")
        for i, answer in enumerate(self.answers):
            _check_text(answer.text, f"answers[{i}].text", f"accepted answer {i + 1} is empty", "empty_answer")
            _check_fraction(answer.fraction, f"answers[{i}].fraction", low=0.0)
        if not any(a.fraction == 1 for a in self.answers):
            raise SpecError("answers", "one accepted answer must be worth 100%, so full marks are possible",
                            "no_full_answer")
        if not isinstance(self.case_sensitive, bool):
            raise SpecError("case_sensitive", "case_sensitive must be true or false", "bad_type")


@dataclass(kw_only=True)
class NumericSpec(QuestionSpec):
    """A number compared with value ± tolerance or min..max answers; the best matching answer counts."""

    qtype: ClassVar[str] = "numeric"
    markdown_name: ClassVar[str] = "numeric"  # the word after `type:` in the Markdown format
    parts_field: ClassVar[str] = "answers"
    part_class: ClassVar[type] = NumericAnswer
    answers: list[NumericAnswer]
    # Moodle's units: [{"unit": "m", "multiplier": 1}, {"unit": "km", "multiplier": 0.001}]. Answers are in
    # the first unit (multiplier 1); a response in another unit is divided by its multiplier.
    units: list[dict] = field(default_factory=list)
    unit_grading: str = "optional"  # "mark": a missing or unknown unit costs unit_penalty of the mark; "max": of 100 %
    unit_penalty: float = DEFAULT_UNIT_PENALTY
    units_left: bool = False  # "$ 3" rather than "3 m"
    show_units: str = "input"  # how Moodle offers the unit; kept for Moodle XML, learners here always type it

    def _validate_answers(self) -> None:
        _check_units(self)
        if not isinstance(self.answers, list) or not self.answers:
            raise SpecError("answers", "a numeric question needs at least one answer, like 3 ± 0.5",
                            "no_answers")
        for i, answer in enumerate(self.answers):
            where = f"answers[{i}]"
            _check_fraction(answer.fraction, f"{where}.fraction", low=0.0)
            if answer.kind == "tolerance":
                _check_numbers(where, value=answer.value, tolerance=answer.tolerance)
                if answer.tolerance < 0:
                    raise SpecError(f"{where}.tolerance", "a tolerance cannot be negative", "bad_tolerance")
            elif answer.kind == "range":
                _check_numbers(where, min=answer.min, max=answer.max)
                if answer.min > answer.max:
                    raise SpecError(where, f"the range {format_number(answer.min)}..{format_number(answer.max)}"
                                    " is empty: write the smaller number first", "bad_range")
            elif answer.kind != "any":
                raise SpecError(f"{where}.kind", f"unknown numeric answer kind {answer.kind!r}", "bad_kind")
        if not any(a.fraction == 1 and a.kind != "any" for a in self.answers):
            raise SpecError("answers", "one numeric answer must be worth 100%, so full marks are possible",
                            "no_full_answer")


def _check_units(spec: NumericSpec) -> None:
    if not isinstance(spec.units, list) or len(spec.units) > 20:
        raise SpecError("units", "units must be a list of at most 20 units", "bad_units")
    seen: set[str] = set()
    for i, unit in enumerate(spec.units):
        where = f"units[{i}]"
        _require_keys(unit, where=where, required={"unit", "multiplier"}, optional=set())
        name, multiplier = unit["unit"], unit["multiplier"]
        if not isinstance(name, str) or not name.strip() or name != name.strip() or len(name) > 50:
            raise SpecError(f"{where}.unit", "a unit is a short text such as m or km, without surrounding spaces",
                            "bad_unit")
        if "".join(name.split()) in seen:
            raise SpecError(f"{where}.unit", f"the unit {name!r} is given twice", "duplicate_unit")
        seen.add("".join(name.split()))
        try:
            parse_number(name)
        except ValueError:
            pass
        else:
            raise SpecError(f"{where}.unit", f"a unit cannot be a number; got {name!r}", "bad_unit")
        if not _is_number(multiplier) or multiplier <= 0:
            raise SpecError(f"{where}.multiplier", f"a unit's multiplier must be a positive number; got {multiplier!r}",
                            "bad_multiplier")
        if i == 0 and multiplier != 1:
            raise SpecError(f"{where}.multiplier", "the first unit is the one the answers are in: its multiplier "
                            "must be 1", "bad_multiplier")
    if spec.unit_grading not in UNIT_GRADINGS:
        raise SpecError("unit_grading", f"unit grading must be one of {', '.join(UNIT_GRADINGS)}", "bad_unit_grading")
    if spec.unit_grading != "optional" and not spec.units:
        raise SpecError("unit_grading", "units can only be graded when the question has units", "no_units")
    if spec.show_units not in UNIT_DISPLAYS:
        raise SpecError("show_units", f"show_units must be one of {', '.join(UNIT_DISPLAYS)}", "bad_show_units")
    if not _is_number(spec.unit_penalty) or not 0 <= spec.unit_penalty <= 1:
        raise SpecError("unit_penalty", "the unit penalty must be between 0% and 100%", "bad_penalty")
    if not isinstance(spec.units_left, bool):
        raise SpecError("units_left", "units_left must be true or false", "bad_type")


def _check_numbers(where: str, **numbers: Any) -> None:
    for name, value in numbers.items():
        if not _is_number(value):
            raise SpecError(f"{where}.{name}", f"a numeric answer needs a number; got {value!r}", "not_a_number")


@dataclass(kw_only=True)
class MatchingSpec(QuestionSpec):
    """Left items matched to right items; each right pair earns 1/len(pairs). Distractors are extra right items."""

    qtype: ClassVar[str] = "matching"
    markdown_name: ClassVar[str] = "matching"  # the word after `type:` in the Markdown format
    parts_field: ClassVar[str] = "pairs"
    part_class: ClassVar[type] = MatchPair
    pairs: list[MatchPair]
    distractors: list[str] = field(default_factory=list)

    def _validate_answers(self) -> None:
        if not isinstance(self.pairs, list) or len(self.pairs) < 2:
            raise SpecError("pairs", "a matching question needs at least two pairs", "too_few_pairs")
        seen: set[str] = set()
        for i, pair in enumerate(self.pairs):
            where = f"pairs[{i}]"
            if not isinstance(pair.id, str) or not pair.id or pair.id in seen:
                raise SpecError(f"{where}.id", f"pair ids must be unique and non-empty; got {pair.id!r}", "bad_id")
            seen.add(pair.id)
            _check_text(pair.left, f"{where}.left", f"pair {i + 1} has no left-hand item", "empty_left")
            _check_text(pair.right, f"{where}.right", f"pair {i + 1} has no right-hand item", "empty_right")
            _check_format(pair.text_format, f"{where}.text_format")
        rights = {" ".join(p.right.split()) for p in self.pairs}
        if not isinstance(self.distractors, list):
            raise SpecError("distractors", "distractors must be a list of texts", "bad_type")
        for i, distractor in enumerate(self.distractors):
            _check_text(distractor, f"distractors[{i}]", f"distractor {i + 1} is empty", "empty_distractor")
            if " ".join(distractor.split()) in rights:
                raise SpecError(f"distractors[{i}]", f"the distractor {distractor!r} is also a right answer",
                                "distractor_is_answer")


@dataclass(kw_only=True)
class EssaySpec(QuestionSpec):
    """A free text answer graded by a person; `grader_info` guides them and is never shown to students."""

    qtype: ClassVar[str] = "essay"
    markdown_name: ClassVar[str] = "essay"  # the word after `type:` in the Markdown format
    grader_info: str = ""

    def _validate_answers(self) -> None:
        if not isinstance(self.grader_info, str):
            raise SpecError("grader_info", "grader information must be text", "bad_type")


# The lab's default model's shape, from its config through the lab's torch-free registry (one home).
ATTENTION_LAYERS, ATTENTION_HEADS = model_spec().layers, model_spec().heads
_WEIGHT_SUM_TOLERANCE = 1e-3  # a softmax row stored with float32 noise still sums to 1 within this


@dataclass(kw_only=True)
class AttentionTokenSpec(QuestionSpec):
    """Which token does `query_index` attend to most in one head? Graded from the model.

    The answer (`answer_index`, its token and weight, the query's whole row of `weights`) was
    computed by the lab's worker when this version was saved, so grading never needs the model.
    `layer` and `head` count from 1, as the lab shows them; `query_index` and `answer_index` are
    positions in `tokens`, where [CLS] is 0. The learner picks one of `tokens`.
    """

    qtype: ClassVar[str] = "attention_token"
    markdown_name: ClassVar[str] = "attention"  # the word after `type:` in the Markdown format
    sentence: str
    layer: int
    head: int
    query_index: int
    model: str
    tokens: list[str]
    weights: list[float]
    answer_index: int
    answer_token: str
    answer_weight: float
    # Whether learners see "open this sentence in the lab" while answering: with it the question is
    # open-book (the lab shows the answer), so it is off unless the author allows it.
    lab_link_during_attempt: bool = False

    def _validate_answers(self) -> None:
        _check_text(self.sentence, "sentence", "the question needs a sentence for the model to read",
                    "sentence_required")
        for name, count in (("layer", ATTENTION_LAYERS), ("head", ATTENTION_HEADS)):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= count:
                raise SpecError(name, f"the {name} must be a whole number from 1 to {count}; got {value!r}",
                                f"bad_{name}")
        if not isinstance(self.lab_link_during_attempt, bool):
            raise SpecError("lab_link_during_attempt", "the lab link setting must be true or false", "bad_type")
        _check_text(self.model, "model", "the model that computed the answer must be named", "model_required")
        if not isinstance(self.tokens, list) or len(self.tokens) < 3 or \
                not all(isinstance(t, str) and t for t in self.tokens):
            raise SpecError("tokens", "the sentence's tokens are missing; save the question again to have the "
                            "model read it", "no_tokens")
        for name in ("query_index", "answer_index"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < len(self.tokens):
                raise SpecError(name, f"the {name.split('_')[0]} token must be one of the sentence's "
                                f"{len(self.tokens)} tokens (0 to {len(self.tokens) - 1}); got {value!r}",
                                f"bad_{name}")
        weights = self.weights
        if not isinstance(weights, list) or len(weights) != len(self.tokens) or \
                not all(_is_number(w) and 0 <= w <= 1 for w in weights) or \
                abs(sum(weights) - 1) > _WEIGHT_SUM_TOLERANCE:
            raise SpecError("weights", "the stored attention row must hold one weight per token, summing to 1",
                            "bad_weights")
        best = max(range(len(weights)), key=weights.__getitem__)
        if weights[self.answer_index] < weights[best] or self.answer_token != self.tokens[self.answer_index] \
                or not _is_number(self.answer_weight) or abs(self.answer_weight - weights[self.answer_index]) > 1e-6:
            raise SpecError("answer_index", "the stored answer is not the most-attended token of the stored row",
                            "answer_mismatch")


SPEC_TYPES: dict[str, type[QuestionSpec]] = {
    cls.qtype: cls
    for cls in (SingleChoiceSpec, MultipleResponseSpec, TrueFalseSpec, ShortAnswerSpec, NumericSpec,
                MatchingSpec, EssaySpec, AttentionTokenSpec)
}


def spec_from_json(data: Any) -> QuestionSpec:
    """Rebuild a spec from `to_json()` output. Raises SpecError for unknown types, keys or shapes.

    Call `validate()` afterwards to check the rules; this only checks the shape.
    """
    if not isinstance(data, dict):
        raise SpecError("", "a question spec must be an object", "bad_shape")
    version = data.get("version", SPEC_VERSION)
    if version != SPEC_VERSION:
        raise SpecError("version", f"unsupported spec version {version!r}", "bad_version")
    cls = SPEC_TYPES.get(data.get("qtype"))  # type: ignore[arg-type]
    if cls is None:
        raise SpecError("qtype", f"unknown question type {data.get('qtype')!r}; use one of "
                        f"{', '.join(SPEC_TYPES)}", "bad_qtype")
    names = {f.name for f in fields(cls)}
    required = {f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING}
    _require_keys(data, where="", required=required, optional=(names - required) | {"version", "qtype"})
    values = {k: v for k, v in data.items() if k in names}
    if cls.parts_field:
        parts = values.get(cls.parts_field)
        if not isinstance(parts, list):
            raise SpecError(cls.parts_field, f"{cls.parts_field} must be a list", "bad_shape")
        values[cls.parts_field] = [
            cls.part_class.from_json(part, f"{cls.parts_field}[{i}]")  # type: ignore[union-attr]
            for i, part in enumerate(parts)
        ]
    if "distractors" in values:
        values["distractors"] = list(values["distractors"] or [])
    for name in ("tokens", "weights", "tags", "hints", "units"):  # JSON lists must not be shared with the caller's
        if isinstance(values.get(name), list):
            values[name] = [dict(item) if isinstance(item, dict) else item for item in values[name]]
    return cls(**values)


@dataclass(frozen=True)
class ParsedQuestion:
    """A question read from a text format, with the 1-based line where it starts (for messages)."""

    spec: QuestionSpec
    line: int
