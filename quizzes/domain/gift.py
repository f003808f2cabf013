r"""Moodle's GIFT quiz format: `parse_gift` reads a whole file into specs, all or nothing.

Written from the format's description (docs.moodle.org/en/GIFT_format) and checked against Moodle's
own importer fixtures. The rules, briefly:

* Questions are separated by blank lines; lines starting with `//` are comments.
* `::name::` names a question; `[html]`, `[moodle]`, `[plain]` or `[markdown]` before a text sets
  its format; `$CATEGORY: path` sets the category of the questions that follow.
* The answers sit in one `{ … }` block. Text after the block makes a "missing word" question: the
  text keeps a blank (`_____`) where the block was.
* `{}` essay · `{T}`/`{TRUE}`/`{F}`/`{FALSE}` (optionally `#feedback if wrong#feedback if right`) ·
  `{=right ~wrong}` single choice · `{~%50%a ~%50%b ~%-100%c}` (no `=`) multiple response ·
  `{=a =%50%b}` short answer · `{#3:0.5}`, `{#1..5}`, `{#=%100%3:0 =%50%3:1 ~#other}` numeric ·
  `{=left -> right = -> distractor}` matching.
* `%50%` weights an answer, `#` starts its feedback, `####` starts the general feedback.
* `\\ \~ \= \# \{ \} \:` are literal characters and `\n` is a new line.

GIFT cannot say everything a spec holds (an explanation, the mark, case sensitivity, shuffling,
grader information). `write_gift` keeps those in one comment line above the question,
`// @attentive {"default_mark": 2}`, which Moodle ignores as a comment and `parse_gift` reads back.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from config.json_body import json_loads

from .spec import (
    BLANK,
    TEXT_FORMATS,
    Choice,
    EssaySpec,
    MatchingSpec,
    MatchPair,
    MultipleResponseSpec,
    NumericAnswer,
    NumericSpec,
    ParsedQuestion,
    QuestionSpec,
    QuizTextError,
    ShortAnswerSpec,
    SingleChoiceSpec,
    SpecError,
    TextAnswer,
    TrueFalseSpec,
    choice_id,
    parse_number,
    round_fraction,
)
from .gift_writer import EXTENSION_FIELDS, write_gift

__all__ = ["GiftError", "parse_gift", "write_gift"]


class GiftError(QuizTextError):
    """The GIFT text cannot be imported. `line` is 1-based: the question's first line or the bad line."""


