"""Write side of the pass rates' summary rows (progress.dashboard_models.QuizPassDays).

A learner's final-grade row (progress.summary_models.LearnerQuizGrade) sits in one bucket: its quiz
and the days of its first and last submission, counted as graded when it has a grade and as passed
when that grade passes. When the row is saved or deleted, its old bucket loses it and its new one
gains it, with F() increments, so concurrent writers add up (the grade row itself is locked by its
writer, so its old values are read once). A change of the quiz's grading method or pass mark
counts the quiz again (quiz_pass_days_rebuild), as does `rebuild_progress_summaries`.
"""
from collections import Counter

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from quizzes.models import Quiz

from .dashboard_models import QuizPassDays
from .selectors.gradebook_sql import PASS_TOLERANCE
from .summary_models import LearnerQuizGrade

GRADE_FIELDS = ("first_submitted_at", "last_submitted_at", "highest", "average", "first", "last")
METHOD_INDEX = {"highest": 2, "average": 3, "first": 4, "last": 5}


def bucket(values: tuple, *, method: str, pass_percent: float) -> tuple | None:
    """(first_on, last_on, passed) of a grade row's GRADE_FIELDS; None when it has no grade."""
    percent = values[METHOD_INDEX.get(method, 5)]
    if percent is None or values[0] is None:
        return None
    return timezone.localdate(values[0]), timezone.localdate(values[1]), int(percent >= pass_percent - PASS_TOLERANCE)


def _add(quiz_id: int, key: tuple, sign: int) -> None:
    first_on, last_on, passed = key
    if sign > 0:  # one statement: the bucket is created or added to (concurrent writers add up)
        table = QuizPassDays._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} (quiz_id, first_on, last_on, graded, passed) VALUES (%s, %s, %s, 1, %s)"
                           f" ON CONFLICT (quiz_id, first_on, last_on) DO UPDATE SET graded = {table}.graded + 1, passed = {table}.passed + %s",
                           [quiz_id, first_on, last_on, passed, passed])
    else:
        QuizPassDays.objects.filter(quiz_id=quiz_id, first_on=first_on, last_on=last_on).update(graded=F("graded") - 1, passed=F("passed") - passed)


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
    with transaction.atomic(savepoint=False):
        if old is not None:
            _add(grade.quiz_id, old, -1)
        if new is not None:
            _add(grade.quiz_id, new, 1)


def quiz_pass_days_rebuild(*, quiz_ids: list[int] | None = None) -> int:
    """The buckets again from the grade rows (of some quizzes, or all); returns how many rows were written."""
    quizzes = Quiz.objects.all() if quiz_ids is None else Quiz.objects.filter(pk__in=quiz_ids)
    settings = {pk: (method, percent) for pk, method, percent in quizzes.values_list("pk", "grading_method", "pass_percent")}
    counts: Counter = Counter()
    grades = LearnerQuizGrade.objects.filter(quiz_id__in=list(settings)).values_list("quiz_id", *GRADE_FIELDS)
    for quiz_id, *values in grades.iterator(chunk_size=5000):
        method, percent = settings[quiz_id]
        key = bucket(tuple(values), method=method, pass_percent=percent)
        if key is not None:
            counts[(quiz_id, key[0], key[1], "graded")] += 1
            counts[(quiz_id, key[0], key[1], "passed")] += key[2]
    with transaction.atomic():
        QuizPassDays.objects.filter(quiz_id__in=list(settings)).delete()
        rows = [QuizPassDays(quiz_id=q, first_on=a, last_on=b, graded=n, passed=counts[(q, a, b, "passed")])
                for (q, a, b, kind), n in counts.items() if kind == "graded"]
        QuizPassDays.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
