"""Text from outside (uploads, pasted files) cleaned of characters that have no business in a question.

PostgreSQL cannot store NUL (U+0000) in text or jsonb at all, and the other control characters are
invisible in a page, so they only ever hide typos. Tab, line feed and carriage return are kept:
they are layout.
"""
import re

# C0 controls except \t \n \r, DEL, and the C1 controls (U+0080–U+009F).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_control_chars(text: str) -> str:
    """`text` without control characters other than tab, line feed and carriage return."""
    return _CONTROL.sub("", text)