# Escaped characters become private-use code points while the structure is parsed, so that `\{`
# is never mistaken for a brace, and are turned back into the characters afterwards.
_ESCAPABLE = "\\~=#{}:n"
_PLACEHOLDER = {c: chr(0xE000 + i) for i, c in enumerate(_ESCAPABLE)}
_RESTORE = str.maketrans({v: ("\n" if k == "n" else k) for k, v in _PLACEHOLDER.items()})
_FORMAT_PREFIX = re.compile(r"\s*\[(" + "|".join(TEXT_FORMATS) + r")\]")
_EXTENSION = re.compile(r"//\s*@attentive\b\s*(.*)$")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def _protect(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in _PLACEHOLDER:
            out.append(_PLACEHOLDER[text[i + 1]])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _restore(text: str) -> str:
    return text.translate(_RESTORE)


def _split_format(text: str) -> tuple[str | None, str]:
    """("html", rest) for "[html]rest"; (None, text) without a prefix."""
    match = _FORMAT_PREFIX.match(text)
    return (match.group(1), text[match.end():]) if match else (None, text)


def _clean(text: str) -> str:
    """Protected text to final text: trimmed, escapes restored, format prefix dropped."""
    return _restore(_split_format(text.strip())[1].strip())


@dataclass
class _Block:
    """One question's text (escapes protected, comments blanked) and where it sits in the file."""

    text: str
    first_line: int
    extension: tuple[int, str] | None = None

    def line_at(self, offset: int) -> int:
        return self.first_line + self.text.count("\n", 0, offset)


def parse_gift(text: str) -> list[ParsedQuestion]:
    """Every question of a GIFT file, validated; raises GiftError at the first problem."""
    questions: list[ParsedQuestion] = []
    category: str | None = None
    for block in _blocks(text):
        if block.text.startswith("$CATEGORY:"):
            first, _, rest = block.text.partition("\n")
            category = _restore(first[len("$CATEGORY:"):]).strip() or None
            if not rest.strip():
                continue
            skipped = len(rest) - len(rest.lstrip())
            block = _Block(rest.lstrip(), block.first_line + 1 + rest[:skipped].count("\n"), block.extension)
        spec = _parse_question(block)
        spec.category = category
        if block.extension:
            _apply_extension(spec, *block.extension)
        try:
            spec.validate()
        except SpecError as error:
            raise GiftError(block.first_line, error.message) from None
        questions.append(ParsedQuestion(spec=spec, line=block.first_line))
    return questions


def _blocks(text: str) -> list[_Block]:
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks, current, extension, first = [], [], None, None

    def close() -> None:
        nonlocal current, extension, first
        if first is not None:
            blocks.append(_Block("\n".join(current).rstrip(), first, extension))
        elif extension is not None:
            raise GiftError(extension[0], "an '@attentive' comment must sit directly above its question")
        current, extension, first = [], None, None

    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            close()
        elif stripped.startswith("//"):
            match = _EXTENSION.match(stripped)
            if match:
                extension = (number, match.group(1))
            if first is not None:
                current.append("")  # keeps offsets on the right line
        else:
            if first is None:
                first, line = number, line.lstrip()
            current.append(_protect(line))
    close()
    return blocks


def _parse_question(block: _Block) -> QuestionSpec:
    text, start = block.text, block.first_line
    title, pos = "", 0
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise GiftError(start, "the question name has no closing '::' (write \\: for a literal colon)")
        title, pos = _restore(text[2:end]).strip(), end + 2
    opening, closing = text.find("{", pos), text.find("}", pos)
    if opening < 0 or (0 <= closing < opening):
        if closing >= 0:
            raise GiftError(block.line_at(closing), "a '}' without an opening '{' (write \\} for a literal brace)")
        raise GiftError(start, "no answer block: a question needs its answers in { } (an essay has {})")
    if closing < 0:
        raise GiftError(block.line_at(opening), "unclosed '{' — the answer block never ends (a blank line ends a "
                        "question; write \\{ for a literal brace)")
    nested = text.find("{", opening + 1)
    if 0 <= nested < closing:
        raise GiftError(block.line_at(nested), "a '{' inside the answer block (write \\{ for a literal brace)")
    after = text[closing + 1:]
    for stray in ("{", "}"):
        if stray in after:
            raise GiftError(block.line_at(closing + 1 + after.index(stray)),
                            f"a second '{stray}' after the answer block: a question has one answer block "
                            f"(write \\{stray} for a literal brace)")
    text_format, before = _split_format(text[pos:opening].lstrip())
    question_text = before + BLANK + after if after.strip() else before
    common = {
        "title": title or _default_title(_restore(question_text.strip())),
        "text": _restore(question_text.strip()),
        "text_format": text_format or "moodle",
    }
    answers = text[opening + 1:closing]
    general = answers.find("####")
    if general >= 0:
        common["general_feedback"] = _clean(answers[general + 4:])
        answers = answers[:general]
    body = _Answers(block, answers, opening + 1)
    stripped = answers.strip()
    if not stripped:
        return EssaySpec(**common)
    if stripped.startswith("#"):
        return _numeric(body, common)
    if "~" in stripped:
        return _choices(body, common)
    if "=" in stripped and "->" in stripped:
        return _matching(body, common)
    head = stripped.split("#", 1)[0].strip()
    if head.upper() in _TRUE_FALSE:
        return _true_false(body, common)
    return _short_answer(body, common)


def _default_title(text: str) -> str:
    """Moodle names an unnamed question after the start of its text."""
    plain = " ".join(re.sub(r"<[^>]*>", " ", text).split())
    return plain if len(plain) <= 60 else plain[:59].rstrip() + "…"


@dataclass
class _Answers:
    """The inside of an answer block, with a way back to file lines for messages."""

    block: _Block
    text: str
    offset: int

    def line_at(self, index: int) -> int:
        return self.block.line_at(self.offset + index)

    def split(self, markers: str, *, allow_lead: bool = False) -> list[tuple[str, str, int]]:
        """(marker, body, line) for each answer starting with one of `markers`.

        With `allow_lead`, text before the first marker is an answer too (marker ""), as numeric
        answers may be written without '=' ({#3:0.5}).
        """
        starts = [i for i, c in enumerate(self.text) if c in markers]
        lead = self.text[: starts[0]] if starts else self.text
        found = []
        if lead.strip():
            where = len(lead) - len(lead.lstrip())
            if not allow_lead:
                raise GiftError(self.line_at(where), f"answer {_restore(lead.strip())!r} must start with '=' "
                                "(a right answer) or '~' (a wrong answer)")
            found.append(("", lead, self.line_at(where)))
        ends = starts[1:] + [len(self.text)]
        return found + [(self.text[s], self.text[s + 1:e], self.line_at(s)) for s, e in zip(starts, ends)]


def _weight(body: str, default: float, line: int) -> tuple[float, str]:
    """Split an optional leading %n% weight off an answer."""
    body = body.lstrip()
    if not body.startswith("%"):
        return default, body
    end = body.find("%", 1)
    if end < 0:
        raise GiftError(line, f"the weight in {_restore(body.strip())!r} has no closing '%' (write it like %50%)")
    try:
        percent = parse_number(body[1:end])
    except ValueError:
        raise GiftError(line, f"the weight %{_restore(body[1:end])}% is not a percentage") from None
    return round_fraction(percent / 100), body[end + 1:]


def _feedback(body: str) -> tuple[str, str]:
    head, _, feedback = body.partition("#")
    return head, _clean(feedback)


def _choices(answers: _Answers, common: dict) -> QuestionSpec:
    parts = answers.split("=~")
    single = any(marker == "=" for marker, _, _ in parts)
    choices = []
    for index, (marker, body, line) in enumerate(parts):
        fraction, body = _weight(body, 1.0 if marker == "=" else 0.0, line)
        body, feedback = _feedback(body)
        text_format, body = _split_format(body.strip())
        if not body.strip():
            raise GiftError(line, "an answer is empty")
        choices.append(Choice(id=choice_id(index), text=_restore(body.strip()), fraction=fraction,
                              feedback=feedback, text_format=text_format))
    cls = SingleChoiceSpec if single else MultipleResponseSpec
    return cls(**common, choices=choices)


def _matching(answers: _Answers, common: dict) -> MatchingSpec:
    pairs, distractors = [], []
    for _, body, line in answers.split("="):
        left, arrow, right = body.partition("->")
        if not arrow:
            raise GiftError(line, f"each matching pair is written '=left -> right'; {_restore(body.strip())!r} "
                            "has no '->'")
        right = _restore(right.strip())
        if not right:
            raise GiftError(line, "a matching pair needs a right-hand side after '->'")
        text_format, left = _split_format(left.strip())
        if left.strip():
            pairs.append(MatchPair(id=choice_id(len(pairs)), left=_restore(left.strip()), right=right,
                                   text_format=text_format))
        else:
            distractors.append(right)
    if len(pairs) < 2:
        raise GiftError(answers.block.first_line, "a matching question needs at least two pairs (a pair with an "
                        "empty left side, '= -> text', is only a distractor)")
    return MatchingSpec(**common, pairs=pairs, distractors=distractors)


def _true_false(answers: _Answers, common: dict) -> TrueFalseSpec:
    pieces = answers.text.strip().split("#")
    if len(pieces) > 3:
        raise GiftError(answers.line_at(0), "a true/false answer has at most two feedbacks: "
                        "{TRUE#feedback if wrong#feedback if right}")
    correct = _TRUE_FALSE[pieces[0].strip().upper()]
    wrong, right = [_clean(p) for p in pieces[1:]] + [""] * (3 - len(pieces))
    # Moodle's order is wrong-then-right; a spec keeps feedback per the student's pick.
    feedback_true, feedback_false = (right, wrong) if correct else (wrong, right)
    return TrueFalseSpec(**common, correct=correct, feedback_true=feedback_true, feedback_false=feedback_false)


def _short_answer(answers: _Answers, common: dict) -> ShortAnswerSpec:
    accepted = []
    for _, body, line in answers.split("="):
        fraction, body = _weight(body, 1.0, line)
        body, feedback = _feedback(body)
        if not body.strip():
            raise GiftError(line, "an accepted answer is empty")
        accepted.append(TextAnswer(text=_restore(body.strip()), fraction=fraction, feedback=feedback))
    return ShortAnswerSpec(**common, answers=accepted)


def _numeric(answers: _Answers, common: dict) -> NumericSpec:
    start = answers.text.index("#") + 1
    inner = _Answers(answers.block, answers.text[start:], answers.offset + start)
    other = inner.text.find("~")
    catch_all = None
    if other >= 0:
        rest = inner.text[other + 1:].strip()
        if rest and not rest.startswith("#"):
            raise GiftError(inner.line_at(other), "in a numeric question '~' may only be followed by "
                            "'#feedback' for any other number")
        catch_all = NumericAnswer(kind="any", fraction=0.0, feedback=_clean(rest[1:]))
        inner.text = inner.text[:other]
    parts = inner.split("=", allow_lead=True)
    result = []
    for _, body, line in parts:
        if not body.strip():
            continue
        fraction, body = _weight(body, 1.0, line)
        body, feedback = _feedback(body)
        result.append(_numeric_answer(_restore(body.strip()), fraction, feedback, line))
    if catch_all:
        result.append(catch_all)
    if not result:
        raise GiftError(answers.line_at(0), "a numeric question needs at least one answer, like {#3:0.5}")
    return NumericSpec(**common, answers=result)


def _numeric_answer(text: str, fraction: float, feedback: str, line: int) -> NumericAnswer:
    def number(piece: str) -> float:
        try:
            return parse_number(piece)
        except ValueError:
            raise GiftError(line, f"a numeric answer needs a number; got {piece.strip()!r}") from None

    if text == "*":
        return NumericAnswer(kind="any", fraction=fraction, feedback=feedback)
    if ":" in text:
        value, _, tolerance = text.partition(":")
        return NumericAnswer(kind="tolerance", value=number(value), tolerance=number(tolerance),
                             fraction=fraction, feedback=feedback)
    if ".." in text:
        low, _, high = text.partition("..")
        return NumericAnswer(kind="range", min=number(low), max=number(high), fraction=fraction, feedback=feedback)
    return NumericAnswer(kind="tolerance", value=number(text), tolerance=0.0, fraction=fraction, feedback=feedback)


def _apply_extension(spec: QuestionSpec, line: int, payload: str) -> None:
    try:
        extras = json_loads(payload)  # the platform's one JSON reader: size and depth limits
    except json.JSONDecodeError:
        raise GiftError(line, "the '@attentive' comment must hold a JSON object") from None
    if not isinstance(extras, dict):
        raise GiftError(line, "the '@attentive' comment must hold a JSON object")
    for key, value in extras.items():
        if key not in EXTENSION_FIELDS or not hasattr(spec, key):
            raise GiftError(line, f"'{key}' does not apply to a {spec.qtype.replace('_', ' ')} question")
        setattr(spec, key, value)
