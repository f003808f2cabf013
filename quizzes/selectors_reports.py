"""Reads for the instructor's reports: item statistics of a quiz (per question and for the whole test).

Every figure comes from quizzes.domain.statistics (facility, SD, discrimination, discriminative
efficiency, Cronbach's alpha), computed from sums the database takes (ScoreSums below, or summary rows a caller passes), and
choice_frequencies; the test's mean, median, SD and histogram from the per-attempt totals' counts.
Scores are taken from first attempts by default (later attempts are practised, which flatters
questions), or from all submitted attempts.
"""
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from .domain.statistics import ItemSums, cronbach_alpha, discriminative_efficiency, question_statistics, variance_from_sums
from .qtypes import qtype_for
from .qtypes.page_parts import FrequencyRow
from .models import Answer, Attempt, AttemptState, Question, QuestionVersion, Quiz
from .pools.selectors import drawn_question_ids, drawn_questions_subquery, questions_with_drawn

HISTOGRAM_BINS = 10


ChoiceRow = FrequencyRow


@dataclass(frozen=True)
class QuestionReport:
    number: int
    question_id: int
    title: str
    qtype_label: str
    max_mark: float
    responses: int
    facility: float | None  # percent, 0..100
    standard_deviation: float | None  # percent of the question's marks
    discrimination: float | None  # 100 × correlation with the rest of the test
    discriminative_efficiency: float | None  # percent
    choices: list[ChoiceRow] = field(default_factory=list)


@dataclass(frozen=True)
class TestReport:
    attempts: int
    mean: float | None  # percent
    median: float | None
    standard_deviation: float | None
    cronbach_alpha: float | None  # × 100
    histogram: list[tuple[str, int]]  # ("0–10", count) … ("90–100", count)
    histogram_peak: int


@dataclass(frozen=True)
class QuizStatistics:
    which: str  # "first" or "all"
    test: TestReport
    questions: list[QuestionReport]


