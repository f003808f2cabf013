"""Reads for the overrides pages and the gradebook: whom an override may be for, the overrides, the audit trail."""
from django.contrib.auth.models import User
from django.db.models import QuerySet

from .models import LearnerGroup, OverrideAuditEntry, QuizOverride


def learners_for_overrides(*, quiz) -> QuerySet[User]:
    """Whom an override may be for: the learners enrolled in the quiz's course."""
    return User.objects.filter(enrollments__course_id=quiz.lesson.course_id).order_by("username").distinct()


def groups_for_overrides(*, quiz) -> QuerySet[LearnerGroup]:
    return LearnerGroup.objects.filter(course_id=quiz.lesson.course_id)


def overrides_for_quiz(*, quiz) -> list[QuizOverride]:
    return list(QuizOverride.objects.filter(quiz=quiz).select_related("user", "group", "created_by"))


def audit_for_quiz(*, quiz, limit: int = 50) -> list[OverrideAuditEntry]:
    return list(OverrideAuditEntry.objects.filter(quiz=quiz).select_related("actor")[:limit])


def learners_with_overrides(*, course) -> set[int]:
    """Ids of the learners an override of one of `course`'s quizzes touches, directly or through a group:
    the gradebook's marker. One query."""
    rows = QuizOverride.objects.filter(quiz__lesson__course=course).values_list("user_id", "group__members")
    return {user_id or member_id for user_id, member_id in rows if user_id or member_id}
