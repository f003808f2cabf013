"""How a quiz turns several attempts into one grade: highest, average, first or last."""
from collections.abc import Sequence

from ..models import GradingMethod


def grade_combine(*, method: str, percents: Sequence[float]) -> float | None:
    """`percents` are the graded attempts' grades in attempt order; None when there is none."""
    if not percents:
        return None
    if method == GradingMethod.HIGHEST:
        return max(percents)
    if method == GradingMethod.AVERAGE:
        return sum(percents) / len(percents)
    if method == GradingMethod.FIRST:
        return percents[0]
    if method == GradingMethod.LAST:
        return percents[-1]
    raise ValueError(f"Unknown grading method {method!r}")
