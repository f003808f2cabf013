r"""Moodle's GIFT quiz format: `parse_gift` reads a whole file into specs, all or nothing.

The reading follows Moodle's own importer (qformat_gift and qformat_default) rule by rule, so that a
file Moodle imports comes in here as the same questions, and a file Moodle refuses is refused here,
with the line and the reason. The rules, in the order they apply:

* Lines are trimmed; a question ends at a blank line; a line starting with `//` is a comment (inside
  a question it counts as a space). A comment's `[tag:name]` marks tag the question, as in Moodle.
* `$CATEGORY: path` sets the category of the questions that follow.
* `::name::` names a question (an unnamed one takes the start of its text; a `::` never closed is
  dropped and the question stays unnamed).
* The answers are between the first `{` and the first `}`. Text after them makes a "missing word"
  question: the text keeps a blank (`_____`) where the block was — unless the text ends with `}`.
  No braces at all is a Moodle "description", which is not a question here.
* `####` (the last one) starts the general feedback.
* Types, escapes, format prefixes and weights: see gift_answers and gift_text.

Where Moodle would go wrong silently we refuse instead, and say so: an answer with no text (Moodle
drops it), a numeric answer that is not a number (Moodle turns it into "any number"), a `{` or `}`
with no partner.

GIFT cannot say everything a spec holds (an explanation, the mark, case sensitivity, shuffling,
grader information). `write_gift` keeps those in one comment line above the question,
`// @attentive {"default_mark": 2}`, which Moodle ignores as a comment and `parse_gift` reads back.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from config.json_body import json_loads

from .gift_answers import Answers, read_answers
from .gift_text import PHP_SPACE, default_name, plain, protect, question_name, restore, with_format
from .gift_writer import EXTENSION_FIELDS, write_gift
from .spec import BLANK, ParsedQuestion, QuestionSpec, QuizTextError, SpecError
from .control_characters import text_without_control_characters

__all__ = ["GiftError", "parse_gift", "write_gift"]

_EXTENSION = re.compile(r"//\s*@attentive\b\s*(.*)$")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]\n])*)\]")


class GiftError(QuizTextError):
    """The GIFT text cannot be imported. `line` is 1-based: the question's first line or the bad line."""


@dataclass
class _Block:
    """One question's text (lines trimmed, comments blanked, escapes protected) and where it starts."""

    text: str
    first_line: int
    extension: tuple[int, str] | None = None
    tags: tuple[str, ...] = ()

    def line_at(self, offset: int) -> int:
        return self.first_line + self.text.count("\n", 0, offset)


def parse_gift(text: str) -> list[ParsedQuestion]:
    """Every question of a GIFT file, validated; raises GiftError at the first problem."""
    questions: list[ParsedQuestion] = []
    category: str | None = None
    for block in _blocks(text):
        if block.text.startswith("$CATEGORY:"):
            # Moodle reads the whole block as the category; a question written straight under the
            # line (no blank line between) is read as the next question rather than lost in the name.
            first, newline, rest = block.text.partition("\n")
            category = restore(first[len("$CATEGORY:"):]).strip(PHP_SPACE) or None
            if not rest.strip(PHP_SPACE):
                continue
            block = _trimmed(rest, block.first_line + 1, block.extension, block.tags)
        spec = _parse_question(block)
        spec.category = category
        spec.tags = list(block.tags)
        if block.extension:
            _apply_extension(spec, *block.extension)
        try:
            spec.validate()
        except SpecError as error:
            raise GiftError(block.first_line, error.message) from None
        questions.append(ParsedQuestion(spec=spec, line=block.first_line))
    return questions


def _trimmed(text: str, first_line: int, extension: tuple[int, str] | None, tags: tuple[str, ...] = ()) -> _Block:
    """A block whose text starts at its first non-blank character, `first_line` moved to match."""
    lead = len(text) - len(text.lstrip(PHP_SPACE))
    return _Block(text.strip(PHP_SPACE), first_line + text.count("\n", 0, lead), extension, tags)


def comment_tags(comment: str) -> list[str]:
    """Moodle's tags in a comment line: `[tag:name]`, spaces trimmed, `\\]` for a `]` in the name."""
    tags = []
    for match in _TAG.finditer(comment):
        tag = match.group(1).replace("\\]", "]").strip(PHP_SPACE)
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _blocks(text: str) -> list[_Block]:
    # A UTF-8 byte order mark and control characters (NUL: PostgreSQL refuses it) are dropped first.
    text = text_without_control_characters(text.lstrip("\ufeff"))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[_Block] = []
    current: list[str] = []
    first: int | None = None
    extension: tuple[int, str] | None = None
    tags: list[str] = []

    def close() -> None:
        nonlocal current, first, extension, tags
        if first is not None:
            block = _trimmed("\n".join(current), first, extension, tuple(tags))
            if block.text:  # a block of comments only is no question (Moodle skips it too)
                blocks.append(block)
            elif extension is not None:
                raise GiftError(extension[0], "an '@attentive' comment must sit directly above its question")
        current, first, extension, tags = [], None, None, []

    for number, line in enumerate(lines, start=1):
        stripped = line.strip(PHP_SPACE)
        if not stripped:
            close()
            continue
        if first is None:
            first = number
        if stripped.startswith("//"):
            match = _EXTENSION.match(stripped)
            if match:
                extension = (number, match.group(1))
            else:  # the JSON of an '@attentive' line is ours, not Moodle's tags
                tags += [tag for tag in comment_tags(stripped) if tag not in tags]
            current.append(" ")
        else:
            current.append(protect(stripped))
    close()
    return blocks


def _parse_question(block: _Block) -> QuestionSpec:
    text, start, title = block.text, 0, None
    if text.startswith("::"):
        end = text.find("::", 2)
        start = 2
        if end >= 0:
            title = question_name(restore(text[2:end]))
            start = end + 2
            start += len(text[start:]) - len(text[start:].lstrip(PHP_SPACE))
    opening, closing = text.find("{", start), text.find("}", start)
    if opening < 0 and closing < 0:
        raise GiftError(block.first_line, "no answer block: Moodle would import this as a description "
                        "(text without a question), which is not a question type here; add the answers "
                        "in { } (an essay has {})")
    if opening < 0:
        raise GiftError(block.line_at(closing), "a '}' without an opening '{' (write \\} for a literal brace)")
    if closing < 0:
        raise GiftError(block.line_at(opening), "unclosed '{': the answer block never ends (a blank line ends "
                        "a question; write \\{ for a literal brace)")
    if closing < opening:
        raise GiftError(block.line_at(closing), "a '}' before the answer block's '{' (write \\} for a literal "
                        "brace)")
    # "Missing word": text after the block keeps a blank where the block was, unless the text ends with '}'.
    filler = "" if text.endswith("}") else BLANK
    text_format, question_text = with_format(text[start:opening] + filler + text[closing + 1:])
    answers = Answers(text[opening + 1:closing], opening + 1, block.line_at, GiftError)
    general = answers.text.rfind("####")
    general_feedback = ""
    if general >= 0:
        general_feedback = plain(answers.text[general + 4:])
        answers = answers.sub(0, general)
    common = {
        "title": title or default_name(question_text),
        "text": question_text,
        "text_format": text_format or "moodle",
        "general_feedback": general_feedback,
    }
    return read_answers(answers, common)


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
