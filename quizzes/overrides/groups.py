"""Learner groups of a course, managed by its instructors from a quiz's Overrides tab (Moodle's course
groups, as far as group overrides need them): add, rename, change members, delete. The writes
(and their audit entries) live in group_services, shared with the API.
"""
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ..permissions import authored_quiz_or_404
from . import group_services, selectors
from .api import MAX_ID
from .models import LearnerGroup


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
        self.fields["members"].queryset = selectors.learners_for_overrides(quiz=quiz)  # enrolled learners only
        self.fields["members"].required = False

    def clean_name(self) -> str:
        try:
            return group_services.clean_group_name(self.cleaned_data["name"])
        except ValidationError as error:
            raise error.error_dict["name"][0] from None


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
            saved = group_services.group_save(course_id=quiz.lesson.course_id, actor=request.user, group=group,
                                              name=form.cleaned_data["name"], member_ids=[m.pk for m in form.cleaned_data["members"]])
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                form.add_error(field, errors)
        else:
            messages.success(request, f"Group “{saved.name}” saved.")
            return redirect("quiz_authoring:overrides", quiz_id=quiz.pk)
    return _page(request, quiz, form, group)


@require_POST
def group_delete(request: HttpRequest, quiz_id: int, group_id: int) -> HttpResponse:
    """Deleting a group deletes its overrides too (they were for its members); the audit trail keeps them."""
    quiz = authored_quiz_or_404(request.user, quiz_id)
    group = get_object_or_404(LearnerGroup, pk=group_id, course_id=quiz.lesson.course_id)
    group_services.group_delete(group=group, actor=request.user)
    messages.success(request, f"Group “{group.name}” deleted.")
    return redirect("quiz_authoring:overrides", quiz_id=quiz.pk)
