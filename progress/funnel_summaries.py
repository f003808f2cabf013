"""Write side of the funnel's summary rows (progress.dashboard_models.CourseLearnerSummary).

One rule: whenever what a learner has done in a course changes — a lesson progress row written
(courses.lesson_progress: its update()s send `lesson_progress_changed`, ORM inserts and deletes
send post_save / post_delete) or a final-grade row written (progress.summaries) — the learner's row
for that course is counted again from the record, under its row lock, in the writer's transaction.
Whoever takes the lock next counts every change committed before it, so concurrent writers cannot
leave the row behind the record. When a lesson or quiz is published, hidden, moved or deleted, or a
quiz's grading method or pass mark changes, the whole course is counted again after the commit
(with its quizzes' pass-rate buckets, progress.pass_rate_summaries, which follow the grade rows too).
A row whose counts are all zero means nothing (the funnel reads the counts); a rebuild leaves none.
"""
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save, pre_save

from courses.lesson_progress import lesson_progress_changed
from courses.models import Lesson, LessonProgress
from quizzes.models import Quiz

from .dashboard_models import CourseLearnerSummary
from .lab_summaries import lab_event_saved
from .models import LearningEvent
from .pass_rate_summaries import grade_before_save, pass_days_apply, quiz_pass_days_rebuild
from .selectors.gradebook_sql import PASS_TOLERANCE, percent_sql
from .selectors.platform_sql import PASSED
from .summary_models import LearnerQuizGrade

TABLE = CourseLearnerSummary._meta.db_table
FAILED = f"CASE WHEN {percent_sql('g', 'q')} < q.pass_percent - {PASS_TOLERANCE} THEN 1 ELSE 0 END"
COUNTS = ("lessons_viewed", "lessons_completed", "quizzes_attempted", "quizzes_passed", "quizzes_failed")


def _counts_sql(where: str) -> str:
    """(course_id, user_id, *COUNTS) per learner and course; `where` narrows both halves by l.course_id / the learner."""
    progress, lessons = LessonProgress._meta.db_table, Lesson._meta.db_table
    grades, quizzes = LearnerQuizGrade._meta.db_table, Quiz._meta.db_table
    return f"""
        SELECT course_id, user_id, SUM(lv) AS c0, SUM(lc) AS c1, SUM(qa) AS c2, SUM(qp) AS c3, SUM(qf) AS c4 FROM (
            SELECT l.course_id AS course_id, p.user_id AS user_id, 1 AS lv,
                   CASE WHEN p.completed_at IS NOT NULL THEN 1 ELSE 0 END AS lc, 0 AS qa, 0 AS qp, 0 AS qf
            FROM {progress} p JOIN {lessons} l ON l.id = p.lesson_id WHERE l.is_published = %s {where.format(user="p.user_id")}
            UNION ALL
            SELECT l.course_id, g.user_id, 0, 0, CASE WHEN l.is_published = %s THEN 1 ELSE 0 END,
                   CASE WHEN l.is_published = %s THEN {PASSED} ELSE 0 END, {FAILED}
            FROM {grades} g JOIN {quizzes} q ON q.id = g.quiz_id JOIN {lessons} l ON l.id = q.lesson_id
            WHERE q.is_published = %s {where.format(user="g.user_id")}
        ) counted GROUP BY course_id, user_id"""


def course_learner_refresh(*, user_id: int, course_id: int, create: bool = True) -> None:
    """Count one learner's row for one course again from the record (call inside the writer's transaction).

    `create=False` for deletes: counts only go down then, and a learner being deleted must not get a
    new row that their deletion already swept.
    """
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:  # no savepoint: a failure fails the write it follows
        if create:  # inserts the row, or takes the existing row's lock with a no-op update: one statement either way
            cursor.execute(f"INSERT INTO {TABLE} (course_id, user_id, {', '.join(COUNTS)}) VALUES (%s, %s{', 0' * len(COUNTS)})"
                           f" ON CONFLICT (course_id, user_id) DO UPDATE SET {COUNTS[0]} = {TABLE}.{COUNTS[0]}", [course_id, user_id])
        elif not list(CourseLearnerSummary.objects.select_for_update().filter(course_id=course_id, user_id=user_id).values_list("pk")):
            return
        # The lock orders concurrent refreshes; this count is a new statement, so it sees every change
        # committed before the lock was granted (PostgreSQL, read committed).
        counted = ", ".join(f"COALESCE(MAX(c{i}), 0)" for i in range(len(COUNTS)))
        cursor.execute(f"UPDATE {TABLE} SET ({', '.join(COUNTS)}) = (SELECT {counted} FROM ({_counts_sql('AND l.course_id = %s AND {user} = %s')}) x)"
                       f" WHERE course_id = %s AND user_id = %s", [True, course_id, user_id, True, True, True, course_id, user_id, course_id, user_id])


def course_learners_rebuild(*, course_id: int | None = None) -> int:
    """Every row again (of one course, or all) in one INSERT … SELECT; returns how many rows were written."""
    with transaction.atomic():
        rows = CourseLearnerSummary.objects.all() if course_id is None else CourseLearnerSummary.objects.filter(course_id=course_id)
        rows.delete()
        where, params = ("", []) if course_id is None else ("AND l.course_id = %s", [course_id])
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE} (course_id, user_id, {', '.join(COUNTS)}) {_counts_sql(where)}",
                           [True, *params, True, True, True, *params])
            return cursor.rowcount


