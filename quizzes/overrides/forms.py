"""The instructor's override form: whom it is for (a learner or a group of the course), then only the
settings that differ from the quiz's. Types and ranges are checked here; the rules (enrolled, dates in
order, at least one change) by the service, whose messages land on the same fields."""
from django import forms
from django.core.exceptions import ValidationError

from ..forms.quiz import DATETIME_FORMAT, DateTimeInput
from .models import MAX_ATTEMPTS, MAX_TIME_LIMIT_MINUTES

DATETIME_FORMATS = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
SETTING_FIELDS = ("time_limit_minutes", "attempts_allowed", "opens_at", "closes_at", "reason")


class OverrideForm(forms.Form):
    user = forms.ModelChoiceField(queryset=None, required=False, label="Learner", empty_label="— choose a learner —")
    group = forms.ModelChoiceField(queryset=None, required=False, label="or a group", empty_label="— no group —")
    time_limit_minutes = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_TIME_LIMIT_MINUTES, label="Time limit (minutes)",
        widget=forms.NumberInput(attrs={"min": 0, "max": MAX_TIME_LIMIT_MINUTES, "inputmode": "numeric"}))
    attempts_allowed = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_ATTEMPTS, label="Attempts allowed",
        widget=forms.NumberInput(attrs={"min": 0, "max": MAX_ATTEMPTS, "inputmode": "numeric"}))
    opens_at = forms.DateTimeField(required=False, label="Opens (UTC)", input_formats=DATETIME_FORMATS, widget=DateTimeInput())
    closes_at = forms.DateTimeField(required=False, label="Closes (UTC)", input_formats=DATETIME_FORMATS, widget=DateTimeInput())
    reason = forms.CharField(required=False, max_length=1000, label="Reason (staff only)",
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="For example the accommodation it implements. Learners never see it.")

    def __init__(self, *args, quiz, learners=None, groups=None, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["user"], self.fields["group"]  # whom it is for is fixed: delete and add for another
        else:
            self.fields["user"].queryset = learners
            self.fields["group"].queryset = groups
            if not groups.exists():
                del self.fields["group"]
        self.fields["time_limit_minutes"].help_text = (
            f"Empty: the quiz's ({quiz.time_limit_minutes} min)." if quiz.time_limit_minutes else "Empty: the quiz's (none).") + " 0: no limit."
        self.fields["attempts_allowed"].help_text = (
            f"Empty: the quiz's ({quiz.attempts_allowed})." if quiz.attempts_allowed else "Empty: the quiz's (unlimited).") + " 0: unlimited."
        for name in ("opens_at", "closes_at"):
            value = getattr(quiz, name)
            self.fields[name].help_text = f"Empty: the quiz's ({value:%d %b %Y %H:%M} UTC)." if value else "Empty: the quiz's (none)."

    def clean(self) -> dict:
        cleaned = super().clean()
        if "user" in self.fields and not cleaned.get("user") and not cleaned.get("group"):
            raise ValidationError("Choose a learner or a group.", code="no_subject")
        if cleaned.get("user") and cleaned.get("group"):
            raise ValidationError("Choose a learner or a group, not both.", code="user_xor_group")
        return cleaned

    @property
    def setting_values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in SETTING_FIELDS}

    def add_service_error(self, error: ValidationError) -> None:
        """Put the service's message on its field (or above the form)."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)
