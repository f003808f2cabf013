"""Template helpers of the instructor's quiz pages."""
from django import template

from ..selectors_authoring import essay_counts

register = template.Library()


@register.simple_tag
def essays_waiting(quiz) -> int:
    """How many submitted essay answers of `quiz` wait for a grade (the badge on the "Essay grading" tab)."""
    return essay_counts(quiz=quiz)
