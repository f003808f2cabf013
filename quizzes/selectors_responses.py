"""The responses report of one question: what learners typed or picked, grouped, and how it scored.

Responses that mean the same are one row: short answers in the form the matcher compares
(answer_matching.forgiving_form), numbers by their value, choices by the option's text. Only submitted
attempts count; the marks shown are the ones stored, so a regrade moves them.
"""
from dataclasses import dataclass, field

from .domain.answer_matching import forgiving_form, parse_numeric_response
from .models import Answer, AttemptState, Question
from .services.accept_response import ACCEPTS_TYPED_ANSWERS, typed_is_accepted


@dataclass
class ResponseGroup:
    text: str  # the most common spelling, as a learner typed it
    count: int = 0
    fractions: list[float] = field(default_factory=list)
    spellings: dict[str, int] = field(default_factory=dict)
    accepted: bool = False  # already worth full marks on the latest version

    @property
    def mean_percent(self) -> float | None:
        return 100 * sum(self.fractions) / len(self.fractions) if self.fractions else None

    @property
    def other_spellings(self) -> list[str]:
        return [spelling for spelling in self.spellings if spelling != self.text]


@dataclass(frozen=True)
class QuestionResponses:
    question: Question
    title: str
    qtype: str
    groups: list[ResponseGroup]
    answers: int
    can_accept: bool  # the type takes typed answers that an instructor can add to the key


def _readable(spec: dict, response: dict) -> str:
    """A response as text, by its shape: typed text or value, or the picked options' texts."""
    for key in ("text", "value"):
        if response.get(key) not in (None, ""):
            return str(response[key]).strip()
    choices = {choice.get("id"): choice.get("text", "") for choice in spec.get("choices", [])}
    if "choice" in response:
        return choices.get(response["choice"], str(response["choice"]))
    if "choices" in response:
        return "; ".join(sorted(choices.get(picked, str(picked)) for picked in response["choices"] or []))
    return ", ".join(f"{key}: {value}" for key, value in sorted(response.items()))


def _group_key(spec: dict, text: str) -> str:
    if spec.get("qtype") == "numeric":
        try:
            return repr(parse_numeric_response(text))
        except ValueError:
            return text
    return forgiving_form(text, case_sensitive=bool(spec.get("case_sensitive")))


def question_responses(*, question: Question) -> QuestionResponses:
    latest = question.latest_version.spec
    groups: dict[str, ResponseGroup] = {}
    answers = Answer.objects.filter(question=question, attempt__state=AttemptState.SUBMITTED).exclude(response={})
    count = 0
    for response, fraction in answers.values_list("response", "fraction"):
        text = _readable(latest, response or {})
        if not text:
            continue
        count += 1
        group = groups.setdefault(_group_key(latest, text), ResponseGroup(text=text))
        group.count += 1
        group.spellings[text] = group.spellings.get(text, 0) + 1
        if fraction is not None:
            group.fractions.append(fraction)
    can_accept = latest.get("qtype") in ACCEPTS_TYPED_ANSWERS
    for group in groups.values():
        group.text = max(group.spellings, key=group.spellings.get)
        group.accepted = can_accept and typed_is_accepted(spec=latest, typed=group.text)
    ordered = sorted(groups.values(), key=lambda g: (-g.count, g.text.casefold()))
    return QuestionResponses(question=question, title=latest.get("title", ""), qtype=latest.get("qtype", ""),
                             groups=ordered, answers=count, can_accept=can_accept)
