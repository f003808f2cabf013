"""The one place that knows every quiz behaviour: `behaviour_for(quiz or name)` and `all_behaviours()`.

Adding a behaviour is one module in this package, one line below and one choice on Quiz.behaviour.
"""
from __future__ import annotations

from .base import QuestionBehaviour
from .deferred import Deferred
from .immediate import Immediate
from .interactive import Interactive

_BEHAVIOURS: dict[str, QuestionBehaviour] = {behaviour.name: behaviour for behaviour in (Deferred(), Immediate(), Interactive())}


def all_behaviours() -> list[QuestionBehaviour]:
    return list(_BEHAVIOURS.values())


def behaviour_for(quiz_or_name) -> QuestionBehaviour:
    """The behaviour of a quiz (anything with `.behaviour`) or of a name; KeyError for an unknown name."""
    name = quiz_or_name if isinstance(quiz_or_name, str) else quiz_or_name.behaviour
    try:
        return _BEHAVIOURS[name]
    except KeyError:
        raise KeyError(f"unknown quiz behaviour {name!r}") from None
