"""Who may see or change what in a course. Views, the API and templates all ask these functions."""
from django.contrib.auth.models import AnonymousUser, User

from accounts.roles import is_instructor

from .models import Course, Enrollment, Lesson


def can_author_course(user: User | AnonymousUser, course: Course) -> bool:
    """Staff, or a member of the Instructors group listed on this course."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return is_instructor(user) and course.instructors.filter(pk=user.pk).exists()


def can_see_course(user: User | AnonymousUser, course: Course) -> bool:
    return course.is_published or can_author_course(user, course)


def is_enrolled(user: User | AnonymousUser, course: Course) -> bool:
    return user.is_authenticated and Enrollment.objects.filter(user=user, course=course).exists()


def can_read_lesson(user: User | AnonymousUser, lesson: Lesson) -> bool:
    """Enrolled learners read published lessons of published courses; authors read everything, drafts included."""
    if can_author_course(user, lesson.course):
        return True
    return lesson.is_published and lesson.course.is_published and is_enrolled(user, lesson.course)
