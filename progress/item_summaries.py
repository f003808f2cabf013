"""Item statistics as summary rows: per quiz, the sums quizzes.domain.statistics computes every figure from.

Each submitted attempt's contribution (per question: score x, rest-of-test score r, response; the
attempt's total) is stored, so when an attempt changes its old contribution is taken out and the
new one added, under a lock on the quiz's two summary rows (first attempts, all attempts). The rows
are valid for one question set and marks (their signature); after a quiz is edited, or before it
was ever reported on, they are rebuilt from the record when read. A writer that finds no rows
creates them marked stale and holds their lock, so a rebuild never misses its attempt.
"""
import hashlib
import json
from collections.abc import Iterable

from django.db import transaction

from quizzes.domain.statistics import ItemSums
from quizzes.models import Answer, Attempt, AttemptState, Quiz
from quizzes.selectors_reports import GatheredSums, ScoreSums, live_question_marks

from .summary_models import AttemptItemContribution, QuizItemSummary

WHICH = ("first", "all")
STALE = "stale"


def quiz_marks(quiz_id: int) -> dict[int, float]:
    return live_question_marks(quiz=Quiz(pk=quiz_id))


def signature(marks: dict[int, float]) -> str:
    return hashlib.sha256(json.dumps(sorted(marks.items())).encode()).hexdigest()


def _contribution(answers: list[tuple[int, float | None, dict]], marks: dict[int, float]) -> dict | None:
    """One attempt's share of the sums; None when it answered none of the live questions."""
    rows = [(q, x, r) for q, x, r in answers if q in marks]
    if not rows:
        return None
    graded = [(q, float(x)) for q, x, _ in rows if x is not None]
    total, weight = sum(marks[q] * x for q, x in graded), sum(marks[q] for q, _ in graded)
    items = {}
    for question_id, x, response in rows:
        key = json.dumps(response or {}, sort_keys=True)
        if x is None:
            items[str(question_id)] = [None, None, key]
        else:
            rest_weight = weight - marks[question_id]
            items[str(question_id)] = [float(x), (total - float(x) * marks[question_id]) / rest_weight if rest_weight > 0 else 0.0, key]
    return {"items": items, "total": [total, weight]}


def _add(data: dict, contribution: dict, sign: int) -> None:
    def count(table: dict, key: str) -> None:
        table[key] = table.get(key, 0) + sign
        if table[key] == 0:
            del table[key]

    for question, (x, r, response) in contribution["items"].items():
        count(data.setdefault("responses", {}).setdefault(question, {}), response)
        if x is None:
            continue
        sums = data.setdefault("sums", {}).setdefault(question, [0, 0.0, 0.0, 0.0, 0.0, 0.0])
        for index, term in enumerate((1, x, x * x, r, r * r, x * r)):
            sums[index] += sign * term
        count(data.setdefault("own", {}).setdefault(question, {}), repr(x))
        count(data.setdefault("rest", {}).setdefault(question, {}), repr(r))
    total, weight = contribution["total"]
    count(data.setdefault("totals", {}), f"{total!r}|{weight!r}")


def _contributions(quiz_id: int, marks: dict[int, float], user_id: int | None = None) -> Iterable[AttemptItemContribution]:
    """Every submitted attempt's contribution (of one learner, or all), read from the record."""
    attempts = Attempt.objects.filter(quiz_id=quiz_id, state=AttemptState.SUBMITTED)
    if user_id is not None:
        attempts = attempts.filter(user_id=user_id)
    answers = (Answer.objects.filter(attempt__in=attempts, question_id__in=list(marks))
               .order_by("attempt__user_id", "attempt__number", "attempt_id", "id")
               .values_list("attempt__user_id", "attempt_id", "question_id", "fraction", "response"))
    first_seen: set[int] = set()
    current, rows = None, []
    for user, attempt_id, question_id, fraction, response in list(answers.iterator(chunk_size=5000)) + [(None, None, None, None, None)]:
        if attempt_id != (current[1] if current else None):
            if current is not None:
                data = _contribution(rows, marks)
                if data is not None:
                    yield AttemptItemContribution(attempt_id=current[1], quiz_id=quiz_id, user_id=current[0],
                                                  is_first=current[0] not in first_seen, data=data)
                    first_seen.add(current[0])
            current, rows = (user, attempt_id), []
        rows.append((question_id, fraction, response))


