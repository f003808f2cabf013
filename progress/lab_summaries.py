"""Write side of the lab's summary rows (progress.dashboard_models.LabDay, LabLearnerDay).

Lab events are only ever inserted: each adds its count to its day as an inserted delta row (never
an update of the day's shared row, which would make every learner's lab event that day wait for the
others' transactions; the dashboard folds them, lab_days_fold) and marks its learner as a lab user
that day (an insert that ignores a duplicate). The rebuild counts both again from the learning record.
"""
from collections import Counter

from django.db import connection, transaction

from .dashboard_models import LabDay, LabDayDelta, LabLearnerDay
from .models import EventKind, LearningEvent
from .summary_deltas import deltas_fold, fold_now_and_then, summary_lock


def lab_days_fold() -> int:
    """Add the committed lab-run deltas to their days (progress.summary_deltas); call before reading LabDay."""
    return deltas_fold(deltas=LabDayDelta._meta.db_table, table=LabDay._meta.db_table, keys=("day",), sums=("runs",))


def lab_events_apply(events: list[LearningEvent]) -> None:
    """Count new events (any kinds; only lab runs count) in the lab's day rows; call in their transaction."""
    lab = [event for event in events if event.kind == EventKind.LAB_USED]
    if not lab:
        return
    LabLearnerDay.objects.bulk_create([LabLearnerDay(day=day, user_id=user_id) for day, user_id in {(e.occurred_on, e.user_id) for e in lab}],
                                      ignore_conflicts=True, batch_size=5000)
    runs: Counter = Counter()
    for event in lab:
        runs[event.occurred_on] += event.count
    created = LabDayDelta.objects.bulk_create([LabDayDelta(day=day, runs=count) for day, count in sorted(runs.items())])
    fold_now_and_then(created, lab_days_fold)


def lab_event_saved(sender, instance: LearningEvent, created: bool, **kwargs) -> None:
    """post_save of LearningEvent (connected in progress.funnel_summaries.funnel_receivers_connect)."""
    if created and not kwargs.get("raw"):
        lab_events_apply([instance])


def lab_summaries_rebuild() -> int:
    """Both tables again from the learning record, pending deltas dropped; returns the number of day rows.

    A delta is either counted in the events read (and deleted) or neither (and folded later): on
    PostgreSQL the DELETE and the INSERT … SELECT are one statement, with one snapshot; on SQLite the
    first DELETE takes the write lock, so nothing commits until this transaction does.
    """
    events, days, learners, deltas = (model._meta.db_table for model in (LearningEvent, LabDay, LabLearnerDay, LabDayDelta))
    kind = [EventKind.LAB_USED.value]
    with transaction.atomic(), connection.cursor() as cursor:
        summary_lock(days)
        LabDay.objects.all().delete()
        LabLearnerDay.objects.all().delete()
        gone = f"WITH gone AS (DELETE FROM {deltas} RETURNING 1) " if connection.vendor == "postgresql" else ""
        if not gone:
            LabDayDelta.objects.all().delete()
        cursor.execute(f"{gone}INSERT INTO {days} (day, runs) SELECT occurred_on, SUM(count) FROM {events} WHERE kind = %s GROUP BY occurred_on", kind)
        cursor.execute(f"INSERT INTO {learners} (day, user_id) SELECT DISTINCT occurred_on, user_id FROM {events} WHERE kind = %s", kind)
    return LabDay.objects.count()
