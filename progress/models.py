"""The learning record: an append-only log of what learners did, which the dashboards aggregate.

Rows are only ever inserted. The model and its queryset refuse updates and deletes, and the admin
shows the table read-only, so a report computed today from last month's events gives the same
numbers tomorrow. (Deleting a user or a course still cascades at the database level: people may
ask to be forgotten.)
"""
from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """Someone tried to change or delete a learning event."""


class EventKind(models.TextChoices):
    LESSON_VIEWED = "lesson_viewed", "Lesson viewed"
    LESSON_COMPLETED = "lesson_completed", "Lesson completed"
    ATTEMPT_STARTED = "attempt_started", "Quiz attempt started"
    ATTEMPT_SUBMITTED = "attempt_submitted", "Quiz attempt submitted"
    LAB_USED = "lab_used", "Attention lab used"


class LearningEventQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, update_summaries: bool = True, **kwargs):
        """Insert in bulk; the summary rows follow unless `update_summaries=False` (a loader that
        rebuilds them afterwards, as the benchmark does)."""
        objs = list(objs)
        for event in objs:
            event.fill_day()
        created = super().bulk_create(objs, *args, **kwargs)
        if update_summaries and objs:
            from .summaries import events_bulk_applied

            events_bulk_applied(objs)
        return created

    def update(self, **kwargs):
        raise AppendOnlyError("Learning events are never changed.")

    def delete(self):
        raise AppendOnlyError("Learning events are never deleted.")


class LearningEvent(models.Model):
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    occurred_at = models.DateTimeField(default=timezone.now)
    # The day of occurred_at in the site's time zone, stored: daily charts group on a plain column
    # instead of converting every timestamp (SQLite does that in Python, row by row).
    occurred_on = models.DateField(editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_events")
    course = models.ForeignKey("courses.Course", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # Lessons, quizzes and attempts may be removed later; the event (and the course totals) stay.
    lesson = models.ForeignKey("courses.Lesson", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    quiz = models.ForeignKey("quizzes.Quiz", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    attempt = models.ForeignKey("quizzes.Attempt", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    score_percent = models.FloatField(null=True, blank=True, help_text="The attempt's grade when it was submitted.")
    count = models.PositiveIntegerField(default=1, help_text="How many uses this event stands for (lab runs).")

    objects = LearningEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = "learning event"
        indexes = [
            models.Index(fields=["kind", "occurred_at"], name="progress_event_kind_time"),
            models.Index(fields=["course", "kind", "occurred_at"], name="progress_event_course_kind"),
            models.Index(fields=["user", "occurred_at"], name="progress_event_user_time"),
            models.Index(fields=["occurred_on", "user", "kind"], name="progress_event_day_user"),  # covers daily active counts
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score_percent__isnull=True) | models.Q(score_percent__gte=0, score_percent__lte=100),
                name="progress_event_score_is_a_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display().lower()} at {self.occurred_at:%Y-%m-%d %H:%M}"

    def fill_day(self) -> None:
        self.occurred_on = timezone.localdate(self.occurred_at)

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Learning events are never changed.")
        self.fill_day()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Learning events are never deleted.")


from .summary_models import AttemptItemContribution, DailyActivity, DailyLearner, LearnerQuizGrade, LearnerSummary, LessonViews, QuizItemSummary  # noqa: E402,F401  (Django finds models here)
from .dashboard_models import CourseLearnerSummary, LabDay, LabDayDelta, LabLearnerDay, QuizPassDays, QuizPassDaysDelta  # noqa: E402,F401  (Django finds models here)