class ScoreSums:
    """The sums the item statistics need, taken by the database over the chosen attempts' answers.

    Chosen: each learner's first submitted attempt, or every submitted one. Scored: their answers to
    the live questions, with each question's mark. A question's rest-of-test score in an attempt is
    the marks-weighted mean of the attempt's other graded answers.
    """

    def __init__(self, *, quiz_id: int, marks: dict[int, float], first_only: bool):
        self.marks = marks
        attempts, answers = Attempt._meta.db_table, Answer._meta.db_table
        first = (f" AND NOT EXISTS (SELECT 1 FROM {attempts} b WHERE b.quiz_id = a.quiz_id AND b.user_id = a.user_id"
                 f" AND b.state = %s AND b.number < a.number)") if first_only else ""
        ids = ", ".join(str(int(q)) for q in marks) or "NULL"
        mark = "CAST(CASE an.question_id " + " ".join(f"WHEN {int(q)} THEN {float(m)!r}" for q, m in marks.items()) + " END AS DOUBLE PRECISION)" if marks else "1.0"
        self.chosen = f"SELECT a.id FROM {attempts} a WHERE a.quiz_id = %s AND a.state = %s{first}"
        self.chosen_params = [quiz_id, AttemptState.SUBMITTED] + ([AttemptState.SUBMITTED] if first_only else [])
        self.scored = (f"SELECT an.attempt_id, an.question_id, an.fraction AS x, {mark} AS m, an.response FROM {answers} an"
                       f" WHERE an.question_id IN ({ids}) AND an.attempt_id IN ({self.chosen})")
        self.prefix = (
            f"WITH scored AS ({self.scored}), "
            "totals AS (SELECT attempt_id, SUM(CASE WHEN x IS NOT NULL THEN m * x ELSE 0.0 END) AS t,"
            " SUM(CASE WHEN x IS NOT NULL THEN m ELSE 0.0 END) AS w FROM scored GROUP BY attempt_id) "
        )

    def _rows(self, sql: str) -> list[tuple]:
        if not self.marks:
            return []
        with connection.cursor() as cursor:
            cursor.execute(self.prefix + sql, self.chosen_params)
            return cursor.fetchall()

    def answers(self) -> tuple[dict[int, ItemSums], dict[int, list], dict[int, list], dict[int, list[tuple[dict, int]]], list[tuple[float, float, int]]]:
        """One statement, one pass over the answers: per question, the sums, the (value, count) runs of
        scores and of rest-of-test scores, (response, count) pairs (equal ones counted once by the database);
        and (marks earned, marks graded, attempts) per distinct attempt total."""
        sums: dict[int, list] = {}
        own: dict[int, dict[float, int]] = {}
        rest: dict[int, dict[float, int]] = {}
        responses: dict[int, list[tuple[dict, int]]] = {}
        totals: list[tuple[float, float, int]] = []
        for kind, question_id, x, r, response, count in self._rows(
            "SELECT 0 AS kind, s.question_id, s.x, CASE WHEN s.x IS NULL THEN NULL WHEN o.w - s.m > 0 THEN (o.t - s.x * s.m) / (o.w - s.m)"
            " ELSE 0.0 END AS r, s.response, COUNT(*) FROM scored s JOIN totals o ON o.attempt_id = s.attempt_id"
            " GROUP BY s.question_id, s.x, 4, s.response"
            " UNION ALL SELECT 1, NULL, t, w, NULL, COUNT(*) FROM totals GROUP BY t, w"
        ):
            if kind:
                totals.append((float(x), float(r), int(count)))
                continue
            value = json.loads(response) if isinstance(response, str) else response
            responses.setdefault(question_id, []).append((value or {}, int(count)))
            if x is None:
                continue
            x, r = float(x), float(r)
            acc = sums.setdefault(question_id, [0, 0.0, 0.0, 0.0, 0.0, 0.0])
            for index, term in enumerate((1, x, x * x, r, r * r, x * r)):
                acc[index] += term * count
            own.setdefault(question_id, {})[x] = own.get(question_id, {}).get(x, 0) + count
            rest.setdefault(question_id, {})[r] = rest.get(question_id, {}).get(r, 0) + count
        return ({q: ItemSums(int(acc[0]), *acc[1:]) for q, acc in sums.items()},
                {q: list(runs.items()) for q, runs in own.items()}, {q: list(runs.items()) for q, runs in rest.items()}, responses, totals)

    def total_over(self, question_ids: list[int]) -> tuple[float, float]:
        """Σ and Σ² over attempts of the marks earned on these questions."""
        ids = ", ".join(str(int(q)) for q in question_ids)
        rows = self._rows(f"SELECT SUM(tt), SUM(tt * tt) FROM (SELECT attempt_id, SUM(m * x) AS tt FROM scored"
                          f" WHERE question_id IN ({ids}) GROUP BY attempt_id) per_attempt")
        return (float(rows[0][0] or 0.0), float(rows[0][1] or 0.0)) if rows else (0.0, 0.0)


@dataclass
class GatheredSums:
    """What the figures are computed from, wherever it was gathered (the database here, or summary rows)."""

    per_question: dict[int, ItemSums]
    own: dict[int, list[tuple[float, int]]]  # (score, attempts) runs per question
    rest: dict[int, list[tuple[float, int]]]  # (rest-of-test score, attempts) runs per question
    responses: dict[int, list[tuple[dict, int]]]  # (response, attempts that gave it) per question
    totals: list[tuple[float, float, int]]  # (marks earned, marks graded, attempts)
    total_over: Callable[[list[int]], tuple[float, float]]  # Σ, Σ² of the marks earned on some questions


