"""Writes for random slots: add, change and remove one, each checked against its course and its pool."""
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from courses.models import Lesson

from ..domain.control_characters import text_without_control_characters
from ..models import Quiz
from .models import MAX_DRAW, RandomSlot
from .selectors import pool_questions


@dataclass(frozen=True)
class SlotInput:
    """A slot as a person asked for it, before any check. `lesson_id` None means the whole course."""

    draw_count: object
    lesson_id: object = None
    category: object = ""
    tag: object = ""


def _text(value: object, field: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({field: ValidationError("Give this as text.", code="bad_type")})
    value = text_without_control_characters(value).strip()
    if len(value) > limit:
        raise ValidationError({field: ValidationError(f"Keep this under {limit} characters.", code="too_long")})
    return value


def _count(value: object) -> int:
    text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    if not text.lstrip("-").isdigit() or not text.lstrip("-").isascii():
        raise ValidationError({"draw_count": ValidationError("Give a whole number of questions to draw.", code="not_a_number")})
    # A hundred-digit number is refused by its length, not parsed in full.
    count = int(text) if len(text) <= 6 else MAX_DRAW + 1
    if not 1 <= count <= MAX_DRAW:
        raise ValidationError({"draw_count": ValidationError(
            f"Draw between 1 and {MAX_DRAW} questions.", code="out_of_range")})
    return count


def slot_lesson(*, quiz: Quiz, value: object) -> Lesson | None:
    """The lesson a filter names, only among the quiz's course's lessons."""
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not str(value).isascii() or not str(value).isdigit() or len(str(value)) > 18:
        raise ValidationError({"lesson": ValidationError("Choose a lesson of this course.", code="bad_lesson")})
    lesson = Lesson.objects.filter(pk=int(value), course_id=quiz.lesson.course_id).first()
    if lesson is None:  # another course's lesson reads exactly like a missing one
        raise ValidationError({"lesson": ValidationError("Choose a lesson of this course.", code="bad_lesson")})
    return lesson


def slot_clean(*, quiz: Quiz, data: SlotInput) -> dict:
    """The checked fields of a slot, or ValidationError keyed by field. The pool must hold enough now."""
    fields = {"draw_count": _count(data.draw_count), "lesson": slot_lesson(quiz=quiz, value=data.lesson_id),
              "category": _text(data.category, "category", 255), "tag": _text(data.tag, "tag", 50)}
    available = pool_questions(quiz=quiz, lesson=fields["lesson"], category=fields["category"], tag=fields["tag"]).count()
    if available < fields["draw_count"]:
        raise ValidationError({"draw_count": ValidationError(
            f"Only {available} question{'' if available == 1 else 's'} match this filter; draw at most "
            f"{available} or widen the filter.", code="pool_too_small")})
    return fields


def random_slot_create(*, quiz: Quiz, data: SlotInput) -> RandomSlot:
    fields = slot_clean(quiz=quiz, data=data)
    with transaction.atomic():
        position = (RandomSlot.objects.filter(quiz=quiz).aggregate(p=Max("position"))["p"] or 0) + 1
        return RandomSlot.objects.create(quiz=quiz, position=position, **fields)


def random_slot_update(*, slot: RandomSlot, data: SlotInput) -> RandomSlot:
    """Later attempts draw with the new filter; attempts already started keep what they drew."""
    for name, value in slot_clean(quiz=slot.quiz, data=data).items():
        setattr(slot, name, value)
    slot.save(update_fields=["draw_count", "lesson", "category", "tag"])
    return slot


def random_slot_delete(*, slot: RandomSlot) -> None:
    """Attempts that drew from the slot keep their questions: they are in the attempts' layouts."""
    slot.delete()
