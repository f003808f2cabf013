"""The responses report of one question: what learners typed or picked, grouped, and how it scored.

Responses that mean the same are one row: short answers in the form the matcher compares
(answer_matching.forgiving_form), numbers by their value, choices by the option's text. Only submitted
attempts count; the marks shown are the ones stored, so a regrade moves them.
"""
from dataclasses import dataclass, field

from .models import Answer, AttemptState, Question, Quiz
from .qtypes import qtype_for
from .services.accept_response import typed_is_accepted


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


def _readable(qtype, spec, response: dict) -> str:
    """A response as text: what was typed, or the picked options' texts."""
    typed = qtype.typed_text(response)
    if typed is not None:
        return typed.strip()
    options = {option_id: text for option_id, text, _ in qtype.choice_options(spec) or []}
    picked = qtype.picked(response)
    if picked:
        return "; ".join(sorted(options.get(option_id, option_id) for option_id in picked))
    return ", ".join(f"{key}: {value}" for key, value in sorted(response.items()))


def question_responses(*, question: Question, quiz: Quiz) -> QuestionResponses:
    """The responses to `question` in attempts at `quiz` only: a bank question drawn into several quizzes
    has one report in each (quizzes.pools), and its own quiz's report leaves the drawn answers out."""
    latest = question.latest_version.spec
    qtype = qtype_for(latest)
    spec = qtype.spec(latest)
    groups: dict[str, ResponseGroup] = {}
    answers = Answer.objects.filter(question=question, attempt__quiz=quiz, attempt__state=AttemptState.SUBMITTED).exclude(response={})
    count = 0
    for response, fraction in answers.values_list("response", "fraction"):
        text = _readable(qtype, spec, response or {})
        if not text:
            continue
        count += 1
        group = groups.setdefault(qtype.response_group_key(spec, text), ResponseGroup(text=text))
        group.count += 1
        group.spellings[text] = group.spellings.get(text, 0) + 1
        if fraction is not None:
            group.fractions.append(fraction)
    can_accept = qtype.accepts_typed_answers
    for group in groups.values():
        group.text = max(group.spellings, key=group.spellings.get)
        group.accepted = can_accept and typed_is_accepted(spec=latest, typed=group.text)
    ordered = sorted(groups.values(), key=lambda g: (-g.count, g.text.casefold()))
    return QuestionResponses(question=question, title=latest.get("title", ""), qtype=latest.get("qtype", ""),
                             groups=ordered, answers=count, can_accept=can_accept)
