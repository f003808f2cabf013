"""Write side of the learning record: recording events, and the roles admins hand out.

Recording an event must never slow down or break the page that caused it. `event_record` defers
the insert until the surrounding transaction commits (so a rolled-back action leaves no trace),
writes it in a savepoint of its own, and logs instead of raising when anything goes wrong.
"""
import logging

from django.contrib.auth.models import Group, User
from django.db import transaction

from accounts.roles import INSTRUCTORS_GROUP
from courses.models import Course, Lesson
from courses.services import course_instructor_add, course_instructor_remove

from .models import EventKind, LearningEvent

logger = logging.getLogger(__name__)


def event_record(
    *,
    kind: str,
    user: User,
    course: Course | None = None,
    lesson: Lesson | None = None,
    quiz=None,
    attempt=None,
    score_percent: float | None = None,
    count: int = 1,
) -> None:
    """Append one event after the current transaction commits. Never raises.

    The lab records a use with `event_record(kind=EventKind.LAB_USED, user=request.user)`; only the
    count is kept, never the text that was analysed.
    """
    try:
        if user is None or not user.is_authenticated:
            return
        if course is None and lesson is not None:
            course_id = lesson.course_id
        elif course is None and quiz is not None:
            course_id = quiz.lesson.course_id
        else:
            course_id = course.pk if course is not None else None
        values = {
            "kind": str(kind),
            "user_id": user.pk,
            "course_id": course_id,
            "lesson_id": lesson.pk if lesson is not None else (quiz.lesson_id if quiz is not None else None),
            "quiz_id": quiz.pk if quiz is not None else None,
            "attempt_id": attempt.pk if attempt is not None else None,
            "score_percent": None if score_percent is None else max(0.0, min(100.0, float(score_percent))),
            "count": max(1, int(count)),
        }
        transaction.on_commit(lambda: _event_write(values))
    except Exception:  # a bug here must not cost the learner their page
        logger.exception("Could not queue a learning event of kind %s", kind)


def _event_write(values: dict) -> None:
    try:
        # A savepoint of its own: if the insert fails inside someone's transaction, only it rolls back.
        with transaction.atomic():
            LearningEvent.objects.create(**values)
    except Exception:
        logger.exception("Could not write a learning event %s", values.get("kind"))


def lesson_viewed_record(*, user: User, lesson: Lesson) -> None:
    event_record(kind=EventKind.LESSON_VIEWED, user=user, lesson=lesson)


def lesson_completed_record(*, user: User, lesson: Lesson) -> None:
    event_record(kind=EventKind.LESSON_COMPLETED, user=user, lesson=lesson)


def lab_use_record(*, user: User, count: int = 1) -> None:
    """For the attention lab: one call per analysis run. The text itself is never recorded."""
    event_record(kind=EventKind.LAB_USED, user=user, count=count)


def attempt_saved_record(sender, instance, created: bool, update_fields=None, **kwargs) -> None:
    """post_save of quizzes.Attempt: a new row is a started attempt; a save of `state` to
    submitted is a submission (attempt_submit saves exactly once with that field)."""
    try:
        if kwargs.get("raw"):
            return  # fixtures being loaded are not learning
        if created:
            event_record(kind=EventKind.ATTEMPT_STARTED, user=instance.user, quiz=instance.quiz, attempt=instance)
        elif instance.state == "submitted" and (update_fields is None or "state" in update_fields):
            percent = instance.percent if not instance.needs_grading else None
            event_record(
                kind=EventKind.ATTEMPT_SUBMITTED, user=instance.user, quiz=instance.quiz, attempt=instance,
                score_percent=percent,
            )
    except Exception:
        logger.exception("Could not record an attempt event")


# --- Roles ----------------------------------------------------------------------------------------

def instructor_assign(*, course: Course, user: User) -> None:
    """Make `user` an instructor of `course` (they join the Instructors group)."""
    course_instructor_add(course=course, user=user)


def instructor_unassign(*, course: Course, user: User) -> None:
    """Take `course` from `user`; someone who teaches nothing any more leaves the Instructors group."""
    with transaction.atomic():
        course_instructor_remove(course=course, user=user)
        if not user.taught_courses.exists():
            group = Group.objects.filter(name=INSTRUCTORS_GROUP).first()
            if group is not None:
                user.groups.remove(group)