def _first_attempt_ids(quiz_id: int, user_id: int | None = None) -> set[int]:
    """Each learner's first submitted attempt, even one that answered no live question (it still counts as first)."""
    attempts = Attempt.objects.filter(quiz_id=quiz_id, state=AttemptState.SUBMITTED)
    if user_id is not None:
        attempts = attempts.filter(user_id=user_id)
    first: dict[int, int] = {}
    for attempt_id, user in attempts.order_by("user_id", "number").values_list("id", "user_id"):
        first.setdefault(user, attempt_id)
    return set(first.values())


def _locked_rows(quiz_id: int) -> list[QuizItemSummary]:
    existing = set(QuizItemSummary.objects.filter(quiz_id=quiz_id).values_list("which", flat=True))
    if len(existing) < len(WHICH):  # a concurrent writer may create them too: the unique constraint keeps one
        QuizItemSummary.objects.bulk_create([QuizItemSummary(quiz_id=quiz_id, which=which, signature=STALE) for which in WHICH if which not in existing],
                                            ignore_conflicts=True)
    return list(QuizItemSummary.objects.select_for_update().filter(quiz_id=quiz_id).order_by("which"))


def item_summaries_mark_stale(*, quiz_id: int) -> None:
    QuizItemSummary.objects.filter(quiz_id=quiz_id).update(signature=STALE)


def item_summary_refresh(*, user_id: int, quiz_id: int) -> None:
    """Take one learner's attempts at the quiz out of its summaries and put them back as they are now."""
    with transaction.atomic():
        rows = _locked_rows(quiz_id)
        marks = quiz_marks(quiz_id)
        if any(row.signature != signature(marks) for row in rows):
            return  # stale: rebuilt from the record when next read
        old = list(AttemptItemContribution.objects.filter(quiz_id=quiz_id, user_id=user_id))
        firsts = _first_attempt_ids(quiz_id, user_id)
        new = [c for c in _contributions(quiz_id, marks, user_id)]
        for contribution in new:
            contribution.is_first = contribution.attempt_id in firsts
        for row in rows:
            for contribution, sign in [(c, -1) for c in old] + [(c, 1) for c in new]:
                if row.which == "all" or contribution.is_first:
                    _add(row.data, contribution.data, sign)
            row.save(update_fields=["data"])
        AttemptItemContribution.objects.filter(quiz_id=quiz_id, user_id=user_id).delete()
        AttemptItemContribution.objects.bulk_create(new)


def item_summary_rebuild(*, quiz_id: int, marks: dict[int, float] | None = None) -> dict[str, QuizItemSummary]:
    """The quiz's summaries and contributions again from the record; returns the rows by `which`."""
    with transaction.atomic():
        rows = _locked_rows(quiz_id)
        marks = quiz_marks(quiz_id) if marks is None else marks
        AttemptItemContribution.objects.filter(quiz_id=quiz_id).delete()
        firsts = _first_attempt_ids(quiz_id)
        data = {"first": {}, "all": {}}
        batch = []
        for contribution in _contributions(quiz_id, marks):
            contribution.is_first = contribution.attempt_id in firsts
            _add(data["all"], contribution.data, 1)
            if contribution.is_first:
                _add(data["first"], contribution.data, 1)
            batch.append(contribution)
        AttemptItemContribution.objects.bulk_create(batch, batch_size=5000)
        for row in rows:
            row.data, row.signature = data[row.which], signature(marks)
        QuizItemSummary.objects.bulk_update(rows, ["data", "signature"])
    return {row.which: row for row in rows}


def summary_sums(*, quiz: Quiz, marks: dict[int, float], which: str) -> GatheredSums:
    """quizzes.selectors_reports.quiz_statistics's sums, from the summary row (rebuilt first if stale)."""
    row = QuizItemSummary.objects.filter(quiz=quiz, which=which).first()
    if row is None or row.signature != signature(marks):
        row = item_summary_rebuild(quiz_id=quiz.id, marks=marks)[which]
    data = row.data

    def runs(table: dict) -> dict[int, list[tuple[float, int]]]:
        return {int(q): [(float(value), count) for value, count in values.items()] for q, values in table.items()}

    totals = [(float(key.split("|")[0]), float(key.split("|")[1]), count) for key, count in data.get("totals", {}).items()]
    responses = {int(q): [response for key, count in values.items() for response in [json.loads(key)] * count]
                 for q, values in data.get("responses", {}).items()}
    return GatheredSums(
        per_question={int(q): ItemSums(int(round(s[0])), *s[1:]) for q, s in data.get("sums", {}).items() if round(s[0]) > 0},
        own=runs(data.get("own", {})), rest=runs(data.get("rest", {})), responses=responses, totals=totals,
        # Only when a question is ungraded somewhere does alpha need a look at the answers themselves.
        total_over=ScoreSums(quiz_id=quiz.id, marks=marks, first_only=which == "first").total_over,
    )
