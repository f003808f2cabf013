"""Reads for the instructor's reports: item statistics of a quiz (per question and for the whole test).

Per question the figures come from quizzes.domain's item_analysis (facility, SD, discrimination) and
choice_frequencies; what the domain leaves out is computed here from the same numbers: the
discriminative efficiency and, for the test, mean, median, SD, Cronbach's alpha and the histogram.
Scores are taken from first attempts by default (later attempts are practised, which flatters
questions), or from all submitted attempts.
"""
import math
import statistics
from dataclasses import dataclass, field

from .domain import item_analysis
from .qtypes import qtype_for
from .qtypes.page_parts import FrequencyRow
from .models import Answer, Attempt, AttemptState, Question, QuestionVersion, Quiz

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


def _population_sd(values: list[float]) -> float:
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def _covariance(xs: list[float], ys: list[float]) -> float:
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / len(xs)


def discriminative_efficiency(scores: list[float], rest: list[float]) -> float | None:
    """100 × cov(score, rest) / the largest covariance reachable by pairing both sorted (Moodle's definition)."""
    if len(scores) < 2:
        return None
    best = _covariance(sorted(scores), sorted(rest))
    if best <= 0:
        return None
    return 100 * _covariance(scores, rest) / best


def cronbach_alpha(rows: list[list[float]]) -> float | None:
    """Cronbach's alpha × 100 from complete rows of per-question marks; None when undefined."""
    if len(rows) < 2 or len(rows[0]) < 2:
        return None
    k = len(rows[0])
    item_variance = sum(_population_sd([row[i] for row in rows]) ** 2 for i in range(k))
    total_variance = _population_sd([sum(row) for row in rows]) ** 2
    if total_variance == 0:
        return None
    return 100 * (k / (k - 1)) * (1 - item_variance / total_variance)


def _attempt_ids(quiz: Quiz, which: str) -> list[int]:
    # Ids only: the statistics never need the attempts themselves, and building thousands of model
    # objects was most of the page's time.
    submitted = Attempt.objects.filter(quiz=quiz, state=AttemptState.SUBMITTED).order_by("user_id", "number")
    if which == "all":
        return list(submitted.values_list("id", flat=True))
    first: dict[int, int] = {}
    for attempt_id, user_id in submitted.values_list("id", "user_id"):
        first.setdefault(user_id, attempt_id)
    return list(first.values())


def quiz_statistics(*, quiz: Quiz, which: str = "first") -> QuizStatistics:
    """Item statistics of the quiz's live questions from its submitted attempts (first ones, or all)."""
    which = "all" if which == "all" else "first"
    attempt_ids = _attempt_ids(quiz, which)
    questions = list(Question.objects.filter(quiz=quiz, is_deleted=False).order_by("position", "id"))
    latest: dict[int, QuestionVersion] = {}
    for version in QuestionVersion.objects.filter(question__in=questions).order_by("question_id", "number"):
        latest[version.question_id] = version
    questions = [q for q in questions if q.id in latest]
    marks = {str(q.id): latest[q.id].max_mark for q in questions}

    answers = Answer.objects.filter(attempt__in=attempt_ids, question__in=questions).values_list(
        "attempt_id", "question_id", "fraction", "response"
    )
    fractions: dict[int, dict[str, float | None]] = {attempt_id: {} for attempt_id in attempt_ids}
    responses: dict[int, list[dict]] = {}
    for attempt_id, question_id, fraction, response in answers:
        fractions[attempt_id][str(question_id)] = fraction
        responses.setdefault(question_id, []).append(response or {})
    rows = [fractions[attempt_id] for attempt_id in attempt_ids if fractions[attempt_id]]
    analysis = item_analysis(rows, marks)

    reports = []
    for number, question in enumerate(questions, start=1):
        version = latest[question.id]
        key = str(question.id)
        stats = analysis.questions.get(key)
        own, rest = _own_and_rest(rows, key, marks)
        reports.append(QuestionReport(
            number=number,
            question_id=question.id,
            title=version.spec.get("title") or f"Question {number}",
            qtype_label=qtype_for(version.spec).label,
            max_mark=version.max_mark,
            responses=stats.responses if stats else 0,
            facility=None if not stats or stats.facility is None else 100 * stats.facility,
            standard_deviation=None if not stats or stats.standard_deviation is None else 100 * stats.standard_deviation,
            discrimination=None if not stats or stats.discrimination is None else 100 * stats.discrimination,
            discriminative_efficiency=discriminative_efficiency(own, rest),
            choices=_choice_rows(version.spec, responses.get(question.id, [])),
        ))
    return QuizStatistics(which=which, test=_test_report(rows, marks), questions=reports)


def _own_and_rest(rows: list[dict], key: str, marks: dict[str, float]) -> tuple[list[float], list[float]]:
    """The question's fraction and the rest of the test's (marks-weighted) fraction, per attempt that has both."""
    own, rest = [], []
    for row in rows:
        value = row.get(key)
        if value is None:
            continue
        others = {k: v for k, v in row.items() if k != key and v is not None}
        weight = sum(marks.get(k, 1.0) for k in others)
        own.append(float(value))
        rest.append(sum(v * marks.get(k, 1.0) for k, v in others.items()) / weight if weight else 0.0)
    return own, rest


def _test_report(rows: list[dict], marks: dict[str, float]) -> TestReport:
    percents = []
    for row in rows:
        graded = {k: v for k, v in row.items() if v is not None}
        weight = sum(marks.get(k, 1.0) for k in graded)
        if weight:
            percents.append(100 * sum(v * marks.get(k, 1.0) for k, v in graded.items()) / weight)

    # Alpha over the questions graded in every attempt (an essay still waiting for its grade would
    # otherwise leave the whole test without a figure).
    graded_everywhere = [k for k in marks if rows and all(row.get(k) is not None for row in rows)]
    complete = [[row[k] * marks[k] for k in graded_everywhere] for row in rows] if graded_everywhere else []
    counts = [0] * HISTOGRAM_BINS
    for percent in percents:
        counts[min(HISTOGRAM_BINS - 1, int(percent // (100 / HISTOGRAM_BINS)))] += 1
    width = 100 // HISTOGRAM_BINS
    histogram = [(f"{i * width}–{(i + 1) * width}", count) for i, count in enumerate(counts)]
    return TestReport(
        attempts=len(rows),
        mean=sum(percents) / len(percents) if percents else None,
        median=statistics.median(percents) if percents else None,
        standard_deviation=_population_sd(percents) if percents else None,
        cronbach_alpha=cronbach_alpha(complete),
        histogram=histogram,
        histogram_peak=max(counts) if counts else 0,
    )


def _choice_rows(spec: dict, responses: list[dict]) -> list[ChoiceRow]:
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
    for version in QuestionVersion.objects.filter(question__quiz=quiz).order_by("question_id", "number"):
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
