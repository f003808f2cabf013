"""Choices and matching items are named by per-attempt public ids: tests pick them by their visible text,
as a learner does, from the public view the page and the API show."""
from quizzes.models import Attempt, QuestionVersion
from quizzes.services.grading import public_question


def public_of(attempt: Attempt, question_id: int) -> dict:
    """The public view of one question of `attempt`, in its ids and order."""
    version_id = next(v for q, v in attempt.layout if q == question_id)
    return public_question(attempt=attempt, version=QuestionVersion.objects.get(pk=version_id))


def pick(public: dict, text: str) -> str:
    """The id of the choice, left or right matching item with this visible text in a public view."""
    for part in ("choices", "left", "right", "tokens"):
        for item in public.get(part, []):
            if item["text"] == text:
                return item["id"]
    raise LookupError(f"no choice or item reads {text!r}")


def choice(attempt: Attempt, question_id: int, text: str) -> str:
    """The public id of the option reading `text` in this attempt's question."""
    return pick(public_of(attempt, question_id), text)


def matching(attempt: Attempt, question_id: int, pairs: dict[str, str]) -> dict[str, str]:
    """{left text: right text} as a matching response in this attempt's public ids."""
    public = public_of(attempt, question_id)
    return {pick(public, left): pick(public, right) for left, right in pairs.items()}
