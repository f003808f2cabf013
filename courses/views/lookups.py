"""Fetch the course or lesson named in the URL, or 404 when the user may not know it exists."""
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .. import permissions
from ..models import Course, Lesson
from ..permissions import can_see_course


def visible_course_or_404(request: HttpRequest, course_slug: str) -> Course:
    course = get_object_or_404(Course, slug=course_slug)
    if not can_see_course(request.user, course):
        raise Http404("No such course.")
    return course


def authored_course_or_404(request: HttpRequest, course_slug: str) -> Course:
    """Authoring pages are not even acknowledged to people who cannot author the course."""
    return permissions.authored_course_or_404(request.user, course_slug)


def lesson_in_course_or_404(course: Course, lesson_slug: str) -> Lesson:
    return get_object_or_404(Lesson.objects.select_related("course"), course=course, slug=lesson_slug)
