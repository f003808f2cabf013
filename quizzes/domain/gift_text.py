r"""The small text rules of GIFT, as Moodle's importer (qformat_gift) applies them.

* Escapes: `\\` is a backslash, `\n` a new line, and `\:` `\#` `\=` `\{` `\}` `\~` the characters
  themselves. They are swapped for private-use code points while the structure is read, so that
  `\{` is never taken for a brace, and restored at the end.
* Trimming is PHP's: space, tab, line feed, carriage return, NUL and vertical tab — not every
  Unicode space, so a no-break space is text.
* `[html]`, `[moodle]`, `[plain]` or `[markdown]` at the very start of a text sets its format; any
  other bracketed word is text.
* A weight is `%n%` right after the answer's marker, matching `%-?d{1,2}.d*%` (so `%100%`, `%-50%`,
  `%33.33333%`), and must be one of Moodle's grades (Moodle's import default, "error if the grade is
  not listed"); anything else in percent signs is part of the answer text.
"""
from __future__ import annotations

import re

from .spec import TEXT_FORMATS, format_percent

PHP_SPACE = " \t\n\r\0\x0b"
_ESCAPABLE = "\\~=#{}:n"
_PLACEHOLDER = {c: chr(0xE000 + i) for i, c in enumerate(_ESCAPABLE)}
_RESTORE = str.maketrans({v: ("\n" if k == "n" else k) for k, v in _PLACEHOLDER.items()})
_WEIGHT = re.compile(r"%-*([0-9]{1,2})\.?([0-9]*)%")
_TAG = re.compile(r"<[^>]*>")

# question_bank::fraction_options_full(): p/q for q <= 6, p/10, 1/q for q <= 10, 1/20, and their negatives.
_POSITIVE_GRADES = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25,
                    0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05)
GRADES = _POSITIVE_GRADES + (0.0,) + tuple(-g for g in reversed(_POSITIVE_GRADES))
_GRADE_MATCH = 0.00001  # match_grade_options: "slightly fuzzy test, never check floats for equality"


class WeightError(ValueError):
    """A `%n%` weight that Moodle's import refuses; the message says why."""


def protect(line: str) -> str:
    """Escapes in `line` replaced by placeholders (a backslash pair first, as Moodle does)."""
    out, i = [], 0
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line) and line[i + 1] in _PLACEHOLDER:
            out.append(_PLACEHOLDER[line[i + 1]])
            i += 2
        else:
            out.append(line[i])
            i += 1
    return "".join(out)


def restore(text: str) -> str:
    return text.translate(_RESTORE)


def split_format(text: str) -> tuple[str | None, str]:
    """("html", rest) for "[html]rest"; (None, text) when the text does not open with a known format."""
    if text.startswith("["):
        end = text.find("]")
        if end > 0 and text[1:end] in TEXT_FORMATS:
            return text[1:end], text[end + 1:]
    return None, text


def with_format(text: str) -> tuple[str | None, str]:
    """Moodle's parse_text_with_format: trimmed, format prefix split off, escapes restored, trimmed."""
    text_format, rest = split_format(text.strip(PHP_SPACE))
    return text_format, restore(rest).strip(PHP_SPACE)


def plain(text: str) -> str:
    """A feedback or general feedback: its own format prefix dropped (a spec keeps one format per question)."""
    return with_format(text)[1]


def split_weight(answer: str) -> tuple[float | None, str]:
    """(fraction, rest) when `answer` opens with a weight; (None, answer) when it does not.

    Raises WeightError for a weight that is not one of Moodle's grades.
    """
    match = _WEIGHT.match(answer)
    if not match:
        return None, answer
    end = answer.index("%", 1)
    percent = answer[1:end]
    try:
        fraction = float(percent) / 100
    except ValueError:  # "%--50%": PHP stops with a type error, Moodle imports nothing
        raise WeightError(f"the weight %{percent}% is not a number") from None
    for grade in GRADES:
        if abs(fraction - grade) < _GRADE_MATCH:
            return grade, answer[end + 1:]
    listed = ", ".join(format_percent(g) for g in _POSITIVE_GRADES)
    raise WeightError(f"the weight %{percent}% is not one of the grades Moodle accepts ({listed}, 0, "
                      "or one of these negated)")


def question_name(text: str) -> str:
    """Moodle's clean_question_name: tags removed, trimmed, at most 255 characters."""
    name = _TAG.sub("", text).strip(PHP_SPACE)
    return name if len(name) <= 255 else name[:252].rstrip() + "..."


def default_name(question_text: str) -> str:
    """A name for an unnamed question: the start of its text, as Moodle's shorten_text(…, 80) gives it."""
    words = " ".join(_TAG.sub(" ", question_text).split())
    if len(words) <= 80:
        return words
    cut = words[:77]
    space = cut.rfind(" ")
    return (cut[:space] if space > 0 else cut) + "..."
