"""Instructor pages for a quiz's overrides: the list with the add form and the audit trail, edit, delete.

Like every quiz authoring page, anyone who cannot author the quiz's course gets 404. htmx swaps the
page's one region (#overrides-region); without JavaScript the forms post and redirect.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ..permissions import authored_quiz_or_404
from . import selectors, services
from .effective import quiz_defaults, quiz_settings_for_users
from .forms import OverrideForm
from .models import QuizOverride


def _add_form(quiz, data=None) -> OverrideForm:
    return OverrideForm(data, quiz=quiz, learners=selectors.learners_for_overrides(quiz=quiz),
                        groups=selectors.groups_for_overrides(quiz=quiz), prefix="new")


def _region(request: HttpRequest, quiz, form: OverrideForm, status: int = 200) -> HttpResponse:
    overrides = selectors.overrides_for_quiz(quiz=quiz)
    effective = quiz_settings_for_users(quiz=quiz, user_ids=[o.user_id for o in overrides if o.user_id])
    context = {
        "quiz": quiz, "lesson": quiz.lesson, "course": quiz.lesson.course, "form": form,
        "rows": [(override, effective.get(override.user_id)) for override in overrides],
        "quiz_settings": quiz_defaults(quiz), "audit": selectors.audit_for_quiz(quiz=quiz),
        "groups": selectors.groups_for_overrides(quiz=quiz).annotate(member_count=Count("members")),
    }
    template = "quizzes/overrides/partials/region.html" if request.htmx else "quizzes/overrides/overrides.html"
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def overrides_page(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = authored_quiz_or_404(request.user, quiz_id)
    if request.method == "GET":
        return _region(request, quiz, _add_form(quiz))
    form = _add_form(quiz, request.POST)
    if form.is_valid():
        try:
            override = services.override_create(quiz=quiz, actor=request.user, user=form.cleaned_data.get("user"),
                                                group=form.cleaned_data.get("group"), **form.setting_values)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Override added for {override.subject_label}.")
            if not request.htmx:
                return redirect("quiz_authoring:overrides", quiz_id=quiz.pk)
            return _region(request, quiz, _add_form(quiz))
    return _region(request, quiz, form, status=400 if request.htmx else 200)


def _override_or_404(quiz, override_id: int) -> QuizOverride:
    # Scoped to the quiz: another quiz's override id is a 404 here, even for its own authors.
    return get_object_or_404(QuizOverride.objects.select_related("user", "group", "quiz"), pk=override_id, quiz=quiz)


@require_http_methods(["GET", "POST"])
def override_edit(request: HttpRequest, quiz_id: int, override_id: int) -> HttpResponse:
    quiz = authored_quiz_or_404(request.user, quiz_id)
    override = _override_or_404(quiz, override_id)
    initial = {name: getattr(override, name) for name in ("time_limit_minutes", "attempts_allowed", "opens_at", "closes_at", "reason")}
    form = OverrideForm(request.POST or None, initial=initial, quiz=quiz, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.override_update(override=override, actor=request.user, **form.setting_values)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"Override for {override.subject_label} saved.")
            return redirect("quiz_authoring:overrides", quiz_id=quiz.pk)
    context = {"quiz": quiz, "lesson": quiz.lesson, "course": quiz.lesson.course, "form": form, "override": override}
    return render(request, "quizzes/overrides/override_edit.html", context)


@require_POST
def override_delete(request: HttpRequest, quiz_id: int, override_id: int) -> HttpResponse:
    quiz = authored_quiz_or_404(request.user, quiz_id)
    override = _override_or_404(quiz, override_id)
    services.override_delete(override=override, actor=request.user)
    messages.success(request, f"Override for {override.subject_label} deleted.")
    if request.htmx:
        return _region(request, quiz, _add_form(quiz))
    return redirect("quiz_authoring:overrides", quiz_id=quiz.pk)
