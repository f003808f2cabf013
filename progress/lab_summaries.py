"""Write side of the lab's summary rows (progress.dashboard_models.LabDay, LabLearnerDay).

Lab events are only ever inserted: each adds its count to its day (an F() increment, so concurrent
writers add up) and marks its learner as a lab user that day (an insert that ignores a duplicate).
The rebuild counts both again from the learning record.
"""
from collections import Counter

from django.db import connection
from django.db.models import F

from .dashboard_models import LabDay, LabLearnerDay
from .models import EventKind, LearningEvent


def _runs_add(day, runs: int) -> None:
    if not LabDay.objects.filter(day=day).update(runs=F("runs") + runs):
        LabDay.objects.bulk_create([LabDay(day=day, runs=0)], ignore_conflicts=True)
        LabDay.objects.filter(day=day).update(runs=F("runs") + runs)


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
    for day, count in sorted(runs.items()):
        _runs_add(day, count)


def lab_event_saved(sender, instance: LearningEvent, created: bool, **kwargs) -> None:
    """post_save of LearningEvent (connected in progress.funnel_summaries.funnel_receivers_connect)."""
    if created and not kwargs.get("raw"):
        lab_events_apply([instance])


def lab_summaries_rebuild() -> int:
    """Both tables again from the learning record; returns the number of day rows."""
    LabDay.objects.all().delete()
    LabLearnerDay.objects.all().delete()
    events, days, learners = LearningEvent._meta.db_table, LabDay._meta.db_table, LabLearnerDay._meta.db_table
    with connection.cursor() as cursor:
        kind = [EventKind.LAB_USED.value]
        cursor.execute(f"INSERT INTO {days} (day, runs) SELECT occurred_on, SUM(count) FROM {events} WHERE kind = %s GROUP BY occurred_on", kind)
        cursor.execute(f"INSERT INTO {learners} (day, user_id) SELECT DISTINCT occurred_on, user_id FROM {events} WHERE kind = %s", kind)
    return LabDay.objects.count()
