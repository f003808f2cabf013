"""Quizzes, their questions (immutable versions), attempts, answers and regrade runs.

A question's content lives in QuestionVersion.spec, the JSON produced by quizzes.domain.spec; a
version never changes once an attempt has used it. Editing such a question adds a new version, so
finished attempts keep the version they answered and their grade until an instructor regrades.
"""

from django.conf import settings
from django.db import models

from .id_secrets import new_id_secret  # noqa: F401  (migrations name it here)
from django.db.models import F, Q
from django.urls import reverse

from courses.models import Lesson


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", "Highest grade"
    AVERAGE = "average", "Average of all attempts"
    FIRST = "first", "First attempt"
    LAST = "last", "Last attempt"


REVIEW_ITEMS = ["correctness", "marks", "feedback", "general_feedback", "right_answer"]
REVIEW_TIMES = ["immediately", "later", "after_close"]


def default_review_options() -> dict:
    """Show everything once an attempt is submitted; instructors restrict per quiz."""
    return {item: {time: True for time in REVIEW_TIMES} for item in REVIEW_ITEMS}


class Behaviour(models.TextChoices):
    # How a question behaves during an attempt; the rules live in quizzes/behaviours/, one module each.
    DEFERRED = "deferred", "Deferred feedback"
    IMMEDIATE = "immediate", "Immediate feedback"
    INTERACTIVE = "interactive", "Interactive with multiple tries"


