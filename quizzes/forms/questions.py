"""The question editor: one form per question type, each turning the teacher's fields into a spec dict.

A QuestionEditor is the type's main form plus a formset of answer rows (choices, accepted answers,
numeric answers or matching pairs). `is_valid()` checks the fields, builds the spec JSON and runs the
domain's `validate()`; a SpecError's field path ("choices[1].fraction") is mapped back to the form
field or row it is about, in words a teacher understands.
"""
import html
import re

from django.core.exceptions import ValidationError
from django.forms import formset_factory

from ..domain.spec import SpecError, format_number, spec_from_json
from ..qtypes import qtype_for
from .attention_question import AttentionTokenForm
from .hints import HINTS_HELP, hint_formset, hints_from, hints_valid, penalty_from, penalty_initial, posted_total
from .question_fields import _SECTION_LINK, EDITOR_FORMS, QTYPES, ROW_FORMS, QType, QuestionCommonForm, lesson_headings

# Registered here, not in question_fields: the attention form subclasses QuestionCommonForm from there.
EDITOR_FORMS[AttentionTokenForm.__name__] = AttentionTokenForm

__all__ = ["QTYPES", "QType", "QuestionEditor", "lesson_headings"]

BLANK_ROWS_WHEN_EDITING = 2
MAX_ROWS = 40


def _spec_to_initial(qtype: str, spec: dict) -> tuple[dict, list[dict]]:
    """The editor's initial values (main form, rows) for a stored spec."""
    explanation = spec.get("explanation", "") or ""
    section = ""
    match = _SECTION_LINK.search(explanation)
    if match:
        explanation, section = explanation[: match.start()], html.unescape(match["section"].replace("\\:", ":"))
    main = {
        "title": spec.get("title", ""),
        "text": spec.get("text", ""),
        "default_mark": format_number(float(spec.get("default_mark", 1.0))),
        "general_feedback": spec.get("general_feedback", ""),
        "explanation": explanation,
        "explanation_section": section,
        "penalty": penalty_initial(spec),
    }
    extra, rows = qtype_for(qtype).editor_initial(spec)
    main.update(extra)
    return main, rows


