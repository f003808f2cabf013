"""Limits that keep Markdown rendering fast, checked before anything is rendered or saved.

Python-Markdown is quadratic or worse on some shapes that no honest lesson has: lists or quotes
nested hundreds deep, and long runs of openers that never close (`[a](` × 5,000 took 28 s,
`<a ` × 13,000 took 82 s, `\\(` × 20,000 took 40 s). So every text is refused, with a message naming
the limit, when it is over MAX_CHARACTERS, nests deeper than MAX_NESTING, or leaves more than
MAX_UNCLOSED brackets open in one paragraph. Closed fenced code blocks are not Markdown and are not
counted. Within these limits the worst shapes we know render in well under a second.
"""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError

MAX_CHARACTERS = 40_000  # the longest lesson of the course is under 14,000
MAX_NESTING = 12  # lists and quotes inside each other
MAX_UNCLOSED = 64  # ( [ { < left open in one paragraph

_TAG_EDGE = re.compile(r"<[A-Za-z/!?]|>")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_QUOTES = re.compile(r"^[ \t]*((?:>[ \t]?)+)")
_OPENERS = {"(": ")", "[": "]", "{": "}", "<": ">"}
_CLOSERS = {closer: opener for opener, closer in _OPENERS.items()}


def _lines_outside_closed_fences(lines: list[str]) -> list[str]:
    """The lines Markdown parses as Markdown: a fence only counts as code once it is closed."""
    kept, fence, pending = [], None, []
    for line in lines:
        match = _FENCE.match(line)
        if fence is None:
            if match:
                fence, pending = match.group(1)[0] * len(match.group(1)), [line]
            else:
                kept.append(line)
        else:
            pending.append(line)
            if match and match.group(1).startswith(fence):
                fence, pending = None, []
    return kept + pending  # an unclosed fence is plain Markdown


def _nesting(line: str) -> int:
    quotes = _QUOTES.match(line)
    quote_depth = quotes.group(1).count(">") if quotes else 0
    rest = line[quotes.end():] if quotes else line
    indent = len(rest.expandtabs(4)) - len(rest.expandtabs(4).lstrip(" "))
    return quote_depth + -(-indent // 4)


def _most_unclosed(paragraph: str) -> int:
    depth, most = {opener: 0 for opener in _OPENERS}, 0
    for char in paragraph:
        if char in _OPENERS:
            depth[char] += 1
            most = max(most, sum(depth.values()))
        elif char in _CLOSERS and depth[_CLOSERS[char]]:
            depth[_CLOSERS[char]] -= 1
    return most


def _most_open_tags(text: str) -> int:
    depth = most = 0
    for edge in _TAG_EDGE.finditer(text):
        depth = depth + 1 if edge.group() != ">" else max(depth - 1, 0)
        most = max(most, depth)
    return most


def markdown_limits_check(source: str, *, field_label: str = "The text") -> None:
    """Raise ValidationError (naming the limit) when `source` is too big or too deep to render safely."""
    if len(source) > MAX_CHARACTERS:
        raise ValidationError(
            f"{field_label} is {len(source):,} characters long; the limit is {MAX_CHARACTERS:,}. Split it up.",
            code="markdown_too_long",
        )
    lines = _lines_outside_closed_fences(source.replace("\r\n", "\n").split("\n"))
    deepest = max((_nesting(line) for line in lines if line.strip()), default=0)
    if deepest > MAX_NESTING:
        raise ValidationError(
            f"{field_label} nests lists or quotes {deepest} levels deep; the limit is {MAX_NESTING}.",
            code="markdown_too_deep",
        )
    markdown_text = "\n".join(lines)
    # An HTML-looking tag left open is searched for to the end of the document, not of the paragraph.
    open_tags = _most_open_tags(markdown_text)
    if open_tags > MAX_UNCLOSED:
        raise ValidationError(
            f"{field_label} leaves {open_tags} HTML-like tags open; the limit is {MAX_UNCLOSED}. "
            "Close them, or put code in a fenced block.",
            code="markdown_too_many_open_tags",
        )
    for paragraph in markdown_text.split("\n\n"):
        unclosed = _most_unclosed(paragraph)
        if unclosed > MAX_UNCLOSED:
            raise ValidationError(
                f"{field_label} leaves {unclosed} brackets open in one paragraph; the limit is {MAX_UNCLOSED}. "
                "Close them, or put code in a fenced block.",
                code="markdown_too_many_open_brackets",
            )


def validate_markdown_limits(value: str) -> None:
    """The same check as a form or model field validator (quiz question texts)."""
    markdown_limits_check(value or "")
