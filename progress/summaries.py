"""Write side of the summary rows (progress.summary_models): incremental updates and the rebuild.

Events update the day and lesson counters with F() expressions, so concurrent writers add up
instead of overwriting each other. A learner's grade row is recomputed from their attempts at the
quiz under a row lock, in the transaction that saved the attempt: whoever takes the lock next reads
every attempt committed so far, so a burst of submissions cannot leave it behind the record. The
quiz's item statistics follow under the same per-learner lock, as deltas that never make one
learner's submit wait for another's (progress.item_summaries).
"""
from collections.abc import Iterable, Iterator

from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Q

from quizzes.models import Attempt, AttemptState, Quiz

from .dashboard_models import CourseLearnerSummary, LabDay, LabDayDelta, QuizPassDays, QuizPassDaysDelta
from .funnel_summaries import course_learners_rebuild
from .lab_summaries import lab_events_apply, lab_summaries_rebuild
from .pass_rate_summaries import quiz_pass_days_rebuild
from .item_summaries import item_summaries_mark_stale, item_summary_rebuild, item_summary_refresh
from .models import EventKind, LearningEvent
from .selectors.grades import ATTEMPT_COLUMNS
from .summary_models import AttemptItemContribution, DailyActivity, DailyLearner, LearnerQuizGrade, LearnerSummary, LessonViews, QuizItemSummary

BATCH = 5000
GRADE_COLUMNS = (*ATTEMPT_COLUMNS, "submitted_at")


# --- Learners ---------------------------------------------------------------------------------------

def learner_keys(*, username: str, first_name: str, last_name: str, email: str) -> tuple[str, str]:
    """(sort_name, search_text) as the gradebook has always sorted and searched: casefolded in Python."""
    name = f"{first_name} {last_name}".strip() or username
    return name.casefold(), f"{username} {name} {email}".casefold()


def learner_summary_refresh(*, user: User) -> None:
    sort_name, search_text = learner_keys(username=user.username, first_name=user.first_name, last_name=user.last_name, email=user.email)
    updated = LearnerSummary.objects.filter(user_id=user.pk).update(sort_name=sort_name, search_text=search_text)
    if not updated:
        _create_or_ignore(LearnerSummary, user_id=user.pk, sort_name=sort_name, search_text=search_text)


def _create_or_ignore(model, **values) -> bool:
    """Insert a row unless a concurrent writer did first; True when this call inserted it."""
    try:
        with transaction.atomic():
            model.objects.create(**values)
        return True
    except IntegrityError:
        return False


# --- Events -----------------------------------------------------------------------------------------

def event_summaries_apply(event: LearningEvent) -> None:
    """Count one new event in the day and lesson summaries; call inside the event's transaction."""
    if _create_or_ignore(DailyLearner, day=event.occurred_on, user_id=event.user_id):
        if not DailyActivity.objects.filter(day=event.occurred_on).update(active_learners=F("active_learners") + 1):
            if not _create_or_ignore(DailyActivity, day=event.occurred_on, active_learners=1):
                DailyActivity.objects.filter(day=event.occurred_on).update(active_learners=F("active_learners") + 1)
    if not LearnerSummary.objects.filter(user_id=event.user_id).exists():
        learner_summary_refresh(user=User.objects.get(pk=event.user_id))
    # A conditional UPDATE: concurrent events of one learner only ever move the day forward.
    LearnerSummary.objects.filter(Q(last_active_on__isnull=True) | Q(last_active_on__lt=event.occurred_on), user_id=event.user_id).update(
        last_active_on=event.occurred_on
    )
    if event.kind == EventKind.LESSON_VIEWED and event.lesson_id is not None:
        if not LessonViews.objects.filter(lesson_id=event.lesson_id).update(views=F("views") + event.count):
            if not _create_or_ignore(LessonViews, lesson_id=event.lesson_id, views=event.count):
                LessonViews.objects.filter(lesson_id=event.lesson_id).update(views=F("views") + event.count)


# --- Grades -----------------------------------------------------------------------------------------

def grade_components(rows: Iterable[tuple]) -> dict:
    """LearnerQuizGrade's fields from one learner's attempts at one quiz (GRADE_COLUMNS, in attempt order);
    the same rules as selectors.grades.grades_by_user_and_quiz."""
    used, in_progress, awaiting, percents, submitted = 0, False, False, [], []
    for row in rows:
        used += 1
        if row[3] == AttemptState.SUBMITTED and row[7] is not None:
            submitted.append(row[7])
        if row[3] != AttemptState.SUBMITTED:
            in_progress = True
        elif row[6]:
            awaiting = True
        elif row[5]:
            percents.append(100 * row[4] / row[5] if row[4] is not None else 0.0)
    return {
        "attempts_used": used, "in_progress": in_progress, "awaiting_grading": awaiting,
        "highest": max(percents) if percents else None,
        "average": sum(percents) / len(percents) if percents else None,
        "first": percents[0] if percents else None,
        "last": percents[-1] if percents else None,
        "first_submitted_at": min(submitted) if submitted else None,
        "last_submitted_at": max(submitted) if submitted else None,
    }


