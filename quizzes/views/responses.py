"""The responses report of each question, for the quiz's authors (404 for anyone else): what learners
answered, grouped, and one click to accept a typed response, which leads to the regrade dry run."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ..models import Question
from ..selectors_responses import question_responses
from ..services import accept_response
from .authoring import authored_quiz_or_404


def _questions(quiz):
    return list(Question.objects.filter(quiz=quiz, is_deleted=False).order_by("position"))


@require_GET
def responses_first(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = authored_quiz_or_404(request, quiz_id)
    questions = _questions(quiz)
    if not questions:
        messages.info(request, "This quiz has no questions yet.")
        return redirect("quiz_authoring:quiz", quiz_id=quiz.pk)
    return redirect("quiz_authoring:responses", quiz_id=quiz.pk, question_id=questions[0].pk)


@require_GET
def responses(request: HttpRequest, quiz_id: int, question_id: int) -> HttpResponse:
    quiz = authored_quiz_or_404(request, quiz_id)
    question = get_object_or_404(Question, pk=question_id, quiz=quiz, is_deleted=False)
    context = {"quiz": quiz, "lesson": quiz.lesson, "course": quiz.lesson.course, "questions": _questions(quiz),
               "report": question_responses(question=question)}
    return render(request, "quizzes/authoring/responses.html", context)


@require_POST
def accept(request: HttpRequest, quiz_id: int, question_id: int) -> HttpResponse:
    """Add the response to the accepted answers, then show whose marks a regrade would change."""
    quiz = authored_quiz_or_404(request, quiz_id)
    question = get_object_or_404(Question, pk=question_id, quiz=quiz, is_deleted=False)
    typed = request.POST.get("response", "")
    try:
        accept_response.response_accept(question=question, typed=typed, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("quiz_authoring:responses", quiz_id=quiz.pk, question_id=question.pk)
    messages.success(request, f"“{typed.strip()}” is now an accepted answer. Here is what a regrade would change.")
    return redirect(reverse("quiz_authoring:regrade", kwargs={"quiz_id": quiz.pk}) + "?dry_run=1#dry-run")