class Quiz(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="quizzes")
    slug = models.SlugField()
    title = models.CharField(max_length=200)
    intro_markdown = models.TextField(blank=True)
    is_published = models.BooleanField(default=False)
    attempts_allowed = models.PositiveSmallIntegerField(default=0, help_text="0 means unlimited attempts.")
    time_limit_minutes = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty means no time limit.")
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    grading_method = models.CharField(max_length=10, choices=GradingMethod.choices, default=GradingMethod.HIGHEST)
    pass_percent = models.PositiveSmallIntegerField(default=60, help_text="Grade (in %) needed to pass.")
    shuffle_questions = models.BooleanField(default=False)
    shuffle_choices = models.BooleanField(default=True)
    behaviour = models.CharField(max_length=12, choices=Behaviour.choices, default=Behaviour.DEFERRED,
                                 help_text="Deferred: graded on submit. Immediate: one check per question. "
                                 "Interactive: checks with hints and a penalty per wrong try.")
    review_options = models.JSONField(
        default=default_review_options,
        help_text="For each of correctness, marks, feedback, general_feedback and right_answer: "
        "whether it shows immediately, later while the quiz is open, and after it closes.",
    )
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["lesson__position", "id"]
        verbose_name_plural = "quizzes"
        constraints = [
            models.UniqueConstraint(fields=["lesson", "slug"], name="unique_quiz_slug_per_lesson"),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(opens_at__lt=F("closes_at")),
                name="quiz_opens_before_it_closes",
            ),
            models.CheckConstraint(condition=Q(pass_percent__lte=100), name="quiz_pass_percent_at_most_100"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def course(self):
        return self.lesson.course

    def get_absolute_url(self) -> str:
        return reverse("quizzes:quiz_detail", kwargs={"quiz_id": self.pk})


class Question(models.Model):
    """A slot in a quiz. Its content is the latest of its versions."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    is_deleted = models.BooleanField(default=False, help_text="Deleted questions stay for the attempts that used them.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["quiz", "position", "id"]

    def __str__(self) -> str:
        latest = self.latest_version
        return latest.spec.get("title") or f"Question {self.pk}" if latest else f"Question {self.pk}"

    @property
    def latest_version(self) -> "QuestionVersion | None":
        return self.versions.order_by("-number").first()


class QuestionVersion(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    spec = models.JSONField(help_text="The question as quizzes.domain.spec JSON: type, text, answers, feedback.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["question", "number"]
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="unique_question_version_number")]

    def __str__(self) -> str:
        return f"{self.question} v{self.number}"

    @property
    def qtype(self) -> str:
        return self.spec.get("qtype", "")

    @property
    def max_mark(self) -> float:
        return float(self.spec.get("default_mark", 1.0))


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"


class Attempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    number = models.PositiveIntegerField(help_text="1 for the user's first attempt at this quiz.")
    state = models.CharField(max_length=12, choices=AttemptState.choices, default=AttemptState.IN_PROGRESS)
    started_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateTimeField(null=True, blank=True, help_text="When the time limit runs out, if any.")
    submitted_at = models.DateTimeField(null=True, blank=True)
    auto_submitted = models.BooleanField(default=False, help_text="Submitted by the server at the deadline.")
    shuffle_seed = models.BigIntegerField(help_text="Fixes question and choice order for this attempt.")
    # Keys the public ids of choices and matching items (quizzes.qtypes.ids); never sent to the browser.
    id_secret = models.CharField(max_length=32, default=new_id_secret, editable=False,
                                 help_text="Secret behind this attempt's public choice ids.")
    # The question versions this attempt answers, in the order it shows them: [[question_id, version_id], …].
    layout = models.JSONField(default=list)
    marks = models.FloatField(null=True, blank=True)
    max_marks = models.FloatField(default=0)
    needs_grading = models.BooleanField(default=False, help_text="An essay awaits the instructor.")

    class Meta:
        ordering = ["quiz", "user", "number"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user", "number"], name="unique_attempt_number"),
            # One open attempt per learner and quiz: a double click on "Start" cannot open two.
            models.UniqueConstraint(
                fields=["quiz", "user"], condition=Q(state="in_progress"), name="one_open_attempt_per_quiz"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.quiz} · attempt {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:attempt", kwargs={"attempt_id": self.pk})

    @property
    def percent(self) -> float | None:
        if self.marks is None or not self.max_marks:
            return None
        return 100 * self.marks / self.max_marks


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="answers")
    response = models.JSONField(default=dict, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    fraction = models.FloatField(null=True, blank=True, help_text="0..1 once graded; empty while ungraded.")
    marks = models.FloatField(null=True, blank=True)
    state = models.CharField(max_length=16, blank=True, help_text="correct, partial, incorrect, unanswered or needs_grading")
    feedback = models.JSONField(default=list, blank=True)
    grader_comment = models.TextField(blank=True)
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    tries = models.JSONField(default=list, blank=True,
                             help_text="Checks during the attempt: [{response, fraction, at}], oldest first.")
    finished = models.BooleanField(default=False, help_text="Checked for the last time: the answer can no longer change.")
    unsure = models.BooleanField(default=False, help_text="The learner marked it \"not sure\": it enters their review queue "
                                                          "even when right. Never changes a grade.")

    class Meta:
        ordering = ["attempt", "id"]
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="unique_answer_per_question")]

    def __str__(self) -> str:
        return f"{self.attempt} · {self.question}"


class RegradeRun(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="regrades")
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    run_at = models.DateTimeField(auto_now_add=True)
    changes = models.JSONField(default=list, help_text="[{attempt, user, old_marks, new_marks}] that were applied.")

    class Meta:
        ordering = ["-run_at"]

    def __str__(self) -> str:
        return f"Regrade of {self.quiz} at {self.run_at:%Y-%m-%d %H:%M}"


# Spaced-repetition cards live in their own module; imported here so they belong to this app.
from .review.models import ReviewCard, ReviewLog  # noqa: E402,F401
# Random slots and the labels pools filter by (quizzes.pools).
from .pools.models import DrawnQuestion, PoolLabel, RandomSlot  # noqa: E402,F401
# Per-learner and per-group overrides live in their own package; imported here so they belong to this app.
from .overrides.models import LearnerGroup, OverrideAuditEntry, QuizOverride  # noqa: E402,F401
