"""Who sees which progress page. Pages that are not yours answer 404, like the authoring pages."""
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.http import Http404

from courses.models import Course
from courses.permissions import authored_course_or_404, courses_authored_by
from quizzes.permissions import authored_quiz_or_404


def can_see_platform(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_staff


def courses_taught(*, user: User | AnonymousUser) -> QuerySet[Course]:
    """The courses whose reports `user` may read: all for staff, the ones they teach for instructors."""
    return courses_authored_by(user).order_by("title")


# Reports answer to the same owner check as the authoring pages (one rule each, in courses and quizzes).
taught_course_or_404 = authored_course_or_404
taught_quiz_or_404 = authored_quiz_or_404


def platform_or_404(user: User | AnonymousUser) -> None:
    if not can_see_platform(user):
        raise Http404("No such page.")
