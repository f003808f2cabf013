"""The pieces of Markdown quiz text every question type writes with (patterns kept in step with the parser)."""
from __future__ import annotations

import re

from .spec import TEXT_FORMATS, format_percent

# The `key: value` lines of an attention question, in the order they are written. `tokens` and
# `weights` are JSON lists: a WordPiece token can be any character, "|" and "," included.
ATTENTION_KEYS = ("sentence", "layer", "head", "query", "answer", "model", "tokens", "weights")
# Optional lines, written only when they differ from the default ("lab link: yes" makes it open-book).
ATTENTION_OPTIONAL_KEYS = ("lab link",)
ATTENTION_LINE = re.compile(r"^(" + "|".join(ATTENTION_KEYS + ATTENTION_OPTIONAL_KEYS) + r")\s*:", re.I)

# Kept in step with the parser's patterns (duplicated rather than imported: the parser imports us).
HEADER = re.compile(r"^##\s+Q:")
META = re.compile(r"^(type|category|mark|format|shuffle|case[ -]sensitive|penalty)\s*:", re.I)
CHOICE = re.compile(r"^[-*]\s+\[([ xX]|[+-]?\d+(?:\.\d+)?%)\]\s+")
ANSWER = re.compile(r"^answer\s*(?:\(\s*[+-]?\d+(?:\.\d+)?\s*%\s*\))?\s*:", re.I)
PAIR = re.compile(r"^[-*]\s+.*=>")
SECTION = re.compile(r"^>\s*(general feedback|explanation|grader info|hint)\s*:", re.I)
FEEDBACK = re.compile(r"\s(?:—|--)\s*feedback:", re.I)
FENCE = re.compile(r"^\s*(```|~~~)")
FORMAT_PREFIX = re.compile(r"^\[(" + "|".join(TEXT_FORMATS) + r")\]")


def one_line(text: str, what: str) -> str:
    text = text.strip()
    if "\n" in text or "\r" in text:
        raise ValueError(f"{what} cannot span several lines in the Markdown quiz format: {text!r}")
    return text


def item_text(text: str, what: str, *, prefix_allowed: bool = False) -> str:
    text = one_line(text, what)
    if FEEDBACK.search(" " + text):
        raise ValueError(f"{what} contains '— feedback:', which would be read as the start of feedback: {text!r}")
    if not prefix_allowed and FORMAT_PREFIX.match(text):
        raise ValueError(f"{what} starts with a format tag like [html], which would be read as its format: {text!r}")
    return text


def with_feedback(line: str, feedback: str, what: str) -> str:
    if not feedback.strip():
        return line
    return f"{line} — feedback: {one_line(feedback, what + ' feedback')}"


def mark(fraction: float) -> str:
    return f"[{format_percent(fraction)}%]"
