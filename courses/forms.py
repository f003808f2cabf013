"""Forms of the authoring pages."""
from django import forms
from django.contrib.auth.models import User

from .markdown_limits import markdown_limits_check
from .models import Lesson


class LessonEditForm(forms.Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(max_length=300, required=False)
    body_markdown = forms.CharField(
        label="Lesson text (Markdown)",
        widget=forms.Textarea(attrs={"rows": 28, "spellcheck": "true"}),
        help_text="Markdown with $math$, $$display math$$, ```code```, tables and !!! note \"Title\" callouts.",
    )
    expected_revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, lesson: Lesson, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": lesson.title,
                "summary": lesson.summary,
                "body_markdown": lesson.body_markdown,
                "expected_revision": lesson.revision,
            },
        )
        super().__init__(*args, **kwargs)

    def clean_body_markdown(self) -> str:
        body = self.cleaned_data["body_markdown"]
        markdown_limits_check(body, field_label="The lesson text")  # refused at save, with the limit named
        return body


class InstructorAssignForm(forms.Form):
    username = forms.CharField(label="Username or e-mail", max_length=150)

    def clean(self) -> dict:
        cleaned = super().clean()
        name = cleaned.get("username", "").strip()
        user = User.objects.filter(username__iexact=name).first() or User.objects.filter(email__iexact=name).first()
        if name and user is None:
            self.add_error("username", f"No account is called “{name}”. Ask them to sign up first.")
        cleaned["user"] = user
        return cleaned
