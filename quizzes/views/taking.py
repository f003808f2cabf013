"""What learners see: a quiz's page, the attempt (autosaved answer by answer), the submit check, the review."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from courses.markdown import render_markdown_preview

from ..pools.selectors import draws_per_attempt
from .. import selectors
from ..grade_visibility import marks_visible
from ..models import Attempt, AttemptState, Quiz
from ..overrides.effective import quiz_settings_for
from ..permissions import can_author_quiz, can_see_quiz, can_take_quiz, can_view_attempt
from ..services import attempts as attempt_services
from ..page_data import attempt_items
from ..services import grading


def _quiz_or_404(request: HttpRequest, quiz_id: int) -> Quiz:
    quiz = get_object_or_404(Quiz.objects.select_related("lesson__course"), pk=quiz_id)
    if not can_see_quiz(request.user, quiz):
        raise Http404("No such quiz.")
    return quiz


def _attempt_or_404(request: HttpRequest, attempt_id: int, *, submit_overdue: bool = True) -> Attempt:
    """Someone else's attempt is not acknowledged (404), so attempt ids cannot be probed.

    An attempt past its deadline is submitted here (with what was saved) unless the caller
    lets the service do it, as the autosave does to tell the student why the answer was refused.
    """
    attempt = get_object_or_404(Attempt.objects.select_related("quiz__lesson__course", "user"), pk=attempt_id)
    if not can_view_attempt(request.user, attempt):
        raise Http404("No such attempt.")
    return attempt_services.attempt_submit_if_overdue(attempt=attempt) if submit_overdue else attempt


def _with_marks_shown(attempts, quiz: Quiz, user) -> list:
    """The attempts, each with `marks_shown`: whether the review options let `user` read its marks."""
    attempts = list(attempts)
    for attempt in attempts:
        attempt.marks_shown = marks_visible(quiz=quiz, attempt=attempt, user=user)
    return attempts


@require_GET
@login_required
def quiz_detail(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = _quiz_or_404(request, quiz_id)
    open_attempt = selectors.open_attempt_for_user(quiz=quiz, user=request.user)
    if open_attempt is not None:
        attempt_services.attempt_submit_if_overdue(attempt=open_attempt)
    context = {
        "quiz": quiz,
        "lesson": quiz.lesson,
        "course": quiz.lesson.course,
        "intro_html": render_markdown_preview(quiz.intro_markdown) if quiz.intro_markdown else "",
        "grade": selectors.final_grade_for_user(quiz=quiz, user=request.user),
        "attempts": _with_marks_shown(selectors.attempts_for_user(quiz=quiz, user=request.user), quiz, request.user),
        "open_attempt": selectors.open_attempt_for_user(quiz=quiz, user=request.user),
        "question_count": quiz.questions.filter(is_deleted=False).count() + draws_per_attempt(quiz=quiz),
        "can_take": can_take_quiz(request.user, quiz),
        "can_author": can_author_quiz(request.user, quiz),
        "is_open": attempt_services.quiz_is_open(quiz=quiz, user=request.user),
        "settings": quiz_settings_for(quiz=quiz, user=request.user),  # overrides counted
    }
    return render(request, "quizzes/quiz_detail.html", context)


@require_POST
@login_required
def attempt_start(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = _quiz_or_404(request, quiz_id)
    try:
        attempt = attempt_services.attempt_start(quiz=quiz, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(quiz)
    return redirect(attempt)


@require_GET
@login_required
def attempt_page(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt_or_404(request, attempt_id)
    if attempt.state != AttemptState.IN_PROGRESS:
        return redirect("quizzes:attempt_review", attempt_id=attempt.pk)
    if attempt.user_id != request.user.pk:
        raise Http404("No such attempt.")  # authors look at attempts once they are submitted
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "lesson": attempt.quiz.lesson,
        "items": attempt_items(attempt=attempt, reveal=set()),
    }
    return render(request, "quizzes/attempt.html", context)


@require_POST
@login_required
def answer_save(request: HttpRequest, attempt_id: int, question_id: int) -> HttpResponse:
    """Autosave one question (htmx); answers with the 'Saved at …' label, or why it was refused."""
    attempt = _attempt_or_404(request, attempt_id, submit_overdue=False)
    if attempt.user_id != request.user.pk:
        raise Http404("No such attempt.")
    try:
        response = grading.response_from_form(attempt=attempt, question_id=question_id, data=request.POST)
        answer = attempt_services.answer_save(attempt=attempt, question_id=question_id, response=response,
                                              unsure=grading.unsure_from_form(question_id=question_id, data=request.POST))
    except ValidationError as error:
        if error.code in {"submitted", "deadline_passed"}:
            messages.warning(request, error.messages[0])
            reply = HttpResponse(error.messages[0], status=409)
            reply["HX-Redirect"] = attempt.get_absolute_url()
            return reply
        return HttpResponse(error.messages[0], status=400)
    saved_at = timezone.localtime(answer.saved_at)
    return render(request, "quizzes/partials/save_status.html", {"saved_at": saved_at})


@require_POST
@login_required
def attempt_finish(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """The attempt form without JavaScript: save every answer, then go to the submit check."""
    attempt = _attempt_or_404(request, attempt_id)
    if attempt.user_id != request.user.pk:
        raise Http404("No such attempt.")
    try:
        for question_id, _ in attempt.layout:
            if grading.form_has_question(question_id=question_id, data=request.POST):
                response = grading.response_from_form(attempt=attempt, question_id=question_id, data=request.POST)
                attempt_services.answer_save(attempt=attempt, question_id=question_id, response=response,
                                             unsure=grading.unsure_from_form(question_id=question_id, data=request.POST))
    except ValidationError as error:
        messages.warning(request, error.messages[0])
        return redirect(attempt)
    return redirect("quizzes:attempt_confirm", attempt_id=attempt.pk)


@require_GET
@login_required
def attempt_confirm(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt_or_404(request, attempt_id)
    if attempt.state != AttemptState.IN_PROGRESS:
        return redirect("quizzes:attempt_review", attempt_id=attempt.pk)
    if attempt.user_id != request.user.pk:
        raise Http404("No such attempt.")
    items = attempt_items(attempt=attempt, reveal=set())
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "items": items,
        "unanswered": [item for item in items if not item.answered],
    }
    return render(request, "quizzes/attempt_confirm.html", context)


@require_POST
@login_required
def attempt_submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt_or_404(request, attempt_id)
    if attempt.user_id != request.user.pk:
        raise Http404("No such attempt.")
    attempt_services.attempt_submit(attempt=attempt)  # a second submit finds it submitted and does nothing
    return redirect("quizzes:attempt_review", attempt_id=attempt.pk)


@require_GET
@login_required
def attempt_review(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt_or_404(request, attempt_id)
    if attempt.state != AttemptState.SUBMITTED:
        return redirect(attempt)
    reveal = selectors.review_visibility(attempt=attempt, user=request.user)
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "lesson": attempt.quiz.lesson,
        "reveal": reveal,
        "items": attempt_items(attempt=attempt, reveal=reveal),
        "grade": selectors.final_grade_for_user(quiz=attempt.quiz, user=attempt.user, viewer=request.user),
        "is_owner": attempt.user_id == request.user.pk,
    }
    return render(request, "quizzes/attempt_review.html", context)
