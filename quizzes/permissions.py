"""Who may author, take and look at quizzes and attempts. Views, the API and templates ask these functions."""
from django.contrib.auth.models import AnonymousUser, User

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from courses.models import Enrollment
from courses.permissions import can_author_course, courses_authored_by, is_enrolled

from .models import Attempt, Quiz


def quizzes_visible_to(user: User | AnonymousUser) -> QuerySet[Quiz]:
    """The queryset twin of can_see_quiz: what the API lists and the pages may link to."""
    if not user.is_authenticated:
        return Quiz.objects.none()
    enrolled = Enrollment.objects.filter(user=user).values("course")
    return Quiz.objects.filter(
        Q(is_published=True, lesson__is_published=True, lesson__course__is_published=True, lesson__course__in=enrolled)
        | Q(lesson__course__in=courses_authored_by(user).values("pk"))
    )


def can_author_quiz(user: User | AnonymousUser, quiz: Quiz) -> bool:
    """Staff, or a member of the Instructors group listed on the quiz's course."""
    return can_author_course(user, quiz.lesson.course)


def authored_quiz_or_404(user: User | AnonymousUser, quiz_id: int) -> Quiz:
    """The one owner check of quiz authoring and report pages: not even acknowledged (404, not 403)."""
    quiz = get_object_or_404(Quiz.objects.select_related("lesson__course"), pk=quiz_id)
    if not can_author_quiz(user, quiz):
        raise Http404("No such quiz.")
    return quiz


def can_see_quiz(user: User | AnonymousUser, quiz: Quiz) -> bool:
    """Learners see published quizzes of published lessons in courses they are enrolled in; authors see all."""
    return can_take_quiz(user, quiz) or can_author_quiz(user, quiz)


def can_take_quiz(user: User | AnonymousUser, quiz: Quiz) -> bool:
    """Enrolled in the course, and the quiz, its lesson and its course are published.

    Open and close dates are not checked here: a learner may still look at a closed quiz and review
    their attempts; attempt_start refuses to start one outside the dates with a clear message.
    """
    lesson = quiz.lesson
    return (
        quiz.is_published
        and lesson.is_published
        and lesson.course.is_published
        and is_enrolled(user, lesson.course)
    )


def can_view_attempt(user: User | AnonymousUser, attempt: Attempt) -> bool:
    """The attempt's owner, or an author of its quiz."""
    if not user.is_authenticated:
        return False
    return attempt.user_id == user.pk or can_author_quiz(user, attempt.quiz)
