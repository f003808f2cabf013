"""Item statistics as summary rows: per quiz, the sums quizzes.domain.statistics computes every figure from.

Each submitted attempt's contribution (per question: score x, rest-of-test score r, response; the
attempt's total) is stored. When a learner's attempts change, the contributions that changed are
taken out and put back as signed deltas (ItemSummaryDelta) — inserts only, under a *shared* lock on
the quiz's two summary rows, so concurrent submits of one quiz never wait for each other. Reading
the report adds the pending deltas into the rows (fold) under an exclusive lock, which also keeps
a rebuild from running beside a submit. The rows are valid for one question set and marks (their
signature); after a quiz is edited, or before it was ever reported on, they are rebuilt from the
record when read. A writer that finds no rows creates them marked stale, so a rebuild never misses
its attempt. Invariant: rows + pending deltas = the sum of the stored contributions. The writer
whose delta id is a multiple of settings.PROGRESS_FOLD_EVERY_DELTAS folds after its commit, so the deltas
of a quiz nobody reports on stay few.
"""
import hashlib
import json
from collections.abc import Iterable

from django.db import connection, transaction

from quizzes.domain.statistics import ItemSums
from quizzes.models import Answer, Attempt, AttemptState, Quiz
from quizzes.selectors_reports import GatheredSums, ScoreSums, live_question_marks

from .summary_deltas import fold_now_and_then
from .summary_models import AttemptItemContribution, ItemSummaryDelta, QuizItemSummary

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


def _ensure_rows(quiz_id: int) -> None:
    if QuizItemSummary.objects.filter(quiz_id=quiz_id).count() < len(WHICH):
        # A concurrent writer may create them too: the unique constraint keeps one of each.
        QuizItemSummary.objects.bulk_create([QuizItemSummary(quiz_id=quiz_id, which=which, signature=STALE) for which in WHICH],
                                            ignore_conflicts=True)


def _locked_rows(quiz_id: int) -> list[QuizItemSummary]:
    """The quiz's rows under an exclusive lock: no submit of the quiz is half-way through its deltas."""
    _ensure_rows(quiz_id)
    return list(QuizItemSummary.objects.select_for_update().filter(quiz_id=quiz_id).order_by("which"))


def _shared_signatures(quiz_id: int) -> list[str]:
    """The rows' signatures under a shared lock (PostgreSQL FOR SHARE): submits hold it together,
    a fold or rebuild waits until they commit. SQLite runs one writing transaction at a time anyway."""
    table = QuizItemSummary._meta.db_table
    lock = " FOR SHARE" if connection.features.has_select_for_update else ""
    for _ in range(2):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT signature FROM {table} WHERE quiz_id = %s ORDER BY which{lock}", [quiz_id])
            signatures = [signature for (signature,) in cursor.fetchall()]
        if len(signatures) == len(WHICH):
            break
        _ensure_rows(quiz_id)
    return signatures


def item_summaries_mark_stale(*, quiz_id: int) -> None:
    QuizItemSummary.objects.filter(quiz_id=quiz_id).update(signature=STALE)


