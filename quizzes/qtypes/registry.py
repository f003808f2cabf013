"""The one place that knows every question type: `qtype_for(spec or name)` and `all_qtypes()`.

Adding a type is one module in this package and one line below; tests parametrised over
`all_qtypes()` then cover it by themselves.
"""
from __future__ import annotations

import random

from ..domain.grading import GradeResult
from ..domain.spec import QuestionSpec
from .attention_token import AttentionToken
from .base import QuestionType
from .essay import Essay
from .ids import AUTHORED_IDS, PublicIds
from .matching import Matching
from .multiple_response import MultipleResponse
from .numeric import Numeric
from .short_answer import ShortAnswer
from .single_choice import SingleChoice
from .true_false import TrueFalse

_QTYPES: dict[str, QuestionType] = {
    qtype.name: qtype
    for qtype in (SingleChoice(), MultipleResponse(), TrueFalse(), ShortAnswer(), Numeric(), Matching(), Essay(),
                  AttentionToken())
}


def all_qtypes() -> list[QuestionType]:
    return list(_QTYPES.values())


def qtype_for(spec_or_name: QuestionSpec | dict | str) -> QuestionType:
    """The type of a spec (object or JSON) or of a type name; KeyError for an unknown name."""
    if isinstance(spec_or_name, QuestionSpec):
        name = spec_or_name.qtype
    elif isinstance(spec_or_name, dict):
        name = spec_or_name.get("qtype", "")
    else:
        name = spec_or_name
    try:
        return _QTYPES[name]
    except KeyError:
        raise KeyError(f"unknown question type {name!r}") from None


def grade(spec: QuestionSpec | dict, response: dict | None) -> GradeResult:
    """Grade one stored response (authored ids). Shapes per type:

    single_choice {"choice": "b"} · multiple_response {"choices": ["a", "c"]} · true_false
    {"value": true} · short_answer {"text": "softmax"} · numeric {"value": "3.5"} · matching
    {"pairs": {"a": "<right item id>"}} · essay {"text": "..."} · attention_token {"token": 3}.
    A missing or empty response is "unanswered" with fraction 0; a wrong shape raises ResponseError.
    """
    qtype = qtype_for(spec)
    return qtype.grade(qtype.spec(spec), response)


def correct_response(spec: QuestionSpec | dict) -> dict | None:
    """A response (authored ids) that earns full marks, for review pages; None for essays."""
    qtype = qtype_for(spec)
    return qtype.correct_response(qtype.spec(spec))


def public_view(spec: QuestionSpec | dict, shuffle_seed: int | str | None = None,
                ids: PublicIds = AUTHORED_IDS) -> dict:
    """What a learner may see before submitting: texts and (public) ids, never weights, feedback or answers.

    With a `shuffle_seed` choices and right-hand matching items are shuffled, the same way every time
    for that seed; without one, choices keep their order and right items are sorted.
    """
    qtype = qtype_for(spec)
    rng = random.Random(shuffle_seed) if shuffle_seed is not None else None
    return qtype.public_view(qtype.spec(spec), ids=ids, rng=rng)


def choice_frequencies(spec: QuestionSpec | dict, responses: list[dict | None]) -> list:
    """How often each choice was picked (stored responses), in the spec's order; [] for types without choices."""
    qtype = qtype_for(spec)
    return qtype.choice_frequencies(qtype.spec(spec), list(responses))
