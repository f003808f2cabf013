"""Summary rows: what the dashboards need about the whole cohort, kept up to date as the record grows.

Each row can be rebuilt from the learning record, the attempts and the users
(`manage.py rebuild_progress_summaries`); they are updated incrementally as events arrive
(progress.summaries). None holds a figure that depends on a quiz's settings: a final grade is
stored for every grading method, and the pass mark is applied when it is read, so editing a quiz
never leaves a summary stale.
"""
from django.conf import settings
from django.db import models


class LearnerSummary(models.Model):
    """Per learner: the keys the gradebook sorts and searches on (casefolded in Python, so SQLite and
    PostgreSQL order them alike) and the last day the learner did anything."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+")
    sort_name = models.CharField(max_length=400)  # ("first last".strip() or username).casefold()
    search_text = models.TextField()  # "username name email".casefold()
    last_active_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["sort_name"], name="progress_learner_sort_name"),
            models.Index(fields=["last_active_on"], name="progress_learner_last_active"),
        ]


class LearnerQuizGrade(models.Model):
    """Per learner and quiz with at least one attempt: the final grade under each grading method."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    quiz = models.ForeignKey("quizzes.Quiz", on_delete=models.CASCADE, related_name="+")
    attempts_used = models.PositiveIntegerField(default=0)
    in_progress = models.BooleanField(default=False)
    awaiting_grading = models.BooleanField(default=False)
    # Percent of the graded, submitted attempts; all four are empty while none is graded.
    highest = models.FloatField(null=True)
    average = models.FloatField(null=True)
    first = models.FloatField(null=True)
    last = models.FloatField(null=True)
    # The first and last submission: enough to tell, for most ranges, whether one fell in the range.
    first_submitted_at = models.DateTimeField(null=True)
    last_submitted_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["quiz", "user"], name="progress_grade_one_per_learner")]
        indexes = [models.Index(fields=["user", "quiz"], name="progress_grade_user_quiz")]


class DailyLearner(models.Model):
    """One row per learner and day with any learning event: what makes a learner count once a day."""

    day = models.DateField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "user"], name="progress_daily_learner_once")]


class DailyActivity(models.Model):
    """Per day: distinct active learners (the DailyLearner rows of the day), counted as they appear."""

    day = models.DateField(primary_key=True)
    active_learners = models.PositiveIntegerField(default=0)


class LessonViews(models.Model):
    """Per lesson: views recorded in the learning record (repeat visits included)."""

    lesson = models.OneToOneField("courses.Lesson", primary_key=True, on_delete=models.CASCADE, related_name="+")
    views = models.PositiveBigIntegerField(default=0)


class QuizItemSummary(models.Model):
    """Per quiz and choice of attempts (first or all): the sums its item statistics are computed from.

    `data` holds, per live question, n, Σx, Σx², Σr, Σr², Σxr (x the score, r the rest of the test),
    the (value, count) runs of x and r, response counts, and the counts of attempt totals. It is
    valid for the question set and marks in `signature`; a quiz edited since is rebuilt on read.
    """

    quiz = models.ForeignKey("quizzes.Quiz", on_delete=models.CASCADE, related_name="+")
    which = models.CharField(max_length=5)  # "first" or "all"
    signature = models.CharField(max_length=64)
    data = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["quiz", "which"], name="progress_item_summary_once")]


class AttemptItemContribution(models.Model):
    """What one submitted attempt added to its quiz's item summaries, so a change can take it back out."""

    attempt = models.OneToOneField("quizzes.Attempt", primary_key=True, on_delete=models.CASCADE, related_name="+")
    quiz = models.ForeignKey("quizzes.Quiz", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_first = models.BooleanField()
    data = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["quiz", "user"], name="progress_item_contrib_learner")]


class ItemSummaryDelta(models.Model):
    """A change to a quiz's item summaries not added in yet: one attempt's contribution put in (+1) or
    taken out (-1). A submit only inserts these, so submits of one quiz never wait for each other;
    the report adds them to the summary rows when it is read (progress.item_summaries)."""

    quiz = models.ForeignKey("quizzes.Quiz", on_delete=models.CASCADE, related_name="+")
    sign = models.SmallIntegerField()  # +1 or -1
    is_first = models.BooleanField()
    data = models.JSONField(default=dict)  # AttemptItemContribution.data

    class Meta:
        indexes = [models.Index(fields=["quiz", "id"], name="progress_item_delta_quiz")]
        constraints = [models.CheckConstraint(condition=models.Q(sign__in=[-1, 1]), name="progress_item_delta_sign")]
