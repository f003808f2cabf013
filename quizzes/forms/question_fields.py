"""The question editor's fields: one main form per question type and one row form per kind of answer.

quizzes.forms.questions assembles them into a QuestionEditor; this module only declares what a
teacher fills in, with labels and messages in their words.
"""
import html
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags

from courses.markdown import render_markdown_with_toc
from courses.markdown_limits import validate_markdown_limits
from courses.models import Lesson

from ..domain.spec import parse_number
from ..qtypes import all_qtypes
from .hints import penalty_field

@dataclass(frozen=True)
class QType:
    label: str
    description: str


# The editor's catalogue, in the registry's order, with each type's own label and description.
QTYPES: dict[str, QType] = {qtype.name: QType(qtype.label, qtype.description) for qtype in all_qtypes()}

# The explanation may end with "(See: Lesson › Section)"; the review page turns that into a link to
# the section (quizzes.services.grading), and the course's own quiz files write it the same way.
_SECTION_LINK = re.compile(r"\s*\(See\\?:\s*(?P<lesson>[^›)]+?)\s*›\s*(?P<section>[^)]+?)\s*\)\s*$")


_HEADING = re.compile(r"<h(?P<level>[2-4])\b[^>]*>(?P<inner>.*?)</h(?P=level)>", re.DOTALL)


def lesson_headings(lesson: Lesson) -> list[tuple[str, str]]:
    """(heading, label) for the lesson's h2–h4 headings, for the explanation's "see also" link.

    Read from the lesson's stored HTML: rendering its Markdown again costs a tenth of a second on a
    long lesson, and the live preview asks for the headings on every keystroke pause.
    """
    if not lesson.body_html and lesson.body_markdown:
        _, toc = render_markdown_with_toc(lesson.body_markdown)
        headings: list[tuple[str, str]] = []

        def walk(tokens: list[dict], depth: int) -> None:
            for token in tokens:
                headings.append((token["name"], ("— " * depth) + token["name"]))
                walk(token.get("children") or [], depth + 1)

        walk(toc, 0)
        return headings
    out = []
    for match in _HEADING.finditer(lesson.body_html or ""):
        name = " ".join(html.unescape(strip_tags(match["inner"])).split())
        if name:
            out.append((name, ("— " * (int(match["level"]) - 2)) + name))
    return out


def _percent_field(label: str = "Grade (%)", *, initial: float | None = 0) -> forms.FloatField:
    return forms.FloatField(
        label=label,
        required=False,
        initial=initial,
        widget=forms.NumberInput(attrs={"step": "any", "class": "input-percent"}),
        error_messages={"invalid": "Give the grade as a percentage, like 100, 50 or -25."},
    )


def _feedback_field(label: str = "Feedback", placeholder: str = "Shown to a student who picks this") -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.TextInput(attrs={"placeholder": placeholder}))


class QuestionCommonForm(forms.Form):
    """Fields every question has."""

    title = forms.CharField(
        label="Question name", max_length=200, required=False,
        help_text="For you and the statistics; students do not see it.",
    )
    text = forms.CharField(
        label="Question text (Markdown)", required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "true"}),
        help_text="Markdown with $inline math$ and $$display math$$.",
        validators=[validate_markdown_limits],  # refused at save, with the limit named
    )
    default_mark = forms.FloatField(
        label="Marks", initial=1, required=False, widget=forms.NumberInput(attrs={"step": "any", "min": "0"}),
        error_messages={"invalid": "The mark must be a number, like 1 or 2.5."},
    )
    general_feedback = forms.CharField(
        label="General feedback", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown to every student after grading, whatever they answered.",
    )
    explanation = forms.CharField(
        label="Explanation", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the right answer is right (Markdown). Shown after grading.",
    )
    explanation_section = forms.ChoiceField(
        label="Link the explanation to a lesson section", required=False,
        help_text="Students get a link to this heading of the lesson.",
    )

    penalty = penalty_field()

    def __init__(self, *args, headings: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["explanation_section"].choices = [("", "— no link —"), *headings]


class SingleChoiceForm(QuestionCommonForm):
    shuffle = forms.BooleanField(label="Shuffle the choices for each student", required=False, initial=True)


class MultipleResponseForm(SingleChoiceForm):
    pass


class TrueFalseForm(QuestionCommonForm):
    correct = forms.TypedChoiceField(
        label="The statement is", choices=[("true", "True"), ("false", "False")], coerce=lambda v: v == "true",
        widget=forms.RadioSelect, initial="true", required=False,
    )
    feedback_true = forms.CharField(label="Feedback for a student who answers “true”", required=False)
    feedback_false = forms.CharField(label="Feedback for a student who answers “false”", required=False)


class ShortAnswerForm(QuestionCommonForm):
    case_sensitive = forms.BooleanField(label="Case matters (“Softmax” ≠ “softmax”)", required=False)


class NumericForm(QuestionCommonForm):
    units = forms.CharField(
        label="Units (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text="One per line: first the unit the answers are in, then others with their multiplier, as in Moodle: "
                  "m, then km = 0.001, then cm = 100. “1.5 km” is then read as 1500 m.",
    )
    unit_grading = forms.ChoiceField(
        label="A missing or unknown unit", initial="optional", required=False,
        choices=[("optional", "costs nothing (units optional)"), ("mark", "costs the unit penalty of the mark earned"),
                 ("max", "costs the unit penalty of full marks")],
    )
    unit_penalty = _percent_field("Unit penalty (%)", initial=10)
    units_left = forms.BooleanField(label="The unit goes before the number (“$ 3”)", required=False)

    def clean_units(self) -> list[dict]:
        units = []
        for number, line in enumerate((self.cleaned_data.get("units") or "").splitlines(), start=1):
            name, _, multiplier = line.partition("=")
            if not name.strip():
                continue
            try:
                value = parse_number(multiplier, allow_comma=True) if multiplier.strip() else 1.0
            except ValueError:
                raise ValidationError(f"Line {number}: the multiplier of “{name.strip()}” must be a number, like "
                                      "0.001.", code="bad_multiplier") from None
            units.append({"unit": name.strip(), "multiplier": value})
        return units


class MatchingForm(QuestionCommonForm):
    distractors = forms.CharField(
        label="Distractors", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Extra wrong answers on the right-hand side, one per line.",
    )


class EssayForm(QuestionCommonForm):
    grader_info = forms.CharField(
        label="Information for graders", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What a good answer contains. Never shown to students.",
    )


# --- answer rows ----------------------------------------------------------------------------------


class ChoiceRowForm(forms.Form):
    id = forms.CharField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label="Choice", required=False, widget=forms.TextInput(attrs={"placeholder": "Choice text (Markdown)"}))
    fraction = _percent_field()
    feedback = _feedback_field()

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("text") or "").strip() and not (self.cleaned_data.get("feedback") or "").strip()


