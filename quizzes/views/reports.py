"""Instructors' quiz reports: regrade (dry run, then apply), the essay grading queue, item statistics.

Like the authoring pages, everything answers 404 to anyone who cannot author the quiz's course.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.csv_writer import csv_response

from ..forms.grading import EssayGradeForm
from ..models import Answer, RegradeRun
from ..selectors_authoring import essays_awaiting_grading
from ..selectors_reports import questions_answered_on_old_versions, quiz_statistics
from ..rendering import render_text
from ..services.attempts import essay_grade as essay_grade_service
from ..services.regrade import quiz_regrade
from .authoring import authored_quiz_or_404

def _base_context(quiz) -> dict:
    return {"quiz": quiz, "lesson": quiz.lesson, "course": quiz.lesson.course}


@require_http_methods(["GET", "POST"])
def regrade(request: HttpRequest, quiz_id: int) -> HttpResponse:
    """GET: past regrades. POST action=dry_run: whose marks would change. POST action=apply: do it."""
    quiz = authored_quiz_or_404(request, quiz_id)
    report = None
    if request.method == "GET" and request.GET.get("dry_run"):
        # Reached from "accept this response": the dry run changes nothing, so a GET may run it.
        report = quiz_regrade(quiz=quiz, user=request.user, dry_run=True)
    if request.method == "POST":
        apply = request.POST.get("action") == "apply"
        report = quiz_regrade(quiz=quiz, user=request.user, dry_run=not apply)
        if apply:
            changed = len(report.changes)
            messages.success(
                request,
                f"Regraded {report.attempts_checked} attempt{'s' if report.attempts_checked != 1 else ''}; "
                f"{changed} changed{'.' if changed else ' (nobody’s marks moved).'}",
            )
            return redirect(reverse("quiz_authoring:regrade", kwargs={"quiz_id": quiz.pk}))
    runs = RegradeRun.objects.filter(quiz=quiz).select_related("run_by")[:20]
    context = {**_base_context(quiz), "report": report, "runs": runs, "outdated": questions_answered_on_old_versions(quiz=quiz)}
    return render(request, "quizzes/authoring/regrade.html", context)


def _essay_cards(quiz, forms: dict | None = None) -> list[dict]:
    cards = []
    for answer in essays_awaiting_grading(quiz=quiz):
        spec = answer.version.spec
        form = (forms or {}).get(answer.pk) or EssayGradeForm(max_mark=answer.version.max_mark, prefix=f"a{answer.pk}")
        cards.append({
            "answer": answer,
            "question_html": render_text(spec.get("text", ""), spec.get("text_format")),
            "grader_info_html": render_text(spec.get("grader_info", ""), "markdown"),
            "title": spec.get("title", ""),
            "response_text": (answer.response or {}).get("text", ""),
            "form": form,
        })
    return cards


@require_GET
def essay_queue(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = authored_quiz_or_404(request, quiz_id)
    return render(request, "quizzes/authoring/essay_queue.html", {**_base_context(quiz), "cards": _essay_cards(quiz)})


@require_POST
def essay_grade(request: HttpRequest, quiz_id: int, answer_id: int) -> HttpResponse:
    quiz = authored_quiz_or_404(request, quiz_id)
    answer = get_object_or_404(Answer.objects.select_related("version", "attempt__user"), pk=answer_id, attempt__quiz=quiz)
    form = EssayGradeForm(request.POST, max_mark=answer.version.max_mark, prefix=f"a{answer.pk}")
    if form.is_valid():
        try:
            essay_grade_service(answer=answer, fraction=form.fraction, comment=form.cleaned_data["comment"], grader=request.user)
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, f"Graded {answer.attempt.user.username}’s answer: {form.cleaned_data['marks']:g} / {answer.version.max_mark:g}.")
            return redirect(reverse("quiz_authoring:essay_queue", kwargs={"quiz_id": quiz.pk}))
    # Keep what the instructor typed, with the problem next to the field.
    context = {**_base_context(quiz), "cards": _essay_cards(quiz, {answer.pk: form})}
    return render(request, "quizzes/authoring/essay_queue.html", context, status=400)


@require_GET
def item_statistics(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = authored_quiz_or_404(request, quiz_id)
    stats = quiz_statistics(quiz=quiz, which=request.GET.get("attempts", "first"))
    return render(request, "quizzes/authoring/statistics.html", {**_base_context(quiz), "stats": stats})


def _number(value: float | None) -> object:
    return "" if value is None else round(value, 2)


@require_GET
def item_statistics_csv(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = authored_quiz_or_404(request, quiz_id)
    stats = quiz_statistics(quiz=quiz, which=request.GET.get("attempts", "first"))
    header = [
        "Number", "Question", "Type", "Max marks", "Responses", "Facility index (%)", "Standard deviation (%)",
        "Discrimination index", "Discriminative efficiency (%)", "Answers given",
    ]
    rows = [
        (
            question.number, question.title, question.qtype_label, question.max_mark, question.responses,
            _number(question.facility), _number(question.standard_deviation), _number(question.discrimination),
            _number(question.discriminative_efficiency),
            "; ".join(f"{c.label}: {c.count} ({c.percent:.0f}%){' [right]' if c.right else ''}" for c in question.choices),
        )
        for question in stats.questions
    ]
    # The one CSV writer (BOM, formula escaping) shared with every other export.
    response = csv_response(filename=f"{quiz.lesson.slug}-{quiz.slug}-statistics-{stats.which}.csv", header=header, rows=rows)
    return response
