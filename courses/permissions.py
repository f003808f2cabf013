"""Who may see or change what in a course: one rule per object, asked by pages, the API and the catalogue.

Each rule exists twice, as a check on one object (`can_see_course`) and as the queryset of all objects
it lets through (`courses_visible_to`); both are built from `courses_authored_by`, so a demoted
instructor (still listed on a course, no longer in the Instructors group) loses drafts everywhere at once.
"""
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.roles import is_instructor

from .models import Course, Enrollment, Lesson


def courses_authored_by(user: User | AnonymousUser) -> QuerySet[Course]:
    """Staff author every course; an instructor (in the group) the courses that list them; others none."""
    if not user.is_authenticated:
        return Course.objects.none()
    if user.is_staff:
        return Course.objects.all()
    if not is_instructor(user):
        return Course.objects.none()
    return Course.objects.filter(instructors=user)


def can_author_course(user: User | AnonymousUser, course: Course) -> bool:
    """Staff, or a member of the Instructors group listed on this course."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return is_instructor(user) and course.instructors.filter(pk=user.pk).exists()


def authored_course_or_404(user: User | AnonymousUser, course_slug: str) -> Course:
    """The one owner check of instructor pages: a course the user cannot author is not even acknowledged."""
    course = get_object_or_404(Course, slug=course_slug)
    if not can_author_course(user, course):
        raise Http404("No such course.")
    return course


def courses_visible_to(user: User | AnonymousUser) -> QuerySet[Course]:
    """Published courses, and drafts for their authors."""
    if user.is_authenticated and user.is_staff:
        return Course.objects.all()
    return Course.objects.filter(Q(is_published=True) | Q(pk__in=courses_authored_by(user).values("pk")))


def can_see_course(user: User | AnonymousUser, course: Course) -> bool:
    return course.is_published or can_author_course(user, course)


def lessons_visible_to(user: User | AnonymousUser) -> QuerySet[Lesson]:
    """Lessons listed to the user: published lessons of visible courses, and every lesson of authored courses.
    (Reading a lesson's body needs more: can_read_lesson.)"""
    authored = courses_authored_by(user).values("pk")
    return Lesson.objects.filter(
        Q(is_published=True, course__in=courses_visible_to(user).values("pk")) | Q(course__in=authored)
    )


def can_see_lesson(user: User | AnonymousUser, lesson: Lesson) -> bool:
    if can_author_course(user, lesson.course):
        return True
    return lesson.is_published and lesson.course.is_published


def is_enrolled(user: User | AnonymousUser, course: Course) -> bool:
    return user.is_authenticated and Enrollment.objects.filter(user=user, course=course).exists()


def can_read_lesson(user: User | AnonymousUser, lesson: Lesson) -> bool:
    """Enrolled learners read published lessons of published courses, and so does anyone (no account needed)
    where the course has open_lessons; authors read everything, drafts included."""
    if can_author_course(user, lesson.course):
        return True
    if not (lesson.is_published and lesson.course.is_published):
        return False
    return lesson.course.open_lessons or is_enrolled(user, lesson.course)


def can_study_lesson(user: User | AnonymousUser, lesson: Lesson) -> bool:
    """Progress (views, completion, the reading position) is kept for enrolled learners and authors only:
    a visitor reading an open lesson leaves no trace."""
    if can_author_course(user, lesson.course):
        return True
    return lesson.is_published and lesson.course.is_published and is_enrolled(user, lesson.course)
