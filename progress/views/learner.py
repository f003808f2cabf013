"""My learning: the learner's own courses, grades and next step."""
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from courses.models import Course

from ..naming import quiz_short_titles
from ..selectors.learner import learning_summary_for_user


@require_GET
@login_required
def my_learning(request: HttpRequest) -> HttpResponse:
    summaries = learning_summary_for_user(user=request.user)
    labels = quiz_short_titles(item.quiz for summary in summaries for item in summary.quizzes)
    return render(request, "progress/my_learning.html", {"summaries": summaries, "labels": labels})


@require_GET
@login_required
def course_progress(request: HttpRequest, course_slug: str) -> HttpResponse:
    """Every lesson and quiz of one course with its state; only for the course's learners."""
    course = get_object_or_404(Course, slug=course_slug)
    summaries = learning_summary_for_user(user=request.user, course=course)
    if not summaries:
        raise Http404("You are not enrolled in this course.")
    summary = summaries[0]
    short = quiz_short_titles(item.quiz for item in summary.quizzes)
    # "Quiz" alone when the quiz is named after its lesson, which the outline already shows.
    labels = {
        item.quiz.pk: "Quiz" if short[item.quiz.pk] == lesson.lesson.title else f"Quiz: {short[item.quiz.pk]}"
        for lesson in summary.lessons
        for item in lesson.quizzes
    }
    return render(request, "progress/course_progress.html", {"summary": summary, "course": course, "labels": labels})
