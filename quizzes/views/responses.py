"""The responses report of each question, for the quiz's authors (404 for anyone else): what learners
answered, grouped, and one click to accept a typed response, which leads to the regrade dry run."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ..models import Question
from ..pools.selectors import questions_with_drawn, report_question_or_none
from ..selectors_responses import question_responses
from ..services import accept_response
from .authoring import authored_quiz_or_404


def _question_or_404(quiz, question_id: int) -> Question:
    """The quiz's own question or one its random slots drew (quizzes.pools); 404 for any other."""
    question = report_question_or_none(quiz=quiz, question_id=question_id)
    if question is None:
        raise Http404("No such question in this quiz.")
    return question


@require_GET
def responses_first(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = authored_quiz_or_404(request, quiz_id)
    questions = questions_with_drawn(quiz=quiz)
    if not questions:
        messages.info(request, "This quiz has no questions yet.")
        return redirect("quiz_authoring:quiz", quiz_id=quiz.pk)
    return redirect("quiz_authoring:responses", quiz_id=quiz.pk, question_id=questions[0].pk)


@require_GET
def responses(request: HttpRequest, quiz_id: int, question_id: int) -> HttpResponse:
    quiz = authored_quiz_or_404(request, quiz_id)
    question = _question_or_404(quiz, question_id)
    context = {"quiz": quiz, "lesson": quiz.lesson, "course": quiz.lesson.course, "questions": questions_with_drawn(quiz=quiz),
               "report": question_responses(question=question, quiz=quiz)}
    return render(request, "quizzes/authoring/responses.html", context)


@require_POST
def accept(request: HttpRequest, quiz_id: int, question_id: int) -> HttpResponse:
    """Add the response to the accepted answers, then show whose marks a regrade would change."""
    quiz = authored_quiz_or_404(request, quiz_id)
    question = _question_or_404(quiz, question_id)
    typed = request.POST.get("response", "")
    try:
        accept_response.response_accept(question=question, typed=typed, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("quiz_authoring:responses", quiz_id=quiz.pk, question_id=question.pk)
    messages.success(request, f"“{typed.strip()}” is now an accepted answer. Here is what a regrade would change.")
    return redirect(reverse("quiz_authoring:regrade", kwargs={"quiz_id": quiz.pk}) + "?dry_run=1#dry-run")
