"""Every write of a learner's lesson progress (courses.LessonProgress) goes through here.

Progress is written with queryset `update()` where that avoids a race (the first completion time
is kept; a late position report must not move "last viewed"), and `update()` sends no model signal.
So each write here that changes what a learner has done ends with `lesson_progress_changed`; row
inserts and deletes made with the ORM send Django's post_save / post_delete, which the receivers of
this signal (progress.funnel_summaries) also listen to. Other apps follow progress through those
signals only: courses stays unaware of them.
"""
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone

from .models import Lesson, LessonProgress

# Sent with user_id and lesson_id after an update() of a learner's progress on a lesson (same transaction),
# and with course_id alone when a lesson of the course was published or hidden.
lesson_progress_changed = Signal()


def _changed(*, user_id: int, lesson_id: int) -> None:
    lesson_progress_changed.send(sender=LessonProgress, user_id=user_id, lesson_id=lesson_id)


def progress_touch(*, user: User, lesson: Lesson) -> LessonProgress:
    """The learner's progress row for the lesson, created on the first view; `last_viewed_at` moves to now."""
    now = timezone.now()
    try:
        with transaction.atomic():
            progress, created = LessonProgress.objects.get_or_create(user=user, lesson=lesson, defaults={"last_viewed_at": now})
    except IntegrityError:  # a second tab created it between the get and the create
        progress, created = LessonProgress.objects.get(user=user, lesson=lesson), False
    if not created:  # a new row was announced by post_save; a later view changes no figure
        progress.last_viewed_at = now
        LessonProgress.objects.filter(pk=progress.pk).update(last_viewed_at=now)
    return progress


def progress_section_set(*, user: User, lesson: Lesson, section: str) -> LessonProgress:
    """Remember the heading in view without touching `last_viewed_at` (a late beacon must not)."""
    if not LessonProgress.objects.filter(user=user, lesson=lesson).update(last_section=section):
        progress = progress_touch(user=user, lesson=lesson)
        LessonProgress.objects.filter(pk=progress.pk).update(last_section=section)
    return LessonProgress.objects.get(user=user, lesson=lesson)


def progress_complete(*, user: User, lesson: Lesson) -> LessonProgress:
    """Mark complete; the first completion time is kept when marked again."""
    progress = progress_touch(user=user, lesson=lesson)
    if progress.completed_at is None:
        progress.completed_at = timezone.now()
        if LessonProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(completed_at=progress.completed_at):
            _changed(user_id=user.pk, lesson_id=lesson.pk)
    return progress


def progress_uncomplete(*, user: User, lesson: Lesson) -> None:
    if LessonProgress.objects.filter(user=user, lesson=lesson, completed_at__isnull=False).update(completed_at=None):
        _changed(user_id=user.pk, lesson_id=lesson.pk)


def progress_set(*, user: User, lesson: Lesson, first_viewed_at, last_viewed_at, completed_at) -> LessonProgress:
    """Write a whole progress row as given (demo data, imports of past activity)."""
    progress, _ = LessonProgress.objects.update_or_create(
        user=user, lesson=lesson, defaults={"last_viewed_at": last_viewed_at, "completed_at": completed_at}
    )
    # first_viewed_at is auto_now_add: only an update() can set it to a past moment (no figure follows it).
    LessonProgress.objects.filter(pk=progress.pk).update(first_viewed_at=first_viewed_at)
    progress.first_viewed_at = first_viewed_at
    return progress


def lesson_published_set(*, lesson: Lesson, is_published: bool) -> None:
    """Publish or hide a lesson: which lessons count for "completed all lessons" changes for the course."""
    Lesson.objects.filter(pk=lesson.pk).update(is_published=is_published)
    lesson.is_published = is_published
    lesson_progress_changed.send(sender=Lesson, course_id=lesson.course_id)
