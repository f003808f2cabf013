"""Check one question during an attempt (immediate and interactive behaviours): by htmx, which swaps just
that question, or as a plain form post without JavaScript, which saves the page's answers and comes back."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..models import Attempt
from ..page_data import attempt_items
from ..services import attempts as attempt_services
from ..services import grading
from ..services.checks import answer_check
from .taking import _attempt_or_404

# Refusals after which the attempt page is the only sensible place to be.
_GONE = {"submitted", "deadline_passed"}


@require_POST
@login_required
def answer_check_view(request: HttpRequest, attempt_id: int, question_id: int) -> HttpResponse:
    attempt = _attempt_or_404(request, attempt_id, submit_overdue=False)
    if attempt.user_id != request.user.pk or question_id not in {q for q, _ in attempt.layout}:
        raise Http404("No such question in this attempt.")
    error = None
    try:
        if not request.htmx:
            _save_other_questions(attempt, question_id, request.POST)
        response = grading.response_from_form(attempt=attempt, question_id=question_id, data=request.POST)
        unsure = grading.unsure_from_form(question_id=question_id, data=request.POST)
        if unsure is not None:  # ticked just before Check, before its autosave went: keep it with the answer
            attempt_services.answer_unsure_set(attempt=attempt, question_id=question_id, unsure=unsure)
        answer_check(attempt=attempt, question_id=question_id, response=response)
    except ValidationError as refused:
        if refused.code in _GONE or not request.htmx:
            messages.warning(request, refused.messages[0])
        if refused.code in _GONE:
            if request.htmx:
                reply = HttpResponse(refused.messages[0], status=409)
                reply["HX-Redirect"] = attempt.get_absolute_url()
                return reply
            return redirect(attempt)
        error = refused.messages[0]
    if not request.htmx:
        return redirect(f"{attempt.get_absolute_url()}#{_anchor(attempt, question_id)}")
    [item] = attempt_items(attempt=attempt, reveal=set(), only_question=question_id)
    return render(request, "quizzes/partials/attempt_question.html", {"item": item, "check_error": error})


def _save_other_questions(attempt: Attempt, question_id: int, data) -> None:
    """Without JavaScript nothing was autosaved: keep what the page holds for the other open questions."""
    for other_id, _ in attempt.layout:
        if other_id != question_id and grading.form_has_question(question_id=other_id, data=data):
            response = grading.response_from_form(attempt=attempt, question_id=other_id, data=data)
            try:
                attempt_services.answer_save(attempt=attempt, question_id=other_id, response=response,
                                             unsure=grading.unsure_from_form(question_id=other_id, data=data))
            except ValidationError as refused:
                if refused.code != "finished":  # a finished question's inputs are read-only: nothing to keep
                    raise


def _anchor(attempt: Attempt, question_id: int) -> str:
    number = next(n for n, (q, _) in enumerate(attempt.layout, start=1) if q == question_id)
    return f"question-{number}"
