"""The question editor's hints and penalty (used by the interactive behaviour): hint rows a teacher adds
and removes, and the share of the mark each wrong try costs.

GIFT cannot carry hints or a penalty (Moodle's GIFT format has no syntax for them), so a GIFT export
leaves them out; the Markdown format keeps them ("Hint:" lines, "Penalty:").
"""
from django import forms
from django.forms import formset_factory

from ..domain.spec_base import DEFAULT_PENALTY, MAX_HINTS, format_number

HINTS_PREFIX = "hints"
HINTS_HELP = ("Interactive quizzes allow one try more than there are hints: a wrong try shows the next hint. "
              "Tick “Remove” or empty a hint to drop it. GIFT files cannot hold hints; Markdown files can.")


class HintRowForm(forms.Form):
    text = forms.CharField(label="Hint", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="Markdown; shown after a wrong try.")

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("text") or "").strip() or self.cleaned_data.get("DELETE", False)


def penalty_field() -> forms.FloatField:
    return forms.FloatField(
        label="Penalty per wrong try (%)", initial=format_number(round(100 * DEFAULT_PENALTY, 5)), required=False,
        min_value=0, max_value=100, widget=forms.NumberInput(attrs={"step": "any", "min": "0", "max": "100"}),
        help_text="In interactive quizzes, each wrong try before the right one takes this share of the mark.",
        error_messages={"invalid": "The penalty must be a number between 0 and 100."},
    )


def penalty_initial(spec: dict) -> str:
    return format_number(round(100 * float(spec.get("penalty", DEFAULT_PENALTY)), 5))


def posted_total(data, prefix: str) -> int:
    """A formset's posted row count, read before Django's own formset checks it: anything but a number
    (a script, a NUL) counts as no rows, and the formset then reports its management form as broken."""
    value = str(data.get(f"{prefix}-TOTAL_FORMS") or "0")
    return int(value) if value.isdigit() else 0


def hint_formset(data, spec: dict | None):
    """The hint rows: the spec's hints and one blank row (two for a new question); `add_hints` adds two."""
    hints = list((spec or {}).get("hints") or [])
    if data is not None and f"{HINTS_PREFIX}-TOTAL_FORMS" not in data:
        data = None  # a post without hint rows (an older page, a script) keeps the question's hints
    if data is not None and data.get("add_hints"):
        data = data.copy()
        total = posted_total(data, HINTS_PREFIX)
        data[f"{HINTS_PREFIX}-TOTAL_FORMS"] = str(min(MAX_HINTS, total + 2))
    formset_class = formset_factory(HintRowForm, extra=1 if hints else 2, max_num=MAX_HINTS, absolute_max=MAX_HINTS,
                                    validate_max=True, can_delete=True)
    return formset_class(data, initial=[{"text": hint} for hint in hints] or None, prefix=HINTS_PREFIX)


def hints_valid(formset) -> bool:
    return not formset.is_bound or formset.is_valid()


def hints_from(formset) -> list[str]:
    if not formset.is_bound:
        return [row["text"] for row in formset.initial or []]
    hints = []
    for row in formset.forms:
        if not hasattr(row, "cleaned_data"):
            row.is_valid()
        if hasattr(row, "cleaned_data") and not row.is_blank():
            hints.append(row.cleaned_data["text"].strip())
    return hints


def penalty_from(value) -> float:
    return DEFAULT_PENALTY if value in (None, "") else round(float(value) / 100, 7)
