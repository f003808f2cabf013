"""Control characters in learners' answers: removed before an answer is stored.

PostgreSQL's jsonb refuses "\\u0000" outright, and the other C0 controls are never meant as part of
an answer (a paste from a PDF, a forged request). Tab, newline and carriage return stay: essays use them.
"""
import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_without_control_characters(text: str) -> str:
    return _CONTROL.sub("", text)


def response_without_control_characters(response: Any) -> Any:
    """The same JSON value with control characters removed from every string, keys included."""
    if isinstance(response, str):
        return text_without_control_characters(response)
    if isinstance(response, dict):
        return {response_without_control_characters(key): response_without_control_characters(value)
                for key, value in response.items()}
    if isinstance(response, list):
        return [response_without_control_characters(item) for item in response]
    return response
