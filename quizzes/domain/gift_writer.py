"""Writing specs as GIFT text that Moodle imports and `parse_gift` reads back to equal specs.

Each question type writes its own answer block (quizzes.qtypes); this module writes the frame.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable

from .gift_writing import escape
from .spec import BLANK, TEXT_FORMATS, ParsedQuestion, QuestionSpec
from .spec_base import DEFAULT_PENALTY

# Spec fields GIFT has no syntax for, kept in a `// @attentive {...}` comment, with their defaults.
EXTENSION_FIELDS = {"explanation": "", "default_mark": 1.0, "case_sensitive": False, "shuffle": True,
                    "grader_info": "",
                    # GIFT has no syntax for hints or a penalty (Moodle's qformat_gift reads neither): they
                    # travel in the comment, so Attentive gets them back and Moodle imports the question without.
                    "hints": [], "penalty": DEFAULT_PENALTY}
_LOOKS_LIKE_FORMAT = re.compile(r"\s*\[(" + "|".join(TEXT_FORMATS) + r")\]")


def write_gift(questions: Iterable[QuestionSpec | ParsedQuestion]) -> str:
    """GIFT text for the questions, one block each, with `$CATEGORY:` lines where the category changes.

    Raises ValueError for the few things GIFT cannot write (a matching left side containing '->').
    """
    chunks: list[str] = []
    category: str | None = None
    for question in questions:
        spec = question.spec if isinstance(question, ParsedQuestion) else question
        block = _qtype(spec).gift_answer_block(spec)  # ValueError for what GIFT cannot express
        if spec.category != category:
            chunks.append(f"$CATEGORY: {spec.category or ''}".rstrip())
            category = spec.category
        chunks.append(_question(spec, block))
    return "\n\n".join(chunks) + "\n" if chunks else ""


def write_gift_file(questions: Iterable[QuestionSpec | ParsedQuestion]) -> str:
    """A whole .gift file: every question GIFT can express, and a header comment naming those left out
    (an attention question, a matching item containing '->'), so a download is always a GIFT file."""
    written, left_out = [], []
    for question in questions:
        spec = question.spec if isinstance(question, ParsedQuestion) else question
        try:
            write_gift([spec])
        except ValueError as error:
            left_out.append(f"// - {' '.join(spec.title.split())}: {' '.join(str(error).split())}")
            continue
        written.append(spec)
    header = []
    if left_out:
        header = [f"// Left out of this file: {len(left_out)} question(s) GIFT cannot express.", *left_out, ""]
    return "\n".join(header) + write_gift(written)


def _question(spec: QuestionSpec, block: str) -> str:
    lines = []
    defaults = EXTENSION_FIELDS | {"penalty": _qtype(spec).gift_penalty}
    extras = {name: getattr(spec, name) for name, default in defaults.items()
              if hasattr(spec, name) and getattr(spec, name) != default}
    if spec.tags:  # Moodle writes (and reads) tags in a comment line: `// [tag:a] [tag:b]`
        lines.append("// " + " ".join(f"[tag:{tag.replace(']', chr(92) + ']')}]" for tag in spec.tags))
    if extras:
        lines.append("// @attentive " + json.dumps(extras, ensure_ascii=False, sort_keys=True))
    prefix = f"[{spec.text_format}]" if spec.text_format != "moodle" or _LOOKS_LIKE_FORMAT.match(spec.text) else ""
    before, after = spec.text, ""
    if BLANK in spec.text and not spec.text.endswith(BLANK):
        before, after = spec.text.split(BLANK, 1)
    lines.append(f"::{escape(spec.title)}::{prefix}{escape(before)}{block}{escape(after)}")
    return "\n".join(lines)


def _qtype(spec: QuestionSpec):
    # Imported when writing, not with this module: the question types import the domain.
    from ..qtypes.registry import qtype_for

    return qtype_for(spec)
