"""Who sees which progress page. Pages that are not yours answer 404, like the authoring pages."""
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.roles import INSTRUCTORS_GROUP
from courses.models import Course
from courses.permissions import can_author_course
from quizzes.models import Quiz


def can_see_platform(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_staff


def courses_taught(*, user: User | AnonymousUser) -> QuerySet[Course]:
    """The courses whose reports `user` may read: all for staff, the ones they teach for instructors."""
    if not user.is_authenticated:
        return Course.objects.none()
    if user.is_staff:
        return Course.objects.order_by("title")
    return Course.objects.filter(instructors=user, instructors__groups__name=INSTRUCTORS_GROUP).distinct().order_by("title")


def taught_course_or_404(user: User | AnonymousUser, course_slug: str) -> Course:
    course = get_object_or_404(Course, slug=course_slug)
    if not can_author_course(user, course):
        raise Http404("No such course.")
    return course


def taught_quiz_or_404(user: User | AnonymousUser, quiz_id: int) -> Quiz:
    quiz = get_object_or_404(Quiz.objects.select_related("lesson__course"), pk=quiz_id)
    if not can_author_course(user, quiz.lesson.course):
        raise Http404("No such quiz.")
    return quiz


def platform_or_404(user: User | AnonymousUser) -> None:
    if not can_see_platform(user):
        raise Http404("No such page.")
