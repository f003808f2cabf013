"""The inputs of one question as the attempt, review and preview pages draw them
(quizzes/partials/question_inputs.html). Built by each question type from its public view only."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Option:
    value: str  # the public id the browser posts back
    label: str
    label_html: str
    checked: bool = False
    right: bool = False
    feedback_html: str = ""
    verdict: str = ""  # for a picked option once correctness shows: "correct", "partial" or "incorrect"
    authored: str = ""  # the spec's own id, for the server's review marks; never rendered


@dataclass
class Stem:
    value: str
    label_html: str
    selected: str | None = None
    right: str = ""
    correct: bool | None = None  # the student's pick for this item, once correctness may be shown
    authored: str = ""


@dataclass
class QuestionForm:
    kind: str  # choice, multi, text, number, essay, matching, tokens
    options: list[Option] = field(default_factory=list)
    stems: list[Stem] = field(default_factory=list)
    text: str = ""


@dataclass
class Review:
    state: str = ""
    state_label: str = ""
    marks: float | None = None
    feedback_html: str = ""
    grader_comment: str = ""
    right_answer: str = ""
    general_feedback_html: str = ""
    section_url: str = ""
    section_name: str = ""
    # attention questions, once the right answer may show: (token, weight, bar width %, is the answer)
    token_weights: list = field(default_factory=list)


@dataclass(frozen=True)
class FrequencyRow:
    """One row of a question's response statistics: an option, a typed answer or a matching item."""

    label: str
    count: int
    percent: float
    right: bool
