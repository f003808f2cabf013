"""Random slots and the labels (category, tags) of each question's latest version that pools filter by.

Imported by quizzes/models.py, so they belong to the quizzes app and its migrations.
"""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

# The most questions one slot may draw: a quiz is read in one sitting, and a draw must stay fast.
MAX_DRAW = 100


class LabelKind(models.TextChoices):
    CATEGORY = "category", "Category"
    TAG = "tag", "Tag"


class PoolLabel(models.Model):
    """A category or tag of a question's latest version, case-folded, so pools filter with an index
    instead of reading every spec. Rewritten whenever a version is saved (quizzes.pools.labels)."""

    question = models.ForeignKey("quizzes.Question", on_delete=models.CASCADE, related_name="pool_labels")
    kind = models.CharField(max_length=8, choices=LabelKind.choices)
    value = models.CharField(max_length=255, help_text="Case-folded; a category keeps its '/' path.")

    class Meta:
        ordering = ["question", "kind", "value"]
        indexes = [models.Index(fields=["kind", "value", "question"], name="pool_label_lookup")]
        constraints = [models.UniqueConstraint(fields=["question", "kind", "value"], name="unique_pool_label")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


class RandomSlot(models.Model):
    """`draw_count` questions drawn at random, per learner and attempt, from the pool the filter selects."""

    quiz = models.ForeignKey("quizzes.Quiz", on_delete=models.CASCADE, related_name="random_slots")
    position = models.PositiveIntegerField(default=0, help_text="Order among the quiz's random slots; "
                                           "drawn questions follow the fixed ones.")
    draw_count = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_DRAW)],
        help_text="How many questions each attempt draws from the pool.")
    lesson = models.ForeignKey("courses.Lesson", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               help_text="Only questions of this lesson's quizzes (empty: the whole course).")
    category = models.CharField(max_length=255, blank=True, help_text="Only this category and its subcategories.")
    tag = models.CharField(max_length=50, blank=True, help_text="Only questions with this tag.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["quiz", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(draw_count__gte=1) & Q(draw_count__lte=MAX_DRAW),
                                   name="random_slot_draw_count_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.draw_count} random from {self.pool_description}"

    @property
    def pool_description(self) -> str:
        parts = []
        if self.lesson_id:
            parts.append(f"lesson “{self.lesson.title}”")
        if self.category:
            parts.append(f"category “{self.category}”")
        if self.tag:
            parts.append(f"tag “{self.tag}”")
        return ", ".join(parts) or "the whole course"


class DrawnQuestion(models.Model):
    """A question of another quiz that some attempt at `quiz` drew: reports and summaries list these
    with the quiz's own questions, from this small table rather than a scan of every answer."""

    quiz = models.ForeignKey("quizzes.Quiz", on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey("quizzes.Question", on_delete=models.CASCADE, related_name="+")
    first_drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["quiz", "question"]
        constraints = [models.UniqueConstraint(fields=["quiz", "question"], name="unique_drawn_question")]

    def __str__(self) -> str:
        return f"{self.question_id} drawn in {self.quiz_id}"
