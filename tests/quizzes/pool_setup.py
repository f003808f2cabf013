"""A question bank for pool tests: an unpublished quiz of the course holding labelled questions."""
from quizzes.models import Quiz
from quizzes.services.questions import question_create
from tests.conftest import QUESTION_SPECS


def make_bank(*, lesson, user, count: int, slug: str = "bank", category: str | None = "Attention/Heads",
              tags=("softmax",), title_prefix: str = "Bank"):
    """`count` single-choice questions in an unpublished quiz of `lesson`, titled "<prefix> <n>"."""
    bank = Quiz.objects.create(lesson=lesson, slug=slug, title=f"{title_prefix} questions", is_published=False)
    for n in range(count):
        spec = dict(QUESTION_SPECS["single_choice"], title=f"{title_prefix} {n}", tags=list(tags))
        if category is not None:
            spec["category"] = category
        question_create(quiz=bank, spec=spec, user=user)
    return bank
