"""Item statistics for a quiz, computed from finished attempts (Moodle's quiz statistics, simplified).

* facility index: the mean score on the question (0–1); near 1 is easy, near 0 hard.
* standard deviation of the question's score.
* discrimination index: the correlation between the score on this question and the score on the
  rest of the quiz (Moodle uses the same "rest of the test" form so that a question does not
  correlate with itself). Above 0.3 a question separates strong from weak students well; below 0
  it is suspect (strong students get it wrong), which is what a teacher should look at first.
* choice frequencies: how often each choice was picked, to spot a distractor nobody falls for or
  one that attracts more students than the right answer.

Pure Python: the reports view passes plain numbers and responses in.
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


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _sd(values: list[float]) -> float:
    mean = _mean(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def _correlation(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 2:
        return None
    sx, sy = _sd(xs), _sd(ys)
    if sx == 0 or sy == 0:
        return None
    mx, my = _mean(xs), _mean(ys)
    covariance = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / len(xs)
    return max(-1.0, min(1.0, covariance / (sx * sy)))


def item_analysis(attempts: Iterable[Mapping[str, float | None]],
                  marks: Mapping[str, float] | None = None) -> ItemAnalysis:
    """Statistics per question key from each attempt's fractions ({key: fraction or None}).

    None (an essay not graded yet) leaves that question out of that attempt's figures. `marks`
    weights the "rest of the quiz" score; every question counts 1 when it is not given.
    """
    rows = [dict(a) for a in attempts]
    marks = dict(marks or {})
    keys: list[str] = []
    for row in rows:
        for key in row:
            if key not in keys:
                keys.append(key)
    totals = []
    for row in rows:
        graded = {k: v for k, v in row.items() if v is not None}
        weight = sum(marks.get(k, 1.0) for k in graded)
        totals.append(sum(v * marks.get(k, 1.0) for k, v in graded.items()) / weight if weight else None)
    known_totals = [t for t in totals if t is not None]
    questions = {}
    for key in keys:
        own, rest = [], []
        for row in rows:
            value = row.get(key)
            if value is None:
                continue
            others = {k: v for k, v in row.items() if k != key and v is not None}
            weight = sum(marks.get(k, 1.0) for k in others)
            own.append(float(value))
            rest.append(sum(v * marks.get(k, 1.0) for k, v in others.items()) / weight if weight else 0.0)
        questions[key] = QuestionStatistics(
            key=key,
            responses=len(own),
            facility=_mean(own) if own else None,
            standard_deviation=_sd(own) if own else None,
            discrimination=_correlation(own, rest),
        )
    return ItemAnalysis(attempts=len(rows), mean_score=_mean(known_totals) if known_totals else None,
                        questions=questions)


def option_frequencies(options: list[tuple[str, str, float]], picks: list[list[str]]) -> list[ChoiceCounts]:
    """How often each option (id, text, fraction) was picked, in the given order.

    `picks` holds one list of picked ids per learner who answered, so the shares are of those who answered.
    """
    answered = len(picks)
    out = []
    for option_id, text, fraction in options:
        count = sum(1 for pick in picks if option_id in pick)
        out.append(ChoiceCounts(choice_id=option_id, text=text, fraction=fraction, count=count,
                                share=count / answered if answered else 0.0))
    return out
