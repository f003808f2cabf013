"""The pieces every question type reads the Markdown quiz format with: its line patterns, the answer
lines of a question, and the error that names the line (quizzes.domain.markdown_format reads the frame)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .markdown_text import ATTENTION_KEYS, ATTENTION_OPTIONAL_KEYS
from .spec import TEXT_FORMATS, NumericAnswer, QuizTextError, parse_number, round_fraction


class QuizFormatError(QuizTextError):
    """The Markdown quiz cannot be imported. `line` is 1-based."""


HEADER = re.compile(r"^##\s+Q:\s*(?P<title>.*?)\s*$")
META = re.compile(r"^(?P<key>type|category|mark|format|shuffle|case[ -]sensitive|penalty|units|unit[ -]penalty|units[ -]left|"
                  r"units[ -]shown)\s*:\s*(?P<value>.*?)\s*$", re.I)
CHOICE = re.compile(r"^[-*]\s+\[(?P<mark>[ xX]|[+-]?\d+(?:\.\d+)?%)\]\s+(?P<rest>.*?)\s*$")
ANSWER = re.compile(r"^answer\s*(?:\(\s*(?P<percent>[+-]?\d+(?:\.\d+)?)\s*%\s*\))?\s*:\s*(?P<rest>.*?)\s*$", re.I)
PAIR = re.compile(r"^[-*]\s+(?P<left>.*?)\s*=>\s*(?P<right>.*?)\s*$")
SECTION = re.compile(r"^>\s*(?P<key>general feedback|explanation|grader info|hint)\s*:\s?(?P<rest>.*)$", re.I)
FEEDBACK = re.compile(r"\s+(?:—|--)\s*feedback:\s*", re.I)
FENCE = re.compile(r"^\s*(```|~~~)")
QUOTE = re.compile(r"^>\s?(?P<rest>.*)$")
COMMENT = re.compile(r"^\s*<!--.*-->\s*$")
FORMAT_PREFIX = re.compile(r"^\[(" + "|".join(TEXT_FORMATS) + r")\]")
TOLERANCE = re.compile(r"^(?P<value>\S+?)\s*(?:±|\+/-|\+-)\s*(?P<tolerance>\S+)$")
RANGE = re.compile(r"^(?P<min>\S+?)\s*\.\.\s*(?P<max>\S+)$")
SETTING = re.compile(r"^(?P<key>" + "|".join(ATTENTION_KEYS + ATTENTION_OPTIONAL_KEYS) + r")\s*:\s*(?P<value>.*?)\s*$",
                     re.I)
YES, NO = {"yes", "true", "on"}, {"no", "false", "off"}
# How a question's answer lines are named in messages, by the kind of line.
KIND_NAMES = {"choice": "choices", "answer": "'answer:' lines", "pair": "'=>' pairs"}


@dataclass
class Item:
    kind: str  # "choice" | "answer" | "pair"
    line: int
    match: re.Match
    text: str = ""
    feedback: str = ""


@dataclass
class Question:
    title: str
    line: int
    body: list[tuple[int, str]] = field(default_factory=list)


def answer_kind(line: str) -> str | None:
    """"choice", "answer", "pair" or "section" for a line that belongs to the answers, else None."""
    if CHOICE.match(line):
        return "choice"
    if ANSWER.match(line):
        return "answer"
    if PAIR.match(line):
        return "pair"
    if SECTION.match(line):
        return "section"
    return None


def numeric_answer(text: str) -> NumericAnswer | None:
    try:
        if text == "*":
            return NumericAnswer(kind="any")
        if match := TOLERANCE.match(text):
            return NumericAnswer(kind="tolerance", value=parse_number(match["value"]),
                                 tolerance=parse_number(match["tolerance"]))
        if match := RANGE.match(text):
            return NumericAnswer(kind="range", min=parse_number(match["min"]), max=parse_number(match["max"]))
        return NumericAnswer(kind="tolerance", value=parse_number(text), tolerance=0.0)
    except ValueError:
        return None


def fraction(percent: str) -> float:
    return round_fraction(float(percent) / 100)


def split_format(text: str) -> tuple[str | None, str]:
    match = FORMAT_PREFIX.match(text)
    return (match.group(1), text[match.end():].strip()) if match else (None, text)


def choice_marks(items: list[Item]) -> list[str]:
    return [item.match["mark"].lower() for item in items]


def full_marks(items: list[Item]) -> list[str]:
    return [m for m in choice_marks(items) if m in ("x", "100%")]


def typed_answers(items: list[Item]) -> list[tuple[Item, float]]:
    """Each `answer:` line with its weight (100 % unless given)."""
    out = []
    for item in items:
        if not item.text:
            raise QuizFormatError(item.line, "an 'answer:' line needs an answer after the colon")
        out.append((item, fraction(item.match["percent"]) if item.match["percent"] else 1.0))
    return out