def learner_grade_refresh(*, user_id: int, quiz_id: int) -> None:
    """Recompute one learner's grade row from their attempts at the quiz (after those are committed)."""
    attempts = Attempt.objects.filter(user_id=user_id, quiz_id=quiz_id)
    if not attempts.exists():  # the last attempt went (a learner or quiz being deleted): no row to lock
        LearnerQuizGrade.objects.filter(user_id=user_id, quiz_id=quiz_id).delete()
        return
    # No savepoint inside the caller's transaction (the submit's): two round trips saved, and an error
    # here fails the whole submit anyway.
    with transaction.atomic(savepoint=False):
        LearnerQuizGrade.objects.bulk_create([LearnerQuizGrade(user_id=user_id, quiz_id=quiz_id)], ignore_conflicts=True)
        # The lock orders concurrent refreshes: whoever holds it next reads every attempt committed so far.
        grade = LearnerQuizGrade.objects.select_for_update().get(user_id=user_id, quiz_id=quiz_id)
        rows = list(attempts.order_by("number").values_list(*GRADE_COLUMNS))
        if not rows:
            grade.delete()
            return
        for field, value in grade_components(rows).items():
            setattr(grade, field, value)
        grade.save()


def attempt_changed(sender, instance, **kwargs) -> None:
    """post_save / post_delete of quizzes.Attempt: refresh the learner's grade row in the same transaction.

    The quiz code saves an attempt under its row lock; the grade row's lock then orders concurrent
    refreshes of one learner, and each reads the attempts after taking it (on PostgreSQL a new
    statement sees everything committed before it), so the last one to commit is never behind.
    """
    if kwargs.get("raw"):
        return
    learner_grade_refresh(user_id=instance.user_id, quiz_id=instance.quiz_id)
    if "created" in kwargs:  # saved: its contribution to the item statistics is recomputed
        item_summary_refresh(user_id=instance.user_id, quiz_id=instance.quiz_id)
    else:  # deleted (with a learner, or alone): its contribution may be gone already; rebuild on read
        item_summaries_mark_stale(quiz_id=instance.quiz_id)


def answer_saved(sender, instance, **kwargs) -> None:
    """post_save of quizzes.Answer: a submitted attempt's answer changed (an answer added, a grade given)."""
    if kwargs.get("raw"):
        return
    attempt = Attempt.objects.filter(pk=instance.attempt_id, state=AttemptState.SUBMITTED).values_list("user_id", "quiz_id").first()
    if attempt is not None:
        with transaction.atomic(savepoint=False):
            learner_grade_refresh(user_id=attempt[0], quiz_id=attempt[1])  # takes the learner's lock that orders item refreshes
            item_summary_refresh(user_id=attempt[0], quiz_id=attempt[1])


def event_saved(sender, instance, created: bool, **kwargs) -> None:
    """post_save of LearningEvent (events are only ever inserted)."""
    if created and not kwargs.get("raw"):
        event_summaries_apply(instance)


def events_bulk_applied(events: list[LearningEvent]) -> None:
    """The summaries of events inserted in bulk: days recounted, lesson views and last days added up."""
    lab_events_apply(events)
    pairs = {(event.occurred_on, event.user_id) for event in events}
    DailyLearner.objects.bulk_create([DailyLearner(day=day, user_id=user_id) for day, user_id in pairs], ignore_conflicts=True, batch_size=BATCH)
    days = {day for day, _ in pairs}
    for day in days:
        count = DailyLearner.objects.filter(day=day).count()
        if not DailyActivity.objects.filter(day=day).update(active_learners=count):
            DailyActivity.objects.create(day=day, active_learners=count)
    views: dict[int, int] = {}
    for event in events:
        if event.kind == EventKind.LESSON_VIEWED and event.lesson_id is not None:
            views[event.lesson_id] = views.get(event.lesson_id, 0) + event.count
    for lesson_id, count in views.items():
        if not LessonViews.objects.filter(lesson_id=lesson_id).update(views=F("views") + count):
            LessonViews.objects.create(lesson_id=lesson_id, views=count)
    last: dict[int, object] = {}
    for day, user_id in pairs:
        last[user_id] = max(day, last.get(user_id, day))
    known = set(LearnerSummary.objects.filter(user_id__in=list(last)).values_list("user_id", flat=True))
    for user in User.objects.filter(pk__in=[pk for pk in last if pk not in known]):
        learner_summary_refresh(user=user)
    for user_id, day in last.items():
        LearnerSummary.objects.filter(Q(last_active_on__isnull=True) | Q(last_active_on__lt=day), user_id=user_id).update(last_active_on=day)


