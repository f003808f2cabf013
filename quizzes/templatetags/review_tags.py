"""`{% review_due_today as count %}`: the learner's review cards due today, for My learning."""
from django import template

from quizzes.review.selectors import review_due_count

register = template.Library()


@register.simple_tag(takes_context=True)
def review_due_today(context) -> int:
    user = context["request"].user
    return review_due_count(user=user) if user.is_authenticated else 0
