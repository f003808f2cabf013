"""What every quiz behaviour answers: may a question be checked now, and what a question's tries are worth.

A behaviour never grades a response itself: the question type does (quizzes.qtypes). The behaviour
reads the grades of the checked tries, in order, and the grade of the response standing when the
attempt is submitted, and says which of them counts and for how much. The same rule serves a live
check, the attempt's submission and a regrade (which replays the stored tries), so they cannot disagree.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..domain.spec import QuestionSpec

# Weights are stored with 7 decimals, so "right" allows the same slack grading does.
_RIGHT = 1 - 1e-6


def is_right(fraction: float | None) -> bool:
    return fraction is not None and fraction >= _RIGHT


@dataclass(frozen=True)
class Outcome:
    """What a question's tries add up to.

    `finished_at`: the index of the check that finished the question (its inputs lock), or None while
    it is open; `fraction` then belongs to that check. With `finished_at` None, `fraction` is what the
    response standing at submission earns (None when it was not given or a person grades it).
    """

    finished_at: int | None
    fraction: float | None

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


class QuestionBehaviour:
    name: ClassVar[str]
    label: ClassVar[str]
    description: ClassVar[str]

    def tries_allowed(self, spec: QuestionSpec) -> int:
        """How many checks a question allows during the attempt; 0: none (graded on submission)."""
        return 0

    def outcome(self, spec: QuestionSpec, try_fractions: list[float | None], final_fraction: float | None) -> Outcome:
        """The mark of a question from its checked tries (oldest first) and the response at submission."""
        return Outcome(finished_at=None, fraction=final_fraction)

    def hint_after(self, spec: QuestionSpec, wrong_tries: int) -> str:
        """The hint a learner has earned after `wrong_tries` wrong checks; "" when none."""
        return ""

    def penalty_for(self, spec: QuestionSpec, wrong_tries: int) -> float:
        """The fraction of the mark that `wrong_tries` earlier wrong checks cost."""
        return 0.0