NAME_FIELDS = {"username", "first_name", "last_name", "email"}


def user_saved(sender, instance, update_fields=None, **kwargs) -> None:
    """post_save of User: keep the gradebook's sort and search keys in step (a login saves last_login only)."""
    if not kwargs.get("raw") and (update_fields is None or NAME_FIELDS & set(update_fields)):
        learner_summary_refresh(user=instance)


def enrollment_saved(sender, instance, created: bool, **kwargs) -> None:
    """post_save of Enrollment: a learner created in bulk (no User signal) gets their gradebook keys on joining."""
    if created and not kwargs.get("raw") and not LearnerSummary.objects.filter(user_id=instance.user_id).exists():
        learner_summary_refresh(user=User.objects.get(pk=instance.user_id))


# --- Rebuild ----------------------------------------------------------------------------------------

def _chunks(items: Iterable, size: int = BATCH) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _grade_rows() -> Iterator[LearnerQuizGrade]:
    attempts = Attempt.objects.order_by("user_id", "quiz_id", "number").values_list(*GRADE_COLUMNS)
    key, group = None, []
    for row in attempts.iterator(chunk_size=BATCH):
        if (row[0], row[1]) != key:
            if group:
                yield LearnerQuizGrade(user_id=key[0], quiz_id=key[1], **grade_components(group))
            key, group = (row[0], row[1]), []
        group.append(row)
    if group:
        yield LearnerQuizGrade(user_id=key[0], quiz_id=key[1], **grade_components(group))


def summaries_rebuild(*, items: bool = True) -> dict[str, int]:
    """Every summary row again from the record, in bulk; returns how many rows each table got.

    items=False leaves the quizzes' item statistics as they are: a quiz whose rows are missing or
    stale has them rebuilt on its report's first read (a bulk loader's choice; see bench/progress_bench.py).
    """
    with transaction.atomic():
        for model in (LearnerSummary, LearnerQuizGrade, DailyLearner, DailyActivity, LessonViews):
            model.objects.all().delete()
        last_active = dict(LearningEvent.objects.values("user_id").annotate(day=Max("occurred_on")).values_list("user_id", "day"))
        learners = (
            LearnerSummary(user_id=pk, last_active_on=last_active.get(pk), **dict(zip(("sort_name", "search_text"), learner_keys(
                username=username, first_name=first, last_name=last, email=email))))
            for pk, username, first, last, email in User.objects.values_list("id", "username", "first_name", "last_name", "email").iterator(chunk_size=BATCH)
        )
        for chunk in _chunks(learners):
            LearnerSummary.objects.bulk_create(chunk)
        for chunk in _chunks(_grade_rows()):
            LearnerQuizGrade.objects.bulk_create(chunk)
        events, daily, days, views = (model._meta.db_table for model in (LearningEvent, DailyLearner, DailyActivity, LessonViews))
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {daily} (day, user_id) SELECT DISTINCT occurred_on, user_id FROM {events}")
            cursor.execute(f"INSERT INTO {days} (day, active_learners) SELECT day, COUNT(*) FROM {daily} GROUP BY day")
            cursor.execute(
                f"INSERT INTO {views} (lesson_id, views) SELECT lesson_id, SUM(count) FROM {events} "
                f"WHERE kind = %s AND lesson_id IS NOT NULL GROUP BY lesson_id", [EventKind.LESSON_VIEWED.value],
            )
        for quiz_id in Quiz.objects.values_list("id", flat=True) if items else ():
            item_summary_rebuild(quiz_id=quiz_id)
        course_learners_rebuild()  # the dashboard's funnel and pass rates, counted over the grade rows written above
        quiz_pass_days_rebuild()
        lab_summaries_rebuild()
    models = (LearnerSummary, LearnerQuizGrade, DailyLearner, DailyActivity, LessonViews, QuizItemSummary, AttemptItemContribution, CourseLearnerSummary,
              QuizPassDays, QuizPassDaysDelta, LabDay, LabDayDelta)
    return {model.__name__: model.objects.count() for model in models}
