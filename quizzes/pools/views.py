"""The quiz editor's random slots: add, edit, remove, and the live "N questions match" count.

Every view answers 404 unless the user may author the quiz's course (quizzes.permissions), and a slot
is looked up within its quiz, so another quiz's slot id is a 404 too.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..models import Quiz
from ..permissions import authored_quiz_or_404
from . import services
from .forms import RandomSlotForm
from .models import RandomSlot
from .selectors import course_labels, pool_questions


def _editor_url(quiz: Quiz) -> str:
    return reverse("quiz_authoring:quiz", kwargs={"quiz_id": quiz.pk}) + "#random-slots"


def _slot_page(request: HttpRequest, quiz: Quiz, form: RandomSlotForm, slot: RandomSlot | None, status: int = 200):
    context = {"quiz": quiz, "lesson": quiz.lesson, "course": quiz.lesson.course, "form": form, "slot": slot,
               "labels": course_labels(quiz=quiz)}
    return render(request, "quizzes/authoring/random_slot.html", context, status=status)


def _saved_or_form(request: HttpRequest, quiz: Quiz, slot: RandomSlot | None) -> HttpResponse:
    """GET: the form. POST: add (slot None) or change the slot, then back to the editor; or the form again,
    with what was typed and why it was refused."""
    # a POST with no fields at all is still a post: bound, so it is refused field by field (not a 500)
    form = RandomSlotForm(request.POST if request.method == "POST" else None, quiz=quiz, slot=slot)
    if request.method != "POST":
        return _slot_page(request, quiz, form, slot)
    try:
        if slot is None:
            saved = services.random_slot_create(quiz=quiz, data=form.slot_input())
            messages.success(request, f"Added a random slot: {saved}.")
        else:
            services.random_slot_update(slot=slot, data=form.slot_input())
            messages.success(request, f"Saved the random slot: {slot}. Attempts already started keep their questions.")
    except ValidationError as error:
        form.is_valid()  # binds cleaned_data, which add_error expects
        form.add_error(None, error)
        return _slot_page(request, quiz, form, slot, status=400)
    return redirect(_editor_url(quiz))


@require_http_methods(["GET", "POST"])
def random_slot_create(request: HttpRequest, quiz_id: int) -> HttpResponse:
    return _saved_or_form(request, authored_quiz_or_404(request.user, quiz_id), None)


@require_http_methods(["GET", "POST"])
def random_slot_edit(request: HttpRequest, quiz_id: int, slot_id: int) -> HttpResponse:
    quiz = authored_quiz_or_404(request.user, quiz_id)
    slot = get_object_or_404(RandomSlot.objects.select_related("lesson"), pk=slot_id, quiz=quiz)
    return _saved_or_form(request, quiz, slot)


@require_POST
def random_slot_delete(request: HttpRequest, quiz_id: int, slot_id: int) -> HttpResponse:
    quiz = authored_quiz_or_404(request.user, quiz_id)
    slot = get_object_or_404(RandomSlot, pk=slot_id, quiz=quiz)
    services.random_slot_delete(slot=slot)
    messages.success(request, "Removed the random slot. Attempts that drew from it keep their questions.")
    return redirect(_editor_url(quiz))


@require_GET
def random_slot_count(request: HttpRequest, quiz_id: int) -> HttpResponse:
    """How many questions the filter in the form matches now (the editor asks as the instructor types)."""
    quiz = authored_quiz_or_404(request.user, quiz_id)
    data = RandomSlotForm(request.GET, quiz=quiz).slot_input()
    try:
        lesson = services.slot_lesson(quiz=quiz, value=data.lesson_id)
        count = pool_questions(quiz=quiz, lesson=lesson, category=str(data.category)[:255], tag=str(data.tag)[:50]).count()
    except ValidationError:
        count = 0
    want = str(data.draw_count).strip()
    want = int(want) if want.isascii() and want.isdigit() and len(want) <= 3 else None
    return render(request, "quizzes/authoring/partials/pool_count.html", {"count": count, "short": want is not None and count < want, "want": want})
