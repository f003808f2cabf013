"""The random slot form: what the editor shows. quizzes.pools.services checks what it sends."""
from django import forms

from ..models import Quiz
from .models import MAX_DRAW, RandomSlot
from .services import SlotInput


class RandomSlotForm(forms.Form):
    draw_count = forms.CharField(label="Questions to draw", initial="1", widget=forms.NumberInput(
        attrs={"min": 1, "max": MAX_DRAW, "inputmode": "numeric", "required": True}),
        help_text=f"Each attempt gets this many different questions (1 to {MAX_DRAW}).")
    lesson = forms.CharField(label="From lesson", required=False, widget=forms.Select,
                             help_text="Questions of this lesson's quizzes, such as an unpublished question bank.")
    category = forms.CharField(label="Category", required=False, max_length=255,
                               help_text="Includes its subcategories: “Attention” also takes “Attention/Heads”.")
    tag = forms.CharField(label="Tag", required=False, max_length=50)

    def __init__(self, *args, quiz: Quiz, slot: RandomSlot | None = None, **kwargs):
        if slot is not None and "initial" not in kwargs:
            kwargs["initial"] = {"draw_count": slot.draw_count, "lesson": slot.lesson_id or "",
                                 "category": slot.category, "tag": slot.tag}
        super().__init__(*args, **kwargs)
        lessons = quiz.lesson.course.lessons.order_by("position", "id").values_list("id", "title")
        self.fields["lesson"].widget.choices = [("", "Any lesson of the course"), *lessons]
        self.fields["category"].widget.attrs["list"] = "pool-categories"
        self.fields["tag"].widget.attrs["list"] = "pool-tags"

    def slot_input(self) -> SlotInput:
        data = self.data
        return SlotInput(draw_count=data.get("draw_count", ""), lesson_id=data.get("lesson") or None,
                         category=data.get("category", ""), tag=data.get("tag", ""))
