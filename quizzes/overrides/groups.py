"""Learner groups of a course, managed by its instructors from a quiz's Overrides tab (Moodle's course
groups, as far as group overrides need them): add, rename, change members, delete.

A membership change moves the deadline of the attempts in progress of everyone who joined or left a
group with an override, like an override change does.
"""
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ..domain.control_characters import text_without_control_characters
from ..permissions import authored_quiz_or_404
from . import selectors
from .api import MAX_ID
from .models import LearnerGroup
from .services import move_open_deadlines_of_group, override_delete


class MembersField(forms.ModelMultipleChoiceField):
    """A posted id past the database's integers is an invalid choice, as on PostgreSQL; SQLite raised an
    OverflowError (a 500) that Django's own check does not catch."""

    def _check_values(self, value):
        for pk in value or []:
            text = str(pk).strip()
            if text.isdigit() and int(text) > MAX_ID:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text})
        return super()._check_values(value)


class GroupForm(forms.ModelForm):
    class Meta:
        model = LearnerGroup
        fields = ["name", "members"]
        labels = {"name": "Group name", "members": "Members"}
        widgets = {"members": forms.CheckboxSelectMultiple}
        field_classes = {"members": MembersField}

    def __init__(self, *args, quiz, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.course_id = quiz.lesson.course_id
        self.fields["members"].queryset = selectors.learners_for_overrides(quiz=quiz)  # enrolled learners only
        self.fields["members"].required = False

    def clean_name(self) -> str:
        name = text_without_control_characters(self.cleaned_data["name"]).strip()
        if not name:
            raise ValidationError("Give the group a name.", code="required")
        return name


def group_save(*, form: GroupForm) -> LearnerGroup:
    """Create or change a group; a name the course already uses is refused (also when two saves race)."""
    before = set(form.instance.members.values_list("pk", flat=True)) if form.instance.pk else set()
    try:
        with transaction.atomic():
            group = form.save(commit=False)
            group.course_id = form.course_id
            group.save()
            form.save_m2m()
            after = set(group.members.values_list("pk", flat=True))
            move_open_deadlines_of_group(group=group, user_ids=before ^ after)
    except IntegrityError:
        raise ValidationError({"name": ValidationError("This course already has a group with that name.", code="duplicate")}) from None
    return group


def _page(request: HttpRequest, quiz, form: GroupForm, group: LearnerGroup | None) -> HttpResponse:
    context = {"quiz": quiz, "lesson": quiz.lesson, "course": quiz.lesson.course, "form": form, "group": group}
    return render(request, "quizzes/overrides/group_edit.html", context)


@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, quiz_id: int, group_id: int | None = None) -> HttpResponse:
    quiz = authored_quiz_or_404(request.user, quiz_id)
    group = get_object_or_404(LearnerGroup, pk=group_id, course_id=quiz.lesson.course_id) if group_id else None
    form = GroupForm(request.POST or None, instance=group, quiz=quiz)
    if request.method == "POST" and form.is_valid():
        try:
            saved = group_save(form=form)
        except ValidationError as error:
            form.add_error("name", error.error_dict["name"])
        else:
            messages.success(request, f"Group “{saved.name}” saved.")
            return redirect("quiz_authoring:overrides", quiz_id=quiz.pk)
    return _page(request, quiz, form, group)


@require_POST
def group_delete(request: HttpRequest, quiz_id: int, group_id: int) -> HttpResponse:
    """Deleting a group deletes its overrides too (they were for its members); the audit trail keeps them."""
    quiz = authored_quiz_or_404(request.user, quiz_id)
    group = get_object_or_404(LearnerGroup, pk=group_id, course_id=quiz.lesson.course_id)
    with transaction.atomic():
        for override in group.overrides.select_related("quiz", "group"):
            override_delete(override=override, actor=request.user)
        group.delete()
    messages.success(request, f"Group “{group.name}” deleted.")
    return redirect("quiz_authoring:overrides", quiz_id=quiz.pk)
