"""The quiz settings form, with the review options as a grid of checkboxes (what shows, and when)."""
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.text import slugify

from ..domain.control_characters import text_without_control_characters
from ..models import REVIEW_ITEMS, REVIEW_TIMES, Quiz

REVIEW_ITEM_LABELS = {
    "correctness": "Whether each answer was right",
    "marks": "Marks",
    "feedback": "Feedback on each answer",
    "general_feedback": "General feedback",
    "right_answer": "The right answer",
}
REVIEW_TIME_LABELS = {
    "immediately": "Right after submitting",
    "later": "Later, while the quiz is open",
    "after_close": "After the quiz closes",
}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def review_field_name(item: str, time: str) -> str:
    return f"review__{item}__{time}"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class QuizSettingsForm(forms.ModelForm):
    class Meta:
        model = Quiz
        fields = [
            "title", "intro_markdown", "attempts_allowed", "time_limit_minutes", "opens_at", "closes_at",
            "grading_method", "pass_percent", "shuffle_questions", "shuffle_choices", "behaviour",
        ]
        labels = {
            "intro_markdown": "Introduction (Markdown)",
            "attempts_allowed": "Attempts allowed",
            "time_limit_minutes": "Time limit (minutes)",
            "opens_at": "Opens (UTC)",
            "closes_at": "Closes (UTC)",
            "grading_method": "Grade from",
            "pass_percent": "Pass mark (%)",
            "shuffle_questions": "Shuffle the order of questions for each attempt",
            "shuffle_choices": "Shuffle the choices within each question",
            "behaviour": "How questions behave",
        }
        help_texts = {
            "intro_markdown": "Shown before a student starts. Markdown with $math$.",
            "opens_at": "Empty: open as soon as it is published.",
            "closes_at": "Empty: never closes.",
            "grading_method": "How several attempts become one grade.",
            "behaviour": "Deferred: graded on submit. Immediate feedback: one Check per question, then locked. "
                         "Interactive: a wrong Check shows the question's next hint and allows another try, "
                         "less the question's penalty. Essays are graded on submit in every behaviour.",
        }
        widgets = {
            "intro_markdown": forms.Textarea(attrs={"rows": 4}),
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
            "attempts_allowed": forms.NumberInput(attrs={"min": 0, "max": 100}),
            "time_limit_minutes": forms.NumberInput(attrs={"min": 1, "max": 1440}),
            "pass_percent": forms.NumberInput(attrs={"min": 0, "max": 100}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        behaviour = self.fields["behaviour"]
        behaviour.required = False  # a form without it keeps the quiz's behaviour
        if self.instance.pk and self.instance.attempts.exists():
            # As in Moodle: attempts were made and regraded under one behaviour; it stays for them all.
            behaviour.disabled = True
            behaviour.help_text = "Fixed: this quiz has attempts, made under this behaviour."
        options = self.instance.review_options or {}
        for item in REVIEW_ITEMS:
            for time in REVIEW_TIMES:
                self.fields[review_field_name(item, time)] = forms.BooleanField(
                    required=False,
                    initial=bool((options.get(item) or {}).get(time, False)),
                    label=f"{REVIEW_ITEM_LABELS[item]}: {REVIEW_TIME_LABELS[time].lower()}",
                )

    @property
    def review_grid(self) -> list[dict]:
        """Rows of the review options table: an item's label and its three checkboxes."""
        return [
            {"label": REVIEW_ITEM_LABELS[item], "fields": [self[review_field_name(item, time)] for time in REVIEW_TIMES]}
            for item in REVIEW_ITEMS
        ]

    @property
    def review_times(self) -> list[str]:
        return [REVIEW_TIME_LABELS[time] for time in REVIEW_TIMES]

    def clean_behaviour(self) -> str:
        return self.cleaned_data.get("behaviour") or self.instance.behaviour

    @property
    def setting_fields(self) -> list:
        return [self[name] for name in self.Meta.fields]

    def clean_pass_percent(self) -> int:
        value = self.cleaned_data["pass_percent"]
        if value > 100:
            raise forms.ValidationError("The pass mark is a percentage: at most 100.", code="over_100")
        return value

    def clean_time_limit_minutes(self) -> int | None:
        value = self.cleaned_data.get("time_limit_minutes")
        if value == 0:
            return None  # 0 reads as "no limit", like attempts_allowed
        return value

    def clean(self) -> dict:
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", forms.ValidationError("The quiz must close after it opens.", code="closes_before_opens"))
        return cleaned

    def save(self, commit: bool = True) -> Quiz:
        quiz = super().save(commit=False)
        quiz.review_options = {
            item: {time: bool(self.cleaned_data.get(review_field_name(item, time))) for time in REVIEW_TIMES}
            for item in REVIEW_ITEMS
        }
        if not quiz.slug:
            quiz.slug = _unique_slug(quiz)
        if commit:
            quiz.save()
        return quiz


def _unique_slug(quiz: Quiz) -> str:
    base = slugify(quiz.title)[:40] or "quiz"
    slug, n = base, 2
    while Quiz.objects.filter(lesson_id=quiz.lesson_id, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class QuizImportForm(forms.Form):
    FORMAT_CHOICES = [("gift", "GIFT (Moodle)"), ("markdown", "Markdown quiz format"), ("moodlexml", "Moodle XML")]
    EXTENSIONS = {".gift": "gift", ".md": "markdown", ".markdown": "markdown", ".xml": "moodlexml"}
    fmt = forms.ChoiceField(
        label="Format", choices=FORMAT_CHOICES, widget=forms.RadioSelect, initial="gift", required=False,
        help_text="A .gift, .md or .xml file is read by its extension; this choice counts for pasted text and .txt files.",
    )
    upload = forms.FileField(label="File", required=False, help_text="A .gift, .txt, .md or Moodle .xml file, UTF-8.")
    text = forms.CharField(
        label="…or paste the text", required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )

    MAX_BYTES = 1_000_000

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # NUL and other control characters are removed in clean(), for a pasted text as for a file,
        # rather than refused field by field.
        text = self.fields["text"]
        text.validators = [v for v in text.validators if not isinstance(v, ProhibitNullCharactersValidator)]
        if self.is_bound and "text" in self.data:  # so that the box shown again holds the cleaned text too
            self.data = self.data.copy()
            self.data["text"] = text_without_control_characters(self.data["text"])

    def clean(self) -> dict:
        cleaned = super().clean()
        upload, text = cleaned.get("upload"), cleaned.get("text") or ""
        cleaned["fmt"] = cleaned.get("fmt") or "gift"
        if upload:
            if upload.size > self.MAX_BYTES:
                self.add_error("upload", "This file is larger than 1 MB; split it into several quizzes.")
                return cleaned
            try:
                cleaned["source"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("upload", "This file is not UTF-8 text. Save it as UTF-8 and upload it again.")
                return cleaned
            name = upload.name.lower()
            for extension, fmt in self.EXTENSIONS.items():
                if name.endswith(extension):
                    cleaned["fmt"] = fmt
        elif text.strip():
            cleaned["source"] = text
        else:
            raise forms.ValidationError("Choose a file or paste the questions.", code="no_input")
        # PostgreSQL cannot store NUL, and no control character belongs in a question.
        cleaned["source"] = text_without_control_characters(cleaned["source"])
        return cleaned
