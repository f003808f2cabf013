"""A learner's review cards (one per missed question, holding its FSRS state) and the log of their reviews.

Imported by quizzes/models.py, so they belong to the quizzes app and its migrations.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from quizzes.id_secrets import new_id_secret


class CardState(models.IntegerChoices):
    # The values of fsrs.State, stored as they are.
    LEARNING = 1, "Learning"
    REVIEW = 2, "Review"
    RELEARNING = 3, "Relearning"


class ReviewRating(models.IntegerChoices):
    # The values of fsrs.Rating.
    AGAIN = 1, "Again"
    HARD = 2, "Hard"
    GOOD = 3, "Good"
    EASY = 4, "Easy"


class ReviewCard(models.Model):
    """One question in one learner's review queue, with the FSRS memory state that schedules it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards")
    question = models.ForeignKey("quizzes.Question", on_delete=models.CASCADE, related_name="review_cards")
    source_attempt = models.ForeignKey("quizzes.Attempt", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                       help_text="The submitted attempt in which the learner missed this question.")
    state = models.PositiveSmallIntegerField(choices=CardState.choices, default=CardState.LEARNING)
    step = models.PositiveSmallIntegerField(null=True, blank=True, help_text="FSRS (re)learning step; empty in review.")
    stability = models.FloatField(null=True, blank=True, help_text="FSRS stability in days; empty before the first review.")
    difficulty = models.FloatField(null=True, blank=True, help_text="FSRS difficulty (1–10); empty before the first review.")
    due = models.DateTimeField(help_text="When the card comes back for review.")
    last_review = models.DateTimeField(null=True, blank=True)
    last_rating = models.PositiveSmallIntegerField(choices=ReviewRating.choices, null=True, blank=True)
    reviews = models.PositiveIntegerField(default=0, help_text="How many times the card was reviewed.")
    # Keys the public choice ids shown in review (quizzes.qtypes.ids), like Attempt.id_secret.
    id_secret = models.CharField(max_length=32, default=new_id_secret, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due", "id"]
        constraints = [
            # A question sits in a learner's queue once, however often it is missed or regraded.
            models.UniqueConstraint(fields=["user", "question"], name="unique_review_card_per_learner_question"),
            models.CheckConstraint(condition=Q(state__gte=1, state__lte=3), name="review_card_state_valid"),
            models.CheckConstraint(condition=Q(last_rating__isnull=True) | Q(last_rating__gte=1, last_rating__lte=4),
                                   name="review_card_rating_valid"),
        ]
        # "The next due card of this learner" is one index range scan, whatever the table's size.
        indexes = [models.Index(fields=["user", "due"], name="review_card_user_due")]

    def __str__(self) -> str:
        return f"{self.user} · question {self.question_id} · due {self.due:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("review:card", kwargs={"card_id": self.pk})


class ReviewLog(models.Model):
    """One review of a card: what was answered, how it was rated, and how the schedule moved."""

    card = models.ForeignKey(ReviewCard, on_delete=models.CASCADE, related_name="logs")
    number = models.PositiveIntegerField(help_text="1 for the card's first review.")
    rating = models.PositiveSmallIntegerField(choices=ReviewRating.choices)
    reviewed_at = models.DateTimeField()
    response = models.JSONField(default=dict, blank=True, help_text="The answer given, in the question's own ids.")
    fraction = models.FloatField(null=True, blank=True, help_text="How right the answer was (0..1); practice only.")
    due_before = models.DateTimeField()
    due_after = models.DateTimeField()

    class Meta:
        ordering = ["card", "number"]
        constraints = [
            # A replayed or doubled submission cannot log the same review twice.
            models.UniqueConstraint(fields=["card", "number"], name="unique_review_log_number"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=4), name="review_log_rating_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.card} · review {self.number} · {self.get_rating_display()}"