def live_questions(*, quiz: Quiz) -> tuple[list[Question], dict[int, QuestionVersion]]:
    """The quiz's questions that are not deleted, then those its random slots drew from other quizzes
    (quizzes.pools), with their latest versions (whose marks count)."""
    questions = questions_with_drawn(quiz=quiz)
    latest: dict[int, QuestionVersion] = {}
    for version in QuestionVersion.objects.filter(question__in=questions).order_by("question_id", "number"):
        latest[version.question_id] = version
    return [q for q in questions if q.id in latest], latest


def live_question_marks(*, quiz: Quiz) -> dict[int, float]:
    """{question id: its latest version's mark} for the questions live_questions lists, read without
    loading their specs: summaries ask on every submit, and a quiz with a random slot may have drawn
    a thousand questions (two queries; the drawn ones are a subquery, not a list of ids)."""
    versions = QuestionVersion.objects.filter(question__is_deleted=False)
    latest: dict[int, tuple[int, float]] = {}
    for subset in (versions.filter(question__quiz=quiz), versions.filter(question_id__in=drawn_questions_subquery(quiz=quiz))):
        for question_id, number, mark in subset.values_list("question_id", "number", "spec__default_mark"):
            if question_id not in latest or number > latest[question_id][0]:
                latest[question_id] = (number, float(1.0 if mark is None else mark))
    return {question_id: mark for question_id, (_, mark) in latest.items()}


def database_sums(*, quiz: Quiz, marks: dict[int, float], which: str) -> GatheredSums:
    sums = ScoreSums(quiz_id=quiz.id, marks=marks, first_only=which == "first")
    return GatheredSums(*sums.answers(), total_over=sums.total_over)


def quiz_statistics(*, quiz: Quiz, which: str = "first", gather: Callable[..., GatheredSums] = database_sums) -> QuizStatistics:
    """Item statistics of the quiz's live questions from its submitted attempts (first ones, or all).

    The sums come from `gather`: by default the database takes them over the answers; the progress
    reports pass their summary rows. Every figure is computed from them by quizzes.domain.statistics,
    so the cost here follows the number of questions and distinct values, not of attempts.
    """
    which = "all" if which == "all" else "first"
    questions, latest = live_questions(quiz=quiz)
    marks = {q.id: latest[q.id].max_mark for q in questions}
    gathered = gather(quiz=quiz, marks=marks, which=which)
    per_question, own_counts, rest_counts, responses = gathered.per_question, gathered.own, gathered.rest, gathered.responses
    reports = []
    for number, question in enumerate(questions, start=1):
        version = latest[question.id]
        item = per_question.get(question.id, ItemSums(0, 0.0, 0.0))
        stats = question_statistics(str(question.id), item)
        reports.append(QuestionReport(
            number=number,
            question_id=question.id,
            title=version.spec.get("title") or f"Question {number}",
            qtype_label=qtype_for(version.spec).label,
            max_mark=version.max_mark,
            responses=stats.responses,
            facility=None if stats.facility is None else 100 * stats.facility,
            standard_deviation=None if stats.standard_deviation is None else 100 * stats.standard_deviation,
            discrimination=None if stats.discrimination is None else 100 * stats.discrimination,
            discriminative_efficiency=discriminative_efficiency(item, own_counts.get(question.id, []), rest_counts.get(question.id, [])),
            choices=_choice_rows(version.spec, responses.get(question.id, [])),
        ))
    return QuizStatistics(which=which, test=_test_report(gathered, marks), questions=reports)


