"""The instructor's grade for one essay answer: marks out of the question's maximum, and a comment."""
from django import forms

from ..domain.spec import format_number, parse_number


class EssayGradeForm(forms.Form):
    marks = forms.CharField(label="Marks", widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6, "autocomplete": "off"}))
    comment = forms.CharField(
        label="Comment for the student", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}), help_text="Shown with the attempt's review.",
    )

    def __init__(self, *args, max_mark: float, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.max_mark = max_mark
        self.fields["marks"].label = f"Marks (out of {format_number(max_mark)})"

    def clean_marks(self) -> float:
        raw = (self.cleaned_data.get("marks") or "").strip()
        try:
            value = parse_number(raw, allow_comma=True)
        except ValueError:
            raise forms.ValidationError(f"Marks must be a number; got “{raw}”.", code="not_a_number") from None
        if not 0 <= value <= self.max_mark:
            raise forms.ValidationError(
                f"Give between 0 and {format_number(self.max_mark)} marks; got {format_number(value)}.", code="out_of_range"
            )
        return value

    @property
    def fraction(self) -> float:
        return self.cleaned_data["marks"] / self.max_mark if self.max_mark else 0.0
