"""Where one question of an attempt stands under its quiz's behaviour: whether it has a Check button, the
tries used and left, the hint earned, and what its finished check may show now.

The page and the API both read this, so they show the same. It reveals nothing of the answer key while a
question is open; once it is finished, only what the quiz's review options show "immediately".
"""
from dataclasses import dataclass, field

from django.urls import reverse

from .behaviours import behaviour_for
from .models import REVIEW_ITEMS, Answer, Attempt, AttemptState, Quiz, QuestionVersion
from .qtypes import qtype_for
from .rendering import render_text
from .services.behaviour_grading import checkable


@dataclass
class QuestionProgress:
    behaviour: str
    checkable: bool = False  # a Check button, and its tries
    finished: bool = False  # checked for the last time: read-only
    tries_used: int = 0
    tries_allowed: int = 0
    wrong_tries: int = 0
    hint: str = ""  # Markdown: the hint the last wrong try earned, while the question is open
    penalty: float = 0.0  # the share of the mark the wrong tries so far cost
    check_url: str = ""
    reveal: set[str] = field(default_factory=set)  # review items a finished question shows now

    @property
    def hint_html(self) -> str:
        return render_text(self.hint, "markdown")

    @property
    def penalty_percent(self) -> str:
        return f"{100 * self.penalty:.0f}"

    @property
    def right_now_percent(self) -> str:
        """What a right answer at the next check earns, in % of the mark."""
        return f"{100 * (1 - self.penalty):.0f}"

    @property
    def tries_left(self) -> int:
        return max(0, self.tries_allowed - self.tries_used) if not self.finished else 0

    def to_json(self) -> dict:
        """For the API: no grade here (that is in the review fields, only as `reveal` allows)."""
        return {"checkable": self.checkable, "finished": self.finished, "tries_used": self.tries_used,
                "tries_left": self.tries_left, "hint": self.hint or None, "penalty": round(self.penalty, 7)}


def shown_during_attempt(quiz: Quiz) -> set[str]:
    """What a finished question shows before the attempt is submitted: the options' "immediately" column."""
    options = quiz.review_options or {}
    return {item for item in REVIEW_ITEMS if (options.get(item) or {}).get("immediately", False)}


def question_progress(*, attempt: Attempt, answer: Answer | None, version: QuestionVersion) -> QuestionProgress:
    behaviour = behaviour_for(attempt.quiz)
    progress = QuestionProgress(behaviour=behaviour.name)
    if answer is None or not checkable(behaviour=behaviour, version=version):
        return progress
    spec = qtype_for(version.spec).spec(version.spec)
    progress.checkable = True
    progress.finished = answer.finished
    progress.tries_used = len(answer.tries)
    progress.tries_allowed = behaviour.tries_allowed(spec)
    progress.wrong_tries = progress.tries_used - (1 if answer.finished else 0)
    progress.penalty = behaviour.penalty_for(spec, progress.wrong_tries)
    progress.check_url = reverse("quizzes:answer_check", kwargs={"attempt_id": attempt.pk, "question_id": version.question_id})
    if answer.finished:
        # Only while the attempt is open: once it is submitted, the review options' own columns decide.
        if attempt.state == AttemptState.IN_PROGRESS:
            progress.reveal = shown_during_attempt(attempt.quiz)
    else:
        progress.hint = behaviour.hint_after(spec, progress.wrong_tries)
    return progress
