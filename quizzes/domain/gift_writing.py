"""The pieces of GIFT text every question type writes with: escapes, weights, feedback, answer blocks."""
from __future__ import annotations

from .spec import QuestionSpec, format_percent

SPECIAL = "~=#{}:"


def escape(text: str) -> str:
    out = []
    for i, char in enumerate(text):
        if char == "\\":
            following = text[i + 1: i + 2]
            # A backslash is only doubled where it would otherwise start an escape (so `\sqrt` stays readable).
            out.append("\\\\" if following in ("", "\\", "n", "\n") or following in SPECIAL else "\\")
        elif char in SPECIAL:
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        else:
            out.append(char)
    return "".join(out)


def feedback(text: str) -> str:
    return "#" + escape(text) if text else ""


def weight(fraction: float) -> str:
    return f"%{format_percent(fraction)}%"


def general_feedback(spec: QuestionSpec) -> str:
    return "####" + escape(spec.general_feedback) if spec.general_feedback else ""


def answer_block(spec: QuestionSpec, lines: list[str], *, opening: str = "{") -> str:
    """One answer per line, then the general feedback, inside braces."""
    general = general_feedback(spec)
    lines = lines + ([general] if general else [])
    return opening + "\n" + "\n".join("\t" + line for line in lines) + "\n}"
