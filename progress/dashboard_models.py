"""Summary rows of the admin dashboard's completion funnel (progress.funnel_summaries writes them)."""
from django.conf import settings
from django.db import models


class CourseLearnerSummary(models.Model):
    """Per learner and course with anything done on a live lesson or quiz of it: how far they got.

    Counted over the course's published lessons and its published quizzes of published lessons,
    with each quiz's grading method and pass mark as they are now: when one of those changes, the
    course's rows are counted again (progress.funnel_summaries.course_learners_rebuild). A row whose
    counts are all zero means nothing.
    """

    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lessons_viewed = models.PositiveIntegerField(default=0, help_text="Published lessons with any progress.")
    lessons_completed = models.PositiveIntegerField(default=0, help_text="Published lessons marked complete.")
    quizzes_attempted = models.PositiveIntegerField(default=0, help_text="Live quizzes with at least one attempt.")
    quizzes_passed = models.PositiveIntegerField(default=0, help_text="Live quizzes whose final grade passes.")
    # The gradebook's "failed" filter: its quizzes are the course's published ones, on any lesson.
    quizzes_failed = models.PositiveIntegerField(default=0, help_text="Published quizzes whose final grade fails.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="progress_course_learner_once")]
        indexes = [models.Index(fields=["user"], name="progress_course_learner_user")]

    def __str__(self) -> str:
        return f"learner {self.user_id} in course {self.course_id}"


class QuizPassDays(models.Model):
    """Per quiz and pair of days (a learner's first and last submission there, in the site's time
    zone): how many learners with a final grade have those days, and how many of them pass.

    "Pass" is under the quiz's grading method and pass mark as they are now (a change counts the
    quiz again, like the funnel's rows). The dashboard's pass rates for a range add up the pairs that
    lie in it; only learners who submitted both before and after the range need their attempts read.
    """

    quiz = models.ForeignKey("quizzes.Quiz", on_delete=models.CASCADE, related_name="+")
    first_on = models.DateField()
    last_on = models.DateField()
    graded = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["quiz", "first_on", "last_on"], name="progress_quiz_pass_days_once")]

    def __str__(self) -> str:
        return f"quiz {self.quiz_id}, {self.first_on}–{self.last_on}: {self.passed}/{self.graded}"


class QuizPassDaysDelta(models.Model):
    """A pending change to a QuizPassDays bucket: +1/-1 graded and +1/0/-1 passed.

    Written (only ever inserted) in the transaction that changes a learner's grade row, so that the
    submits of one quiz's learners never update one shared row; the dashboard folds them into the
    buckets before it reads them (progress.pass_rate_summaries.pass_days_fold).
    """

    quiz = models.ForeignKey("quizzes.Quiz", on_delete=models.CASCADE, related_name="+")
    first_on = models.DateField()
    last_on = models.DateField()
    graded = models.IntegerField()
    passed = models.IntegerField()

    def __str__(self) -> str:
        return f"quiz {self.quiz_id}, {self.first_on}–{self.last_on}: {self.passed:+}/{self.graded:+}"


class LabDay(models.Model):
    """Per day: attention-lab runs recorded (the sum of the lab events' counts)."""

    day = models.DateField(primary_key=True)
    runs = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.runs} lab runs"


class LabDayDelta(models.Model):
    """Lab runs not yet added to their LabDay: inserted with each lab event, folded by the dashboard
    (progress.lab_summaries.lab_days_fold), so learners using the lab on one day share no row."""

    day = models.DateField(db_index=True)
    runs = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.day}: {self.runs:+} lab runs pending"


class LabLearnerDay(models.Model):
    """One row per learner and day with a lab run: what makes a learner count once among the lab's users."""

    day = models.DateField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "user"], name="progress_lab_learner_day_once")]

    def __str__(self) -> str:
        return f"learner {self.user_id} used the lab on {self.day}"