def item_summary_refresh(*, user_id: int, quiz_id: int) -> None:
    """Put the learner's changed contributions to the quiz's item statistics in as deltas.

    Call under the learner's grade-row lock (progress.summaries.learner_grade_refresh takes it), which
    orders the refreshes of one learner; learners never wait for each other here."""
    with transaction.atomic(savepoint=False):  # no savepoint in the submit's transaction: two round trips less
        signatures = _shared_signatures(quiz_id)
        marks = quiz_marks(quiz_id)
        if any(value != signature(marks) for value in signatures):
            return  # stale: rebuilt from the record when next read
        old = {c.attempt_id: c for c in AttemptItemContribution.objects.filter(quiz_id=quiz_id, user_id=user_id)}
        firsts = _first_attempt_ids(quiz_id, user_id)
        new = {}
        for contribution in _contributions(quiz_id, marks, user_id):
            contribution.is_first = contribution.attempt_id in firsts
            new[contribution.attempt_id] = contribution

        def same(a: AttemptItemContribution, b: AttemptItemContribution) -> bool:
            return a.is_first == b.is_first and json.dumps(a.data, sort_keys=True) == json.dumps(b.data, sort_keys=True)

        gone = [c for attempt, c in old.items() if attempt not in new or not same(c, new[attempt])]
        added = [c for attempt, c in new.items() if attempt not in old or not same(old[attempt], c)]
        if not gone and not added:
            return
        created = ItemSummaryDelta.objects.bulk_create(
            [ItemSummaryDelta(quiz_id=quiz_id, sign=-1, is_first=c.is_first, data=c.data) for c in gone]
            + [ItemSummaryDelta(quiz_id=quiz_id, sign=1, is_first=c.is_first, data=c.data) for c in added]
        )
        fold_now_and_then(created, lambda: item_summaries_fold(quiz_id=quiz_id))
        if gone:
            AttemptItemContribution.objects.filter(pk__in=[c.attempt_id for c in gone]).delete()
        AttemptItemContribution.objects.bulk_create(added)


def item_summaries_fold(*, quiz_id: int) -> dict[str, QuizItemSummary] | None:
    """Add the pending deltas into the quiz's rows; returns them by `which`, or None when they are
    stale (the caller rebuilds)."""
    with transaction.atomic():
        rows = _locked_rows(quiz_id)
        if any(row.signature == STALE for row in rows):
            return None
        deltas = list(ItemSummaryDelta.objects.filter(quiz_id=quiz_id).order_by("id"))
        if deltas:
            for row in rows:
                for delta in deltas:
                    if row.which == "all" or delta.is_first:
                        _add(row.data, delta.data, delta.sign)
            QuizItemSummary.objects.bulk_update(rows, ["data"])
            ItemSummaryDelta.objects.filter(quiz_id=quiz_id, id__lte=deltas[-1].id).delete()
    return {row.which: row for row in rows}


def item_summary_rebuild(*, quiz_id: int, marks: dict[int, float] | None = None) -> dict[str, QuizItemSummary]:
    """The quiz's summaries and contributions again from the record; returns the rows by `which`."""
    with transaction.atomic():
        rows = _locked_rows(quiz_id)
        marks = quiz_marks(quiz_id) if marks is None else marks
        AttemptItemContribution.objects.filter(quiz_id=quiz_id).delete()
        ItemSummaryDelta.objects.filter(quiz_id=quiz_id).delete()
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
    if row is not None and row.signature == signature(marks) and ItemSummaryDelta.objects.filter(quiz=quiz).exists():
        row = (item_summaries_fold(quiz_id=quiz.id) or {}).get(which)
    if row is None or row.signature != signature(marks):
        row = item_summary_rebuild(quiz_id=quiz.id, marks=marks)[which]
    data = row.data

    def runs(table: dict) -> dict[int, list[tuple[float, int]]]:
        return {int(q): [(float(value), count) for value, count in values.items()] for q, values in table.items()}

    totals = [(float(key.split("|")[0]), float(key.split("|")[1]), count) for key, count in data.get("totals", {}).items()]
    # (response, count) pairs: the frequencies are counted from them, so nothing here grows with the cohort.
    responses = {int(q): [(json.loads(key), count) for key, count in values.items() if count > 0]
                 for q, values in data.get("responses", {}).items()}
    return GatheredSums(
        per_question={int(q): ItemSums(int(round(s[0])), *s[1:]) for q, s in data.get("sums", {}).items() if round(s[0]) > 0},
        own=runs(data.get("own", {})), rest=runs(data.get("rest", {})), responses=responses, totals=totals,
        # Only when a question is ungraded somewhere does alpha need a look at the answers themselves.
        total_over=ScoreSums(quiz_id=quiz.id, marks=marks, first_only=which == "first").total_over,
    )
