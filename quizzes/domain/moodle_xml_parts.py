"""The pieces of Moodle XML that the frame and every question type share: elements with their line,
the text formats, and writing texts, values and answers as Moodle writes them.

Nothing here knows a question type, so the types (quizzes.qtypes) import it without a cycle.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from .control_characters import text_without_control_characters
from .spec import format_number, format_percent

# Moodle's text formats and ours ("moodle" is Moodle's auto-format).
FORMATS_IN = {"html": "html", "moodle_auto_format": "moodle", "plain_text": "plain", "markdown": "markdown"}
FORMATS_OUT = {ours: theirs for theirs, ours in FORMATS_IN.items()}


@dataclass
class Node:
    """One element: its tag, attributes, the line it starts on, its children and its own text."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def first(self, tag: str) -> Node | None:
        return next((child for child in self.children if child.tag == tag), None)

    def all(self, tag: str) -> list[Node]:
        return [child for child in self.children if child.tag == tag]


def text_of(node: Node | None) -> str:
    if node is None:
        return ""
    inner = node.first("text")
    return (inner.text if inner is not None else node.text).strip()


INDENT = "  "


def cdata_or_escaped(text: str) -> str:
    """Text as Moodle writes it: markup inside CDATA (readable), anything else escaped. Control
    characters are dropped: XML 1.0 cannot hold them, and Moodle would refuse the whole file."""
    text = text_without_control_characters(text)
    if any(char in text for char in "<>&") and "]]>" not in text:
        return f"<![CDATA[{text}]]>"
    return escape(text)


def text_element(tag: str, text: str, text_format: str | None = None, *, depth: int = 2, **attrs: str) -> list[str]:
    """`<tag format="html"><text>…</text></tag>` as lines (the frame Moodle uses for every text)."""
    if text_format is not None:
        attrs = {"format": FORMATS_OUT[text_format], **attrs}
    opening = tag + "".join(f" {name}={quoteattr(value)}" for name, value in attrs.items())
    pad = INDENT * depth
    return [f"{pad}<{opening}>", f"{pad}{INDENT}<text>{cdata_or_escaped(text)}</text>", f"{pad}</{tag}>"]


def value_element(tag: str, value: str | float | bool, *, depth: int = 2) -> str:
    """`<tag>value</tag>`: numbers as Moodle writes them, booleans as true/false."""
    if isinstance(value, bool):
        shown = "true" if value else "false"
    elif isinstance(value, (int, float)):
        shown = format_number(value)
    else:
        shown = escape(value)
    return f"{INDENT * depth}<{tag}>{shown}</{tag}>"


def answer_element(text: str, fraction: float, feedback: str, *, text_format: str = "moodle",
                   feedback_format: str = "html", extra: Iterable[str] = ()) -> list[str]:
    """One `<answer fraction="…">` with its text, feedback and any type-specific lines (`extra`)."""
    pad = INDENT * 2
    return [f'{pad}<answer fraction="{format_percent(fraction)}" format="{FORMATS_OUT[text_format]}">',
            f"{pad}{INDENT}<text>{cdata_or_escaped(text)}</text>",
            *text_element("feedback", feedback, feedback_format, depth=3), *extra, f"{pad}</answer>"]