class QuestionEditor:
    """One question type's form and answer rows; `spec` is the JSON to save once `is_valid()`."""

    prefix = "rows"

    def __init__(self, qtype: str, *, data=None, spec: dict | None = None, headings: list[tuple[str, str]] | None = None,
                 lesson_title: str = "") -> None:
        self.qtype = qtype
        self.info = QTYPES[qtype]
        self.original = dict(spec or {})
        self.headings = headings or []
        self.lesson_title = lesson_title
        main_initial, row_initial = _spec_to_initial(qtype, self.original) if spec else ({}, [])
        section = main_initial.get("explanation_section")
        if section and section not in dict(self.headings):
            self.headings = [*self.headings, (section, f"{section} (not a heading of the lesson now)")]
        self.form = EDITOR_FORMS[qtype_for(qtype).editor_form](data, initial=main_initial, headings=self.headings)
        self.rows_spec = qtype_for(qtype).editor_rows
        self.rows = None
        if self.rows_spec:
            blank = BLANK_ROWS_WHEN_EDITING if spec else max(0, self.rows_spec.new_rows - len(row_initial))
            if data is not None and data.get("add_rows"):
                data = data.copy()
                total = posted_total(data, self.prefix)
                data[f"{self.prefix}-TOTAL_FORMS"] = str(min(MAX_ROWS, total + 2))
            formset_class = formset_factory(ROW_FORMS[self.rows_spec.form], extra=blank, max_num=MAX_ROWS, absolute_max=MAX_ROWS, validate_max=True)
            self.rows = formset_class(data, initial=row_initial or None, prefix=self.prefix)
        self.hints = hint_formset(data, spec)
        self.hints_help = HINTS_HELP
        self.spec: dict = {}
        self._row_index: list[int] = []  # spec row index -> form index in the formset
        self.spec_error: SpecError | None = None

    # --- for templates -------------------------------------------------------------------------
    @property
    def main_fields(self) -> list:
        common = ["title", "text", "default_mark"]
        return [self.form[name] for name in common]

    # Fields shown under the answer rows rather than with the question (they are about the answers).
    ROW_EXTRA_FIELDS = ("distractors",)

    @property
    def type_fields(self) -> list:
        common = set(QuestionCommonForm.base_fields)
        return [self.form[name] for name in self.form.fields if name not in common and name not in self.ROW_EXTRA_FIELDS]

    @property
    def row_extra_fields(self) -> list:
        return [self.form[name] for name in self.ROW_EXTRA_FIELDS if name in self.form.fields]

    @property
    def feedback_fields(self) -> list:
        return [self.form[name] for name in ("general_feedback", "explanation", "explanation_section")]

    @property
    def has_errors(self) -> bool:
        return bool(self.form.errors or (self.rows is not None and (self.rows.total_error_count() or self.rows.non_form_errors()))
                    or (self.hints.is_bound and (self.hints.total_error_count() or self.hints.non_form_errors())))

    # --- validation --------------------------------------------------------------------------------
    def is_valid(self) -> bool:
        if self.form.data.get("add_rows") or self.form.data.get("add_hints"):
            # "More rows" (no JavaScript) re-renders the editor; it never saves.
            self.form.is_valid()
            hints_valid(self.hints)
            if self.rows is not None:
                self.rows.is_valid()
            self._build_spec()
            return False
        valid = hints_valid(self.hints) and self.form.is_valid()
        if self.rows is not None:
            valid = self.rows.is_valid() and valid
        if not valid:
            self._build_spec()
            return False
        self._build_spec()
        try:
            spec_from_json(self.spec).validate()
        except SpecError as error:
            self.spec_error = error
            self._attach(error.field, _sentence(error.message))
            return False
        return True

    def add_spec_errors(self, error: ValidationError) -> None:
        """Errors from the question services (keyed by spec field) shown where they belong."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                for item in errors:
                    self._attach(field, _sentence(" ".join(item.messages)))
        else:
            for message in error.messages:
                self.form.add_error(None, _sentence(message))

    def _attach(self, path: str, message: str) -> None:
        """Put a domain message on the field its path names: "text", "choices", "answers[2].value"."""
        match = re.fullmatch(r"(?P<field>[a-z_]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<sub>[a-z_]+))?", path or "")
        if not match:
            self.form.add_error(None, message)
            return
        field, index, sub = match["field"], match["index"], match["sub"]
        if self.rows is not None and field == self.rows_spec.spec_field:
            if index is None:
                self.rows._non_form_errors = self.rows.error_class([*self.rows.non_form_errors(), message])
                return
            position = int(index)
            form = self.rows.forms[self._row_index[position]] if position < len(self._row_index) else None
            if form is None:
                self.rows._non_form_errors = self.rows.error_class([*self.rows.non_form_errors(), message])
                return
            if sub == "fraction" or sub in form.fields:
                form.add_error(sub if sub in form.fields else None, message)
            elif sub in ("min", "max", "value", "tolerance", "kind"):
                form.add_error(sub, message)
            else:
                form.add_error(None, message)
            return
        if field == "distractors":
            field = "distractors"
        if field in self.form.fields:
            self.form.add_error(field, message)
        else:
            self.form.add_error(None, message)

    # --- building the spec ----------------------------------------------------------------------
    def _value(self, name: str, default=None):
        cleaned = getattr(self.form, "cleaned_data", {}) or {}
        value = cleaned.get(name)
        return default if value in (None, "") else value

    def _build_spec(self) -> None:
        spec = {key: value for key, value in self.original.items() if key not in ("choices", "answers", "pairs")}
        explanation = (self._value("explanation", "") or "").rstrip()
        section = self._value("explanation_section", "")
        if section:
            link = f"(See: {self.lesson_title} › {section})"
            explanation = f"{explanation} {link}" if explanation else link
        spec.update(
            version=1,
            qtype=self.qtype,
            title=(self._value("title", "") or "").strip(),
            text=self._value("text", "") or "",
            text_format=self.original.get("text_format", "markdown"),
            general_feedback=self._value("general_feedback", "") or "",
            explanation=explanation,
            default_mark=float(self._value("default_mark", 1.0)),
            hints=hints_from(self.hints),
            penalty=penalty_from(self._value("penalty")),
        )
        rows = self._clean_rows()
        spec.update(qtype_for(self.qtype).editor_spec(self._value, [row for _, row in rows], self.original, self.form))
        self._row_index = [index for index, _ in rows]
        self.spec = spec

    def _clean_rows(self) -> list[tuple[int, dict]]:
        """(form index, cleaned data) of the rows the teacher filled in, blank rows skipped."""
        if self.rows is None:
            return []
        out = []
        for index, form in enumerate(self.rows.forms):
            if not hasattr(form, "cleaned_data"):
                form.is_valid()
            if not hasattr(form, "cleaned_data") or form.is_blank():
                continue
            out.append((index, form.cleaned_data))
        return out


def _sentence(message: str) -> str:
    """Domain messages are lower-case clauses; show them as sentences."""
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else message + "."