class TextAnswerRowForm(forms.Form):
    text = forms.CharField(label="Accepted answer", required=False, widget=forms.TextInput(attrs={"placeholder": "e.g. softmax or soft*max"}))
    fraction = _percent_field(initial=100)
    feedback = _feedback_field(placeholder="Shown to a student whose answer matches this")

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("text") or "").strip() and not (self.cleaned_data.get("feedback") or "").strip()


class NumericRowForm(forms.Form):
    KINDS = [("tolerance", "value ± tolerance"), ("range", "from min to max"), ("any", "any other number")]
    kind = forms.ChoiceField(label="Answer", choices=KINDS, initial="tolerance", required=False)
    value = forms.CharField(label="Value", required=False, widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}))
    tolerance = forms.CharField(label="± Tolerance", required=False, widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}))
    min = forms.CharField(label="Min", required=False, widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}))
    max = forms.CharField(label="Max", required=False, widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}))
    fraction = _percent_field(initial=100)
    feedback = _feedback_field(placeholder="Shown to a student whose answer matches this")

    NUMBER_FIELDS = {"tolerance": ("value", "tolerance"), "range": ("min", "max"), "any": ()}

    def is_blank(self) -> bool:
        data = self.cleaned_data
        typed = any((data.get(name) or "").strip() for name in ("value", "tolerance", "min", "max", "feedback"))
        return not typed

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = cleaned.get("kind") or "tolerance"
        cleaned["kind"] = kind
        if self.is_blank():
            return cleaned
        for name in self.NUMBER_FIELDS.get(kind, ()):
            raw = (cleaned.get(name) or "").strip()
            if not raw and name == "tolerance":
                cleaned["tolerance_number"] = 0.0
                continue
            if not raw:
                needed = {"value": "a value", "min": "a smallest value (min)", "max": "a largest value (max)"}[name]
                self.add_error(name, ValidationError(f"A numeric answer needs {needed}.", code="missing_number"))
                continue
            try:
                cleaned[f"{name}_number"] = parse_number(raw, allow_comma=True)
            except ValueError:
                what = {"value": "a number", "tolerance": "a tolerance", "min": "a smallest value", "max": "a largest value"}[name]
                self.add_error(name, ValidationError(f"A numeric answer needs {what}; got “{raw}”.", code="not_a_number"))
        return cleaned


class MatchPairRowForm(forms.Form):
    id = forms.CharField(required=False, widget=forms.HiddenInput)
    left = forms.CharField(label="Item", required=False, widget=forms.TextInput(attrs={"placeholder": "e.g. Query"}))
    right = forms.CharField(label="Matches", required=False, widget=forms.TextInput(attrs={"placeholder": "e.g. what a token looks for"}))

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("left") or "").strip() and not (self.cleaned_data.get("right") or "").strip()


# The editor's forms by class name: each question type names its own (quizzes.qtypes, `editor_form`
# and `editor_rows`), so this module declares fields and knows no type.
EDITOR_FORMS: dict[str, type[QuestionCommonForm]] = {
    cls.__name__: cls
    for cls in (SingleChoiceForm, MultipleResponseForm, TrueFalseForm, ShortAnswerForm, NumericForm, MatchingForm, EssayForm)
}
ROW_FORMS: dict[str, type[forms.Form]] = {
    cls.__name__: cls for cls in (ChoiceRowForm, TextAnswerRowForm, NumericRowForm, MatchPairRowForm)
}