def course_rebuild(*, course_id: int) -> None:
    """The course's funnel rows and its quizzes' pass-rate buckets again (after a setting they count under changed)."""
    course_learners_rebuild(course_id=course_id)
    quiz_pass_days_rebuild(quiz_ids=list(Quiz.objects.filter(lesson__course_id=course_id).values_list("pk", flat=True)))


def _course_rebuild_after_commit(course_id: int | None) -> None:
    if course_id is not None:
        transaction.on_commit(lambda: course_rebuild(course_id=course_id))


# --- Receivers (connected in progress.apps) ----------------------------------------------------------

def lesson_progress_saved(sender, instance: LessonProgress, **kwargs) -> None:
    """post_save / post_delete of LessonProgress."""
    if kwargs.get("raw"):
        return
    course_id = Lesson.objects.filter(pk=instance.lesson_id).values_list("course_id", flat=True).first()
    if course_id is not None:
        course_learner_refresh(user_id=instance.user_id, course_id=course_id, create="created" in kwargs)


def lesson_progress_updated(sender, user_id: int | None = None, lesson_id: int | None = None, course_id: int | None = None, **kwargs) -> None:
    """courses.lesson_progress.lesson_progress_changed: a learner's progress row updated, or a lesson published or hidden."""
    if user_id is None:
        _course_rebuild_after_commit(course_id)
        return
    course_id = Lesson.objects.filter(pk=lesson_id).values_list("course_id", flat=True).first()
    if course_id is not None:
        course_learner_refresh(user_id=user_id, course_id=course_id)


def grade_saved(sender, instance: LearnerQuizGrade, **kwargs) -> None:
    """post_save / post_delete of LearnerQuizGrade: the learner's course row and the quiz's pass-rate
    buckets follow (the row created empty, before its first save, counts nothing yet)."""
    if kwargs.get("raw") or (kwargs.get("created") and not instance.attempts_used):
        return
    quiz = Quiz.objects.filter(pk=instance.quiz_id).values_list("lesson__course_id", "grading_method", "pass_percent").first()
    if quiz is not None:
        course_learner_refresh(user_id=instance.user_id, course_id=quiz[0], create="created" in kwargs)
        pass_days_apply(grade=instance, method=quiz[1], pass_percent=quiz[2], deleted="created" not in kwargs)


SETTINGS = {Quiz: ("is_published", "pass_percent", "grading_method", "lesson_id"), Lesson: ("is_published", "course_id")}


def _course_of(instance) -> int | None:
    if isinstance(instance, Lesson):
        return instance.course_id
    return Lesson.objects.filter(pk=instance.lesson_id).values_list("course_id", flat=True).first()


def settings_before_save(sender, instance, **kwargs) -> None:
    """pre_save of Quiz and Lesson: remember what the funnel's counts depend on."""
    if instance.pk is not None and not kwargs.get("raw"):
        instance._funnel_before = sender.objects.filter(pk=instance.pk).values_list(*SETTINGS[sender]).first()


def settings_saved(sender, instance, created: bool, **kwargs) -> None:
    """post_save of Quiz and Lesson: a changed setting counts the course (old and new) again after the commit."""
    before = getattr(instance, "_funnel_before", None)
    if created or kwargs.get("raw") or before is None:
        return
    if before != tuple(getattr(instance, field) for field in SETTINGS[sender]):
        _course_rebuild_after_commit(_course_of(instance))
        old_course = before[-1] if sender is Lesson else Lesson.objects.filter(pk=before[-1]).values_list("course_id", flat=True).first()
        if old_course != _course_of(instance):
            _course_rebuild_after_commit(old_course)


def settings_deleted(sender, instance, **kwargs) -> None:
    """post_delete of Quiz and Lesson: the course's totals and counts change."""
    _course_rebuild_after_commit(instance.course_id if isinstance(instance, Lesson) else
                                 Lesson.objects.filter(pk=instance.lesson_id).values_list("course_id", flat=True).first())


def funnel_receivers_connect() -> None:
    """Called by progress.apps: the dashboard's rows follow lesson progress, final grades, the settings
    they are counted under, and lab events (progress.lab_summaries)."""
    lesson_progress_changed.connect(lesson_progress_updated, dispatch_uid="progress_funnel_progress_updated")
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(lesson_progress_saved, sender=LessonProgress, dispatch_uid=f"progress_funnel_progress_{name}")
        signal.connect(grade_saved, sender=LearnerQuizGrade, dispatch_uid=f"progress_funnel_grade_{name}")
    pre_save.connect(grade_before_save, sender=LearnerQuizGrade, dispatch_uid="progress_pass_days_before")
    post_save.connect(lab_event_saved, sender=LearningEvent, dispatch_uid="progress_lab_days")
    for model in (Lesson, Quiz):
        pre_save.connect(settings_before_save, sender=model, dispatch_uid=f"progress_funnel_before_{model.__name__}")
        post_save.connect(settings_saved, sender=model, dispatch_uid=f"progress_funnel_saved_{model.__name__}")
        post_delete.connect(settings_deleted, sender=model, dispatch_uid=f"progress_funnel_deleted_{model.__name__}")
