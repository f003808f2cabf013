"""Comparing what a learner typed with an accepted answer, the way Moodle compares them, and a little kinder.

Short answers follow Moodle's `compare_string_with_wildcard` (NFC, `*` for any run of characters, `\\*`
for a literal star, optional case) and then forgive what does not change the meaning: − for -, ∞ for
inf, superscripts and `^`/`_` markers, spacing, hyphens and underscores between words, trailing
punctuation and a trailing `()`. Numbers follow Moodle's answer processor: `3x10^8`, `3×10^8`,
`1,000.5`, a unicode minus, and tolerances checked with an allowance relative to the answer's size.
Pure functions only: no Django, no database.
"""
from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

# Private-use characters stand in for wildcards while the rest of a pattern is normalised.
_ANY_RUN = "\ue000"
_LITERAL_STAR = "\ue001"
_SENTINELS = re.compile("[\ue000\ue001]")
_STAR_RUN = re.compile(r"(?<!\\)\*+")

_DASHES = str.maketrans({"\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                         "\u2014": "-", "\ufe63": "-", "\uff0d": "-", "\u00d7": "x"})
_BRACED_MARK = re.compile(r"[\^_]\{([^{}]*)\}")  # W^{O}, W_{O}
_WORD_JOINER = re.compile(r"(?<=\w)[\^_\-](?=\w)")  # W^O, W_O, integrated-gradients
_TRAILING_NOISE = re.compile(r"(?:\s*(?:\(\s*\)|[.,;:!?]))+$")

# Moodle (qtype_numerical_answer::within_tolerance) widens every interval by a tiny amount relative
# to the answer, so 0.1 + 0.2 counts as 0.3 but 1234.000001 is not 1234.
FLOAT_ALLOWANCE = 1e-14

_POWER_OF_TEN = r"(?:[eE](?P<exp>[+-]?\d+)|[x*]10(?:\^|\*\*)(?P<pow>[+-]?\d+))"
_DECIMAL = re.compile(rf"(?P<sign>[+-]?)(?P<int>\d*)(?:\.(?P<frac>\d*))?{_POWER_OF_TEN}?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_TRAILING_UNIT = re.compile(r"(?P<number>.*\d\.?)(?P<unit>[^\W\d_][^\d%]*)")
_PERCENT_WORDS = re.compile(r"\bper\s*cent(?:age)?s?\b|%", re.IGNORECASE)


def _super_or_subscript(char: str) -> str:
    """'²' -> ' 2', so x² reads as x^2 does; other characters are left alone."""
    decomposition = unicodedata.decomposition(char)
    if decomposition.startswith(("<super>", "<sub>")):
        return " " + unicodedata.normalize("NFKC", char)
    return char


def forgiving_form(text: str, *, case_sensitive: bool = False, trim_end: bool = True) -> str:
    """The form in which a response and an accepted answer are compared (see module docstring)."""
    text = unicodedata.normalize("NFC", text).translate(_DASHES).replace("∞", "inf")
    text = "".join(_super_or_subscript(c) for c in text)
    text = _BRACED_MARK.sub(r" \1", text)
    text = _WORD_JOINER.sub(" ", text)
    text = _WORD_JOINER.sub(" ", text)  # a second pass for one-letter runs like a_b_c
    text = " ".join(text.split())
    if trim_end:
        text = _TRAILING_NOISE.sub("", text)
    return text if case_sensitive else text.casefold()


def has_wildcard(pattern: str) -> bool:
    """Whether an accepted answer holds a `*` that is not escaped as `\\*`."""
    return _STAR_RUN.search(pattern) is not None


@lru_cache(maxsize=4096)  # a quiz's accepted answers are few and graded again and again
def wildcard_segments(pattern: str, *, case_sensitive: bool = False) -> tuple[str, ...]:
    """An accepted answer as the literal pieces between its wildcards, each in forgiving form.

    Runs of `*` count as one (Moodle: "** is equivalent to *"); `\\*` is a literal star.
    """
    pattern = _SENTINELS.sub("", unicodedata.normalize("NFC", pattern))
    pattern = _STAR_RUN.sub(_ANY_RUN, pattern).replace("\\*", _LITERAL_STAR)
    raw_pieces = pattern.split(_ANY_RUN)
    last = len(raw_pieces) - 1
    pieces = []
    for index, piece in enumerate(raw_pieces):
        form = forgiving_form(piece.replace(_LITERAL_STAR, "*"), case_sensitive=case_sensitive,
                              trim_end=index == last)
        # Pieces next to a wildcard keep their edge spaces: "* dog" must not match "hotdog".
        if form and index > 0 and piece[:1].isspace():
            form = " " + form
        if form and index < last and piece[-1:].isspace():
            form = form + " "
        pieces.append(form)
    return tuple(pieces)


def matches_segments(segments: tuple[str, ...], text: str) -> bool:
    """Glob match in linear time: the first piece is a prefix, the last a suffix, the rest found in order.

    Taking the leftmost place for each middle piece is always safe with `*` as the only wildcard, so no
    pattern, however many stars it has, can make grading slow.
    """
    if len(segments) == 1:
        return text == segments[0]
    first, *middle, last = segments
    if not text.startswith(first) or len(text) < len(first) + len(last) or not text.endswith(last):
        return False
    position, end = len(first), len(text) - len(last)
    for piece in middle:
        found = text.find(piece, position, end)
        if found < 0:
            return False
        position = found + len(piece)
    return True


def short_answer_match(pattern: str, response: str, *, case_sensitive: bool = False) -> bool:
    """Whether a typed response matches one accepted answer (a pattern that may hold `*`)."""
    segments = wildcard_segments(pattern, case_sensitive=case_sensitive)
    if len(response) <= 200:
        return matches_segments(segments, _short_response_form(response, case_sensitive))
    return matches_segments(segments, forgiving_form(_SENTINELS.sub("", response), case_sensitive=case_sensitive))


@lru_cache(maxsize=1024)  # one response is compared with each accepted answer in turn; bounded in size
def _short_response_form(response: str, case_sensitive: bool) -> str:
    return forgiving_form(_SENTINELS.sub("", response), case_sensitive=case_sensitive)


def unit_is_percent(question_text: str) -> bool:
    """A numeric question asks for a percentage when its text says "percent", "percentage" or "%"."""
    return bool(_PERCENT_WORDS.search(question_text or ""))


def parse_numeric_response(raw: str, *, allow_comma: bool = True, percent: bool = False) -> float:
    """A finite float from what a learner typed; ValueError when it is not a number.

    Accepts "3.142", ".2", "1.", "1e4", "3x10^8", "3×10^8", "3.0*10^8", "3.00x10**-8", "1,000,000",
    "1,000.00", "−2" (unicode minus) and, with `allow_comma`, "3,5" as 3.5. A unit word after the
    number is ignored ("3.14 m"). A trailing "%" is the unit itself when the question asks for a
    percentage ("15%" is 15) and a hundredth otherwise.
    """
    text = "".join(unicodedata.normalize("NFKC", str(raw)).translate(_DASHES).split())
    scale = 1.0
    if text.endswith("%"):
        text, scale = text[:-1], (1.0 if percent else 0.01)
    else:
        # Our questions define no units, so a unit after the number is optional, as in Moodle's
        # "units optional" grading: "3.14 m" and "3 frogs" are read as 3.14 and 3.
        with_unit = _TRAILING_UNIT.fullmatch(text)
        if with_unit:
            text = with_unit["number"]
    if _THOUSANDS.fullmatch(text) and (text.count(",") > 1 or "." in text):
        text = text.replace(",", "")
    elif allow_comma and text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    match = _DECIMAL.fullmatch(text)
    if match is None or not (match["int"] or match["frac"]):
        raise ValueError(f"not a number: {raw!r}")
    mantissa = f"{match['sign']}{match['int'] or '0'}.{match['frac'] or '0'}"
    exponent = match["exp"] or match["pow"] or "0"
    try:
        value = float(f"{mantissa}e{exponent}") * scale
    except OverflowError as error:
        raise ValueError(f"number out of range: {raw!r}") from error
    if not math.isfinite(value):
        raise ValueError(f"number out of range: {raw!r}")
    return value


def within_interval(value: float, low: float, high: float) -> bool:
    """low <= value <= high, both inclusive, widened by FLOAT_ALLOWANCE times the bounds' size."""
    allowance = FLOAT_ALLOWANCE * max(abs(low), abs(high))
    return low - allowance <= value <= high + allowance


TOLERANCE_TYPES = ("relative", "nominal", "geometric")  # Moodle's tolerancetype 1, 2 and 3


def within_tolerance(value: float, answer: float, tolerance: float, *, tolerance_type: str = "nominal") -> bool:
    """Whether `value` is within `tolerance` of `answer`, as Moodle's qtype_numerical_answer checks it.

    nominal: answer ± |tolerance|; relative: answer ± |answer × tolerance|; geometric: from answer /
    (1 + |tolerance|) to answer × (1 + |tolerance|), mirrored for a negative answer.
    """
    tolerance = abs(tolerance)
    if tolerance_type == "nominal":
        return within_interval(value, answer - tolerance, answer + tolerance)
    if tolerance_type == "relative":
        spread = abs(answer) * tolerance
        return within_interval(value, answer - spread, answer + spread)
    if tolerance_type == "geometric":
        low, high = sorted((answer / (1 + tolerance), answer * (1 + tolerance)))
        return within_interval(value, low, high)
    raise ValueError(f"unknown tolerance type {tolerance_type!r}: use one of {', '.join(TOLERANCE_TYPES)}")