def _test_report(gathered: GatheredSums, marks: dict[int, float]) -> TestReport:
    totals, per_question = gathered.totals, gathered.per_question
    percents = []  # (percent, attempts)
    attempts = 0
    for total, weight, count in totals:
        attempts += count
        if weight:
            percents.append((100 * total / weight, count))
    percents.sort()
    graded = sum(count for _, count in percents)
    mean = sum(p * c for p, c in percents) / graded if graded else None
    # Alpha over the questions graded in every attempt (an essay still waiting for its grade would
    # otherwise leave the whole test without a figure).
    everywhere = [q for q in marks if attempts and per_question.get(q, ItemSums(0, 0.0, 0.0)).n == attempts]
    item_variances = [marks[q] ** 2 * variance_from_sums(attempts, per_question[q].sum_x, per_question[q].sum_xx) for q in everywhere]
    if len(everywhere) < 2:
        total_sum, total_squares = 0.0, 0.0
    elif set(everywhere) == set(marks):  # every question graded in every attempt: the totals are the sums
        total_sum, total_squares = sum(t * c for t, _, c in totals), sum(t * t * c for t, _, c in totals)
    else:
        total_sum, total_squares = gathered.total_over(everywhere)
    counts = [0] * HISTOGRAM_BINS
    for percent, count in percents:
        counts[min(HISTOGRAM_BINS - 1, int(percent // (100 / HISTOGRAM_BINS)))] += count
    width = 100 // HISTOGRAM_BINS
    histogram = [(f"{i * width}–{(i + 1) * width}", count) for i, count in enumerate(counts)]
    return TestReport(
        attempts=attempts,
        mean=mean,
        median=_median(percents, graded) if graded else None,
        standard_deviation=math.sqrt(sum(c * (p - mean) ** 2 for p, c in percents) / graded) if graded else None,
        cronbach_alpha=cronbach_alpha(attempts=attempts, item_variances=item_variances,
                                      total_variance=variance_from_sums(attempts, total_sum, total_squares)) if len(everywhere) >= 2 else None,
        histogram=histogram,
        histogram_peak=max(counts) if counts else 0,
    )


def _median(runs: list[tuple[float, int]], n: int) -> float:
    """statistics.median of the values the sorted (value, count) runs stand for."""
    def at(index: int) -> float:
        for value, count in runs:
            if index < count:
                return value
            index -= count
        raise IndexError(index)
    return at(n // 2) if n % 2 else (at(n // 2 - 1) + at(n // 2)) / 2


def _choice_rows(spec: dict, responses: list[tuple[dict, int]]) -> list[ChoiceRow]:
    """How often each choice (or typed answer, or right match per item) was given: the type decides."""
    qtype = qtype_for(spec)
    try:
        return qtype.frequency_rows(qtype.spec(spec), responses)
    except Exception:  # a response of an older version's shape: leave the frequencies out, not the page
        return []


@dataclass(frozen=True)
class OutdatedQuestion:
    question_id: int
    title: str
    answered_versions: list[int]  # version numbers submitted attempts answered, older than latest
    latest_version: int
    attempts: int  # submitted attempts still graded against an older version


def questions_answered_on_old_versions(*, quiz: Quiz) -> list[OutdatedQuestion]:
    """Questions edited since submitted attempts answered them: what a regrade would bring up to date."""
    latest: dict[int, QuestionVersion] = {}
    versions = QuestionVersion.objects.filter(Q(question__quiz=quiz) | Q(question__in=drawn_question_ids(quiz=quiz)))
    for version in versions.order_by("question_id", "number"):
        latest[version.question_id] = version
    old: dict[int, tuple[set[int], set[int]]] = {}
    answered = Answer.objects.filter(attempt__quiz=quiz, attempt__state=AttemptState.SUBMITTED).values_list(
        "question_id", "version__number", "attempt_id")
    for question_id, number, attempt_id in answered:
        if question_id in latest and number < latest[question_id].number:
            numbers, attempts = old.setdefault(question_id, (set(), set()))
            numbers.add(number)
            attempts.add(attempt_id)
    return [
        OutdatedQuestion(question_id=question_id, title=latest[question_id].spec.get("title") or f"Question {question_id}",
                         answered_versions=sorted(numbers), latest_version=latest[question_id].number, attempts=len(attempts))
        for question_id, (numbers, attempts) in sorted(old.items(), key=lambda item: item[0])
    ]
