"""Item statistics for a quiz, computed from finished attempts (Moodle's quiz statistics, simplified).

* facility index: the mean score on the question (0–1); near 1 is easy, near 0 hard.
* standard deviation of the question's score.
* discrimination index: the correlation between the score on this question and the score on the
  rest of the quiz (Moodle uses the same "rest of the test" form so that a question does not
  correlate with itself). Above 0.3 a question separates strong from weak students well; below 0
  it is suspect (strong students get it wrong), which is what a teacher should look at first.
* choice frequencies: how often each choice was picked, to spot a distractor nobody falls for or
  one that attracts more students than the right answer.

Pure Python: the reports pass plain numbers (sums gathered in the database) and responses in.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass



@dataclass(frozen=True)
class QuestionStatistics:
    key: str
    responses: int  # attempts in which this question had a (graded) score
    facility: float | None  # mean fraction, 0..1
    standard_deviation: float | None
    discrimination: float | None  # -1..1; None when it cannot be computed (fewer than 2 attempts, no spread)


@dataclass(frozen=True)
class ItemAnalysis:
    attempts: int
    mean_score: float | None  # mean of the attempts' total fraction (0..1), weighted by marks
    questions: dict[str, QuestionStatistics]


@dataclass(frozen=True)
class ChoiceCounts:
    choice_id: str
    text: str
    fraction: float
    count: int
    share: float  # count / responses (0 when nobody answered)


# --- One computation, from sums ----------------------------------------------------------------------
# The reports gather these sums in the database (or item_analysis from rows in Python); every figure
# below is computed from them alone, so both paths give the same numbers.

ZERO_VARIANCE = 1e-12  # variances from sums carry rounding noise; below this there is no spread


@dataclass(frozen=True)
class ItemSums:
    """Per question, over the attempts where it has a graded score x and a rest-of-test score r."""

    n: int
    sum_x: float
    sum_xx: float
    sum_r: float = 0.0
    sum_rr: float = 0.0
    sum_xr: float = 0.0


def variance_from_sums(n: int, total: float, squares: float) -> float:
    if n == 0:
        return 0.0
    variance = squares / n - (total / n) ** 2
    return variance if variance > ZERO_VARIANCE else 0.0


def correlation_from_sums(sums: ItemSums) -> float | None:
    """Pearson correlation of x and r; None with fewer than 2 attempts or no spread."""
    if sums.n < 2:
        return None
    vx, vr = variance_from_sums(sums.n, sums.sum_x, sums.sum_xx), variance_from_sums(sums.n, sums.sum_r, sums.sum_rr)
    if vx == 0 or vr == 0:
        return None
    covariance = sums.sum_xr / sums.n - (sums.sum_x / sums.n) * (sums.sum_r / sums.n)
    return max(-1.0, min(1.0, covariance / math.sqrt(vx * vr)))


def question_statistics(key: str, sums: ItemSums) -> "QuestionStatistics":
    return QuestionStatistics(
        key=key,
        responses=sums.n,
        facility=sums.sum_x / sums.n if sums.n else None,
        standard_deviation=math.sqrt(variance_from_sums(sums.n, sums.sum_x, sums.sum_xx)) if sums.n else None,
        discrimination=correlation_from_sums(sums),
    )


def sorted_pairing_sum(xs: Iterable[tuple[float, int]], ys: Iterable[tuple[float, int]]) -> float:
    """Σ x_(i)·y_(i) pairing the i-th smallest of each, from (value, count) runs of equal length."""
    xs, ys = sorted(xs), sorted(ys)
    total, i, j = 0.0, 0, 0
    left_x, left_y = (xs[0][1] if xs else 0), (ys[0][1] if ys else 0)
    while i < len(xs) and j < len(ys):
        take = min(left_x, left_y)
        total += take * xs[i][0] * ys[j][0]
        left_x, left_y = left_x - take, left_y - take
        if left_x == 0:
            i += 1
            left_x = xs[i][1] if i < len(xs) else 0
        if left_y == 0:
            j += 1
            left_y = ys[j][1] if j < len(ys) else 0
    return total


def discriminative_efficiency(sums: ItemSums, own_counts: list[tuple[float, int]], rest_counts: list[tuple[float, int]]) -> float | None:
    """100 × cov(x, r) / the largest covariance reachable by pairing both sorted (Moodle's definition)."""
    if sums.n < 2:
        return None
    means = (sums.sum_x / sums.n) * (sums.sum_r / sums.n)
    best = sorted_pairing_sum(own_counts, rest_counts) / sums.n - means
    if best <= ZERO_VARIANCE:
        return None
    return 100 * (sums.sum_xr / sums.n - means) / best


def cronbach_alpha(*, attempts: int, item_variances: list[float], total_variance: float) -> float | None:
    """Cronbach's alpha × 100 from the items' and the total's (population) variances; None when undefined."""
    k = len(item_variances)
    if attempts < 2 or k < 2 or total_variance <= ZERO_VARIANCE:
        return None
    return 100 * (k / (k - 1)) * (1 - sum(item_variances) / total_variance)


def _rest_scores(row: Mapping[str, float | None], marks: Mapping[str, float]) -> dict[str, float]:
    """Each graded question's rest-of-test score in this attempt: the marks-weighted mean of the others."""
    graded = {k: v for k, v in row.items() if v is not None}
    total = sum(v * marks.get(k, 1.0) for k, v in graded.items())
    weight = sum(marks.get(k, 1.0) for k in graded)
    out = {}
    for key, value in graded.items():
        rest_weight = weight - marks.get(key, 1.0)
        out[key] = (total - value * marks.get(key, 1.0)) / rest_weight if rest_weight > 0 else 0.0
    return out


def item_analysis(attempts: Iterable[Mapping[str, float | None]],
                  marks: Mapping[str, float] | None = None) -> ItemAnalysis:
    """Statistics per question key from each attempt's fractions ({key: fraction or None}).

    None (an essay not graded yet) leaves that question out of that attempt's figures. `marks`
    weights the "rest of the quiz" score; every question counts 1 when it is not given. The sums
    are taken here and the figures come from question_statistics, as for the database's sums.
    """
    rows = [dict(a) for a in attempts]
    marks = dict(marks or {})
    keys: list[str] = []
    for row in rows:
        for key in row:
            if key not in keys:
                keys.append(key)
    sums = {key: [0, 0.0, 0.0, 0.0, 0.0, 0.0] for key in keys}
    totals = []
    for row in rows:
        rest = _rest_scores(row, marks)
        for key, r in rest.items():
            x = float(row[key])
            acc = sums[key]
            acc[0] += 1
            acc[1] += x
            acc[2] += x * x
            acc[3] += r
            acc[4] += r * r
            acc[5] += x * r
        graded = {k: v for k, v in row.items() if v is not None}
        weight = sum(marks.get(k, 1.0) for k in graded)
        totals.append(sum(v * marks.get(k, 1.0) for k, v in graded.items()) / weight if weight else None)
    known_totals = [t for t in totals if t is not None]
    questions = {key: question_statistics(key, ItemSums(*sums[key])) for key in keys}
    return ItemAnalysis(attempts=len(rows), mean_score=sum(known_totals) / len(known_totals) if known_totals else None,
                        questions=questions)


def option_frequencies(options: list[tuple[str, str, float]], picks: list[list[str]]) -> list[ChoiceCounts]:
    """How often each option (id, text, fraction) was picked, in the given order.

    `picks` holds one list of picked ids per learner who answered, so the shares are of those who answered.
    """
    return counted_option_frequencies(options, [(pick, 1) for pick in picks])


def counted_option_frequencies(options: list[tuple[str, str, float]], picks: Iterable[tuple[list[str], int]]) -> list[ChoiceCounts]:
    """option_frequencies from (picked ids, how many learners picked exactly those) pairs: the cost
    follows the number of distinct picks, not of learners."""
    picks = list(picks)
    answered = sum(count for _, count in picks)
    out = []
    for option_id, text, fraction in options:
        count = sum(times for pick, times in picks if option_id in pick)
        out.append(ChoiceCounts(choice_id=option_id, text=text, fraction=fraction, count=count,
                                share=count / answered if answered else 0.0))
    return out
