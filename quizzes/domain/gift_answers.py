"""The inside of a GIFT answer block, read per question type as Moodle's qformat_gift reads it.

`read_answers` is handed the block's text (escapes still protected, general feedback already cut
off) and picks the type in Moodle's order: empty → essay; opens with `#` → numeric; any `~` →
multiple choice; `=` and `->` → matching; T/TRUE/F/FALSE (before any `#`, case as written) →
true/false; anything else → short answer.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .gift_text import PHP_SPACE, WeightError, plain, restore, split_weight, with_format
from .spec import (
    Choice,
    EssaySpec,
    MatchingSpec,
    MatchPair,
    MultipleResponseSpec,
    NumericAnswer,
    NumericSpec,
    QuestionSpec,
    QuizTextError,
    ShortAnswerSpec,
    SingleChoiceSpec,
    TextAnswer,
    TrueFalseSpec,
    choice_id,
    parse_number,
)

_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


@dataclass
class Answers:
    """Answer text with the way back to file lines: `line_at(i)` is the line of text[i]."""

    text: str
    offset: int
    line_of: Callable[[int], int]  # block offset → file line
    error: type[QuizTextError]

    def line_at(self, index: int) -> int:
        return self.line_of(self.offset + index)

    def fail(self, index: int, message: str) -> QuizTextError:
        return self.error(self.line_at(index), message)

    def sub(self, start: int, end: int | None = None) -> Answers:
        end = len(self.text) if end is None else end
        return Answers(self.text[start:end], self.offset + start, self.line_of, self.error)

    def split(self, markers: str) -> list[tuple[str, Answers]]:
        """(marker, body) per answer; text before the first marker is an answer too when not blank
        (Moodle's explode keeps it), with the marker ""."""
        starts = [i for i, c in enumerate(self.text) if c in markers]
        pieces = []
        lead_end = starts[0] if starts else len(self.text)
        if self.text[:lead_end].strip(PHP_SPACE):
            pieces.append(("", self.sub(0, lead_end)))
        for start, end in zip(starts, starts[1:] + [len(self.text)]):
            pieces.append((self.text[start], self.sub(start + 1, end)))
        return pieces

    def first_line(self) -> int:
        """The line of the first non-blank character (where a message about this answer should point)."""
        stripped = self.text.lstrip(PHP_SPACE)
        return self.line_at(len(self.text) - len(stripped) if stripped else 0)


TRUE_FALSE_PENALTY = 1.0  # what Moodle's GIFT importer sets for every true/false question


def read_answers(answers: Answers, common: dict) -> QuestionSpec:
    stripped = answers.text.strip(PHP_SPACE)
    if not stripped:
        return EssaySpec(**common)
    if stripped.startswith("#"):
        return _numeric(answers, common)
    if "~" in stripped:
        return _multiple_choice(answers, common)
    if "=" in stripped and "->" in stripped:
        return _matching(answers, common)
    hash_at = stripped.find("#")
    if (stripped[:hash_at].strip(PHP_SPACE) if hash_at > 0 else stripped) in _TRUE_FALSE:
        return _true_false(answers, common)
    return _short_answer(answers, common)


def _weight(body: Answers, default: float) -> tuple[float, str]:
    text = body.text.strip(PHP_SPACE)
    try:
        fraction, rest = split_weight(text)
    except WeightError as error:
        raise body.fail(len(body.text) - len(body.text.lstrip(PHP_SPACE)), str(error)) from None
    return (default, text) if fraction is None else (fraction, rest)


def _text_and_feedback(body: Answers, text: str, what: str) -> tuple[str | None, str, str]:
    """(format, text, feedback) of one answer; the feedback follows the first '#'."""
    head, _, feedback = text.partition("#")
    text_format, answer = with_format(head)
    if not answer:
        raise body.error(body.first_line(), f"{what} has no text: write the answer after its marker "
                         "(Moodle would drop it without a word)")
    return text_format, answer, plain(feedback)


def _multiple_choice(answers: Answers, common: dict) -> QuestionSpec:
    # Any '=' makes it single choice, whatever the other weights say; each '=' answer is worth 100 %
    # and what follows the '=' is its text (no weight is read there).
    single = "=" in answers.text
    choices = []
    for index, (marker, body) in enumerate(answers.split("~=")):
        if marker == "=":
            fraction, text = 1.0, body.text.strip(PHP_SPACE)
        else:
            fraction, text = _weight(body, 0.0)
        text_format, text, feedback = _text_and_feedback(body, text, f"choice {index + 1}")
        choices.append(Choice(id=choice_id(index), text=text, fraction=fraction, feedback=feedback,
                              text_format=text_format))
    cls = SingleChoiceSpec if single else MultipleResponseSpec
    return cls(**common, choices=choices)


def _matching(answers: Answers, common: dict) -> MatchingSpec:
    pairs, distractors = [], []
    for _, body in answers.split("="):
        left, arrow, right = body.text.partition("->")
        if not arrow:
            raise body.error(body.first_line(), f"each matching pair is written '=left -> right'; "
                             f"{restore(body.text.strip(PHP_SPACE))!r} has no '->'")
        text_format, left = with_format(left)
        right = restore(right).strip(PHP_SPACE)  # everything after '->', '#' included: no feedback here
        if left and not right:
            raise body.error(body.first_line(), f"the matching item {left!r} has nothing after '->'")
        if left:
            pairs.append(MatchPair(id=choice_id(len(pairs)), left=left, right=right, text_format=text_format))
        elif right:
            distractors.append(right)  # '= -> text': an extra right-hand answer that matches nothing
    if len(pairs) < 2:
        raise answers.error(answers.first_line(), "a matching question needs at least two pairs (a pair "
                            "with an empty left side, '= -> text', is only a distractor)")
    return MatchingSpec(**common, pairs=pairs, distractors=distractors)


def _true_false(answers: Answers, common: dict) -> TrueFalseSpec:
    # At most three pieces: the answer, the feedback for a wrong pick, the feedback for a right one
    # (which keeps any further '#').
    pieces = answers.text.strip(PHP_SPACE).split("#", 2) + ["", ""]
    correct = with_format(pieces[0])[1] in ("T", "TRUE")
    wrong, right = plain(pieces[1]), plain(pieces[2])
    feedback_true, feedback_false = (right, wrong) if correct else (wrong, right)
    # A second try at true/false is a sure win, so Moodle gives the question a penalty of 100 %.
    return TrueFalseSpec(**common, correct=correct, feedback_true=feedback_true, feedback_false=feedback_false,
                         penalty=TRUE_FALSE_PENALTY)


def _short_answer(answers: Answers, common: dict) -> ShortAnswerSpec:
    accepted = []
    for index, (_, body) in enumerate(answers.split("=")):
        fraction, text = _weight(body, 1.0)
        _, text, feedback = _text_and_feedback(body, text, f"accepted answer {index + 1}")
        accepted.append(TextAnswer(text=text, fraction=fraction, feedback=feedback))
    return ShortAnswerSpec(**common, answers=accepted)


def _numeric(answers: Answers, common: dict) -> NumericSpec:
    inner = answers.sub(answers.text.index("#") + 1)
    catch_all = None
    tilde = inner.text.find("~")
    if tilde >= 0:
        # '~' and all after it is the feedback for any other number; only what follows a '#' is kept.
        feedback = inner.text[tilde:].partition("#")[2]
        catch_all = NumericAnswer(kind="any", fraction=0.0, feedback=plain(feedback))
        inner = inner.sub(0, tilde)
    result = []
    for _, body in inner.split("="):
        fraction, text = _weight(body, 1.0)
        _, text, feedback = _text_and_feedback(body, text, "a numeric answer")
        result.append(_numeric_answer(body, text, fraction, feedback))
    if not result:
        raise answers.error(answers.first_line(), "no answers found for this numeric question: write one "
                            "like {#3:0.5}, {#1..5} or {#=3:0 =%50%3:1}")
    if catch_all:
        result.append(catch_all)
    return NumericSpec(**common, answers=result)


def _numeric_answer(body: Answers, text: str, fraction: float, feedback: str) -> NumericAnswer:
    def number(piece: str) -> float:
        try:
            return parse_number(piece)
        except ValueError:
            raise body.error(body.first_line(), f"a numeric answer needs a number; got {piece.strip()!r}") from None

    if text == "*":
        return NumericAnswer(kind="any", fraction=fraction, feedback=feedback)
    if text.find("..") > 0:
        # min..max; Moodle stores the middle ± half the width, so the order of the two does not matter.
        low, _, high = text.partition("..")
        low_value, high_value = sorted((number(low), number(high)))
        return NumericAnswer(kind="range", min=low_value, max=high_value, fraction=fraction, feedback=feedback)
    if text.find(":") > 0:
        value, _, tolerance = text.partition(":")
        # Moodle keeps the tolerance's absolute value: 3:-1 is 3 ± 1.
        return NumericAnswer(kind="tolerance", value=number(value), tolerance=abs(number(tolerance)),
                             fraction=fraction, feedback=feedback)
    return NumericAnswer(kind="tolerance", value=number(text), tolerance=0.0, fraction=fraction, feedback=feedback)
