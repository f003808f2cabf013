"""Control characters, removed from whatever comes from outside: learners' answers, uploaded and
pasted quiz files.

PostgreSQL cannot store NUL (U+0000) in text or jsonb at all, and the other control characters are
invisible in a page (a paste from a PDF, a forged request), so they only ever hide typos. Tab, line
feed and carriage return stay: they are layout, and essays use them.
"""
import re
from typing import Any

# C0 controls except \t \n \r, DEL, and the C1 controls (U+0080–U+009F).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


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
