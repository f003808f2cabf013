"""Immediate feedback: each question may be checked once; the check grades it and locks it, without penalty."""
from ..domain.spec import QuestionSpec
from .base import Outcome, QuestionBehaviour


class Immediate(QuestionBehaviour):
    name = "immediate"
    label = "Immediate feedback"
    description = "Each question has a Check button: one check grades it and locks the answer; no penalty."

    def tries_allowed(self, spec: QuestionSpec) -> int:
        return 1

    def outcome(self, spec: QuestionSpec, try_fractions: list[float | None], final_fraction: float | None) -> Outcome:
        if try_fractions:
            return Outcome(finished_at=0, fraction=try_fractions[0])
        return Outcome(finished_at=None, fraction=final_fraction)
