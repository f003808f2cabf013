"""Write side of the pass rates' summary rows (progress.dashboard_models.QuizPassDays).

A learner's final-grade row (progress.summary_models.LearnerQuizGrade) sits in one bucket: its quiz
and the days of its first and last submission, counted as graded when it has a grade and as passed
when that grade passes. When the row is saved or deleted, its old bucket loses it and its new one
gains it, as two inserted delta rows (never an update of the shared bucket, so the submits of one
quiz never wait for each other; the grade row itself is locked by its writer, so its old values are
read once). The dashboard folds the deltas into the buckets before reading them (pass_days_fold).
A change of the quiz's grading method or pass mark counts the quiz again (quiz_pass_days_rebuild), as does `rebuild_progress_summaries`.
"""
from collections import Counter

from django.db import connection, transaction
from django.utils import timezone

from quizzes.models import Quiz

from .dashboard_models import QuizPassDays, QuizPassDaysDelta
from .selectors.gradebook_sql import PASS_TOLERANCE
from .summary_deltas import deltas_fold, fold_now_and_then, summary_lock
from .summary_models import LearnerQuizGrade

GRADE_FIELDS = ("first_submitted_at", "last_submitted_at", "highest", "average", "first", "last")
METHOD_INDEX = {"highest": 2, "average": 3, "first": 4, "last": 5}


def bucket(values: tuple, *, method: str, pass_percent: float) -> tuple | None:
    """(first_on, last_on, passed) of a grade row's GRADE_FIELDS; None when it has no grade."""
    percent = values[METHOD_INDEX.get(method, 5)]
    if percent is None or values[0] is None:
        return None
    return timezone.localdate(values[0]), timezone.localdate(values[1]), int(percent >= pass_percent - PASS_TOLERANCE)


def pass_days_fold(*, quiz_ids: list[int] | None = None) -> int:
    """Add the quizzes' committed deltas to their buckets (progress.summary_deltas); call before reading them."""
    if quiz_ids is not None and not quiz_ids:
        return 0
    where, params = ("", []) if quiz_ids is None else (f"WHERE quiz_id IN ({', '.join(['%s'] * len(quiz_ids))})", list(quiz_ids))
    return deltas_fold(deltas=QuizPassDaysDelta._meta.db_table, table=QuizPassDays._meta.db_table,
                       keys=("quiz_id", "first_on", "last_on"), sums=("graded", "passed"), where=where, params=params)


def grade_before_save(sender, instance: LearnerQuizGrade, **kwargs) -> None:
    """pre_save of LearnerQuizGrade: its stored values, to take out of their bucket."""
    if instance.pk is not None and not kwargs.get("raw"):
        instance._pass_days_before = LearnerQuizGrade.objects.filter(pk=instance.pk).values_list(*GRADE_FIELDS).first()


def pass_days_apply(*, grade: LearnerQuizGrade, method: str, pass_percent: float, deleted: bool = False) -> None:
    """Move one grade row between buckets (call from its post_save / post_delete, in its transaction)."""
    before = getattr(grade, "_pass_days_before", None)
    old = bucket(before, method=method, pass_percent=pass_percent) if before else None
    if deleted:
        old, new = bucket(tuple(getattr(grade, f) for f in GRADE_FIELDS), method=method, pass_percent=pass_percent), None
    else:
        new = bucket(tuple(getattr(grade, f) for f in GRADE_FIELDS), method=method, pass_percent=pass_percent)
    grade._pass_days_before = None if deleted else tuple(getattr(grade, f) for f in GRADE_FIELDS)
    if old == new:
        return
    # Inserts only (one statement): never an update of the shared bucket, which would make the
    # quiz's other learners' submits wait for this transaction.
    created = QuizPassDaysDelta.objects.bulk_create([
        QuizPassDaysDelta(quiz_id=grade.quiz_id, first_on=key[0], last_on=key[1], graded=sign, passed=sign * key[2])
        for key, sign in ((old, -1), (new, 1)) if key is not None
    ])
    fold_now_and_then(created, pass_days_fold)


def _grades_taking_deltas(quiz_ids: list[int]):
    """The quizzes' grade rows (quiz_id, *GRADE_FIELDS), with their pending deltas deleted as of the same moment.

    A delta is either in the grade rows read (and deleted) or neither (and folded later): on
    PostgreSQL the DELETE and the SELECT are one statement, with one snapshot; on SQLite the DELETE
    takes the write lock first, so nothing commits until this transaction does.
    """
    grades, deltas, marks = LearnerQuizGrade._meta.db_table, QuizPassDaysDelta._meta.db_table, ", ".join(["%s"] * len(quiz_ids))
    if connection.vendor != "postgresql":
        QuizPassDaysDelta.objects.filter(quiz_id__in=quiz_ids).delete()
        yield from LearnerQuizGrade.objects.filter(quiz_id__in=quiz_ids).values_list("quiz_id", *GRADE_FIELDS).iterator(chunk_size=5000)
        return
    columns = ", ".join(connection.ops.quote_name(LearnerQuizGrade._meta.get_field(name).column) for name in GRADE_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(f"WITH gone AS (DELETE FROM {deltas} WHERE quiz_id IN ({marks}) RETURNING 1)"
                       f" SELECT quiz_id, {columns} FROM {grades} WHERE quiz_id IN ({marks})", [*quiz_ids, *quiz_ids])
        while rows := cursor.fetchmany(5000):
            yield from rows


def quiz_pass_days_rebuild(*, quiz_ids: list[int] | None = None) -> int:
    """The buckets again from the grade rows (of some quizzes, or all), pending deltas dropped; returns how many rows were written."""
    quizzes = Quiz.objects.all() if quiz_ids is None else Quiz.objects.filter(pk__in=quiz_ids)
    settings = {pk: (method, percent) for pk, method, percent in quizzes.values_list("pk", "grading_method", "pass_percent")}
    counts: Counter = Counter()
    with transaction.atomic():
        summary_lock(QuizPassDays._meta.db_table)
        for quiz_id, *values in _grades_taking_deltas(list(settings)) if settings else ():
            method, percent = settings[quiz_id]
            key = bucket(tuple(values), method=method, pass_percent=percent)
            if key is not None:
                counts[(quiz_id, key[0], key[1], "graded")] += 1
                counts[(quiz_id, key[0], key[1], "passed")] += key[2]
        QuizPassDays.objects.filter(quiz_id__in=list(settings)).delete()
        rows = [QuizPassDays(quiz_id=q, first_on=a, last_on=b, graded=n, passed=counts[(q, a, b, "passed")])
                for (q, a, b, kind), n in counts.items() if kind == "graded"]
        QuizPassDays.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
