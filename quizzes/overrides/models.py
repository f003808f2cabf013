"""Learner groups of a course, quiz overrides for a learner or a group, and the overrides' audit trail.

Imported by quizzes/models.py, so they belong to the quizzes app and its migrations. Foreign keys
name their models as strings, so this module imports nothing of quizzes (no import cycle).
"""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

MAX_TIME_LIMIT_MINUTES = 1440 * 7  # a week: far more than any accommodation, small enough to read
MAX_ATTEMPTS = 100  # the quiz settings' own ceiling


class LearnerGroup(models.Model):
    """A named set of a course's learners (Moodle's course group), e.g. "Extra time (accommodations)".

    Kept minimal and in quizzes/ for now because overrides are its only reader; it moves to
    courses/ the day lessons or forums need groups too.
    """

    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="learner_groups")
    name = models.CharField(max_length=100)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="learner_groups")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["course", "name"]
        constraints = [models.UniqueConstraint(fields=["course", "name"], name="unique_learner_group_name_per_course")]

    def __str__(self) -> str:
        return self.name


class QuizOverride(models.Model):
    """Different settings of one quiz for one learner or one group. An empty field keeps the quiz's value."""

    quiz = models.ForeignKey("quizzes.Quiz", on_delete=models.CASCADE, related_name="overrides")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="quiz_overrides")
    group = models.ForeignKey(LearnerGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="overrides")
    opens_at = models.DateTimeField(null=True, blank=True, help_text="Empty: the quiz's own opening time.")
    closes_at = models.DateTimeField(null=True, blank=True, help_text="Empty: the quiz's own closing time.")
    time_limit_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty: the quiz's own time limit. 0: no time limit.")
    attempts_allowed = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty: the quiz's own number. 0: unlimited attempts.")
    reason = models.TextField(blank=True, max_length=1000, help_text="Why (an accommodation note). Staff only.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["quiz", "group__name", "user__username", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=True) ^ Q(group__isnull=True), name="quiz_override_user_xor_group"),
            models.UniqueConstraint(fields=["quiz", "user"], condition=Q(user__isnull=False), name="one_override_per_quiz_and_user"),
            models.UniqueConstraint(fields=["quiz", "group"], condition=Q(group__isnull=False), name="one_override_per_quiz_and_group"),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(opens_at__lt=F("closes_at")),
                name="quiz_override_opens_before_it_closes",
            ),
            models.CheckConstraint(condition=Q(time_limit_minutes__lte=MAX_TIME_LIMIT_MINUTES), name="quiz_override_time_limit_at_most_a_week"),
            models.CheckConstraint(condition=Q(attempts_allowed__lte=MAX_ATTEMPTS), name="quiz_override_attempts_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} · {self.subject_label}"

    @property
    def subject_label(self) -> str:
        if self.group_id:
            return f"group {self.group.name}"
        return self.user.get_full_name() or self.user.username

    def get_absolute_url(self) -> str:
        return reverse("quiz_authoring:override_edit", kwargs={"quiz_id": self.quiz_id, "override_id": self.pk})


SETTING_LABELS = {"time_limit_minutes": "time limit (min)", "attempts_allowed": "attempts", "opens_at": "opens",
                  "closes_at": "closes", "reason": "reason"}


def _shown(value, name: str) -> str:
    if value is None or value == "":
        return "none" if name == "reason" else "quiz's own"
    if isinstance(value, str) and len(value) >= 16 and value[10:11] == "T":
        return f"{value[:10]} {value[11:16]} UTC"  # an ISO time from the snapshot
    return str(value)


class OverrideAction(models.TextChoices):
    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    DELETED = "deleted", "Deleted"
    MEMBERS = "members", "Changed the members of the group of"


class OverrideAuditEntry(models.Model):
    """One create, change or delete of a quiz override, or a change of the members of the group it is
    for: who, when, and the settings (or the members) before and after.

    Keeps the override's id and a label of whom it was for, not foreign keys to them, so the entry
    outlives the override (and reads the same after a learner or group is renamed).
    """

    quiz = models.ForeignKey("quizzes.Quiz", on_delete=models.CASCADE, related_name="override_audit")
    override_id = models.PositiveBigIntegerField()
    subject = models.CharField(max_length=200, help_text="Whom the override was for, as shown then.")
    action = models.CharField(max_length=8, choices=OverrideAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField(default=dict, blank=True, help_text="The override's settings before; {} when created.")
    after = models.JSONField(default=dict, blank=True, help_text="The override's settings after; {} when deleted.")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "override audit entries"

    @property
    def changes(self) -> list[tuple[str, str, str]]:
        """(setting, before, after) for each setting this entry changed, as a person reads them."""
        return [(label, _shown(self.before.get(name), name), _shown(self.after.get(name), name)) for name, label in SETTING_LABELS.items()
                if self.before.get(name) != self.after.get(name)]

    @property
    def members_joined(self) -> list[str]:
        """For a change of a group's members: who joined (usernames), as recorded then."""
        return sorted(set(self.after.get("members", [])) - set(self.before.get("members", [])))

    @property
    def members_left(self) -> list[str]:
        return sorted(set(self.before.get("members", [])) - set(self.after.get("members", [])))

    def __str__(self) -> str:
        return f"{self.get_action_display()} override for {self.subject} at {self.at:%Y-%m-%d %H:%M}"
