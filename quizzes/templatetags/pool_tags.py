"""Template helpers of random slots (quizzes.pools): the quiz editor lists them without a view change."""
from django import template

from ..pools.selectors import draws_per_attempt, slot_rows

register = template.Library()


@register.simple_tag
def random_slot_rows(quiz) -> list:
    """(slot, questions its pool holds now) for each random slot of `quiz`."""
    return slot_rows(quiz=quiz)


@register.simple_tag
def drawn_per_attempt(quiz) -> int:
    return draws_per_attempt(quiz=quiz)
