"""Interactive with multiple tries (Moodle's "interactive"): check, read a hint, try again.

A question allows one try more than it has hints. A right check, or the last try whatever its grade,
finishes the question. Each wrong check before the one that counts costs the question's penalty
(a share of its mark), and a mark never goes below zero. A partly right check is a wrong try while
tries remain, as in Moodle. Submitting the attempt grades a question still open from its current
response, less the penalties its wrong checks already cost.
"""
from ..domain.spec import QuestionSpec
from .base import Outcome, QuestionBehaviour, is_right


class Interactive(QuestionBehaviour):
    name = "interactive"
    label = "Interactive with multiple tries"
    description = ("Each question has a Check button. A wrong check shows the next hint and allows another "
                   "try; every wrong try costs the question's penalty.")

    def tries_allowed(self, spec: QuestionSpec) -> int:
        return len(spec.hints) + 1

    def outcome(self, spec: QuestionSpec, try_fractions: list[float | None], final_fraction: float | None) -> Outcome:
        allowed = self.tries_allowed(spec)
        for index, fraction in enumerate(try_fractions[:allowed]):
            if is_right(fraction) or index == allowed - 1:
                return Outcome(finished_at=index, fraction=self._less_penalty(spec, fraction, index))
        wrong = min(len(try_fractions), allowed)
        return Outcome(finished_at=None, fraction=self._less_penalty(spec, final_fraction, wrong))

    def hint_after(self, spec: QuestionSpec, wrong_tries: int) -> str:
        if 1 <= wrong_tries <= len(spec.hints):
            return spec.hints[wrong_tries - 1]
        return ""

    def penalty_for(self, spec: QuestionSpec, wrong_tries: int) -> float:
        return min(1.0, wrong_tries * spec.penalty)

    def _less_penalty(self, spec: QuestionSpec, fraction: float | None, wrong_tries: int) -> float | None:
        if fraction is None:
            return None
        return max(0.0, fraction - self.penalty_for(spec, wrong_tries))
