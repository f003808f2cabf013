"""Question specs: the immutable description of one question version, as typed dataclasses.

A spec round-trips through plain JSON (`to_json()` / `spec_from_json()`) so that a Django JSONField
can store it, and `validate()` raises a `SpecError` whose message a teacher can act on. Grading,
the public (pre-submission) view and the text formats all work from these objects.

Fractions are floats in [-1, 1] (1.0 = 100 %), stored with 7 decimals as Moodle does, so that
33.33333 % survives a trip through GIFT or Markdown unchanged.
"""
from __future__ import annotations

import math
import re
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar

SPEC_VERSION = 1
BLANK = "_____"  # where a "missing word" answer block stood in the text
TEXT_FORMATS = ("markdown", "html", "plain", "moodle")
FRACTION_DECIMALS = 7
# Tolerance for sums of rounded percentages (3 × 33.33333 % = 99.99999 %).
FRACTION_SUM_TOLERANCE = 1e-4


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

    def to_json(self) -> dict:
        out: dict[str, Any] = {"version": SPEC_VERSION, "qtype": self.qtype}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == self.parts_field:
                value = [part.to_json() for part in value]
            elif isinstance(value, list):
                value = list(value)
            out[f.name] = value
        return out

    @classmethod
    def from_json(cls, data: Any) -> QuestionSpec:
        return spec_from_json(data)

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
        self._validate_answers()

    def _validate_answers(self) -> None:
        raise NotImplementedError


def _check_text(value: Any, field: str, message: str, code: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise SpecError(field, message, code)


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
            raise SpecError("choices", "a single-choice question needs a choice worth 100%; this one has none",
                            "one_right_choice")


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

    def _validate_answers(self) -> None:
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


# The lab's model (all-MiniLM-L6-v2): 6 layers of 12 heads. Kept here, not imported, because the
# domain must not import the lab; a test checks these against attention_lab.forms.
ATTENTION_LAYERS, ATTENTION_HEADS = 6, 12
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
    for name in ("tokens", "weights"):  # JSON lists must not be shared with the caller's dict
        if isinstance(values.get(name), list):
            values[name] = list(values[name])
    return cls(**values)


@dataclass(frozen=True)
class ParsedQuestion:
    """A question read from a text format, with the 1-based line where it starts (for messages)."""

    spec: QuestionSpec
    line: int
