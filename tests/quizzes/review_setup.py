"""A learner who missed two questions of a three-question quiz: the start of every review test."""
from dataclasses import dataclass

from quizzes.models import Attempt
from quizzes.review.models import ReviewCard
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit

# Authored ids: the services store these; pages and the API show per-card public ids instead.
WRONG = {"single_choice": {"choice": "a"}, "true_false": {"value": False}}
RIGHT = {"numeric": {"value": "8"}}


@dataclass
class Missed:
    attempt: Attempt
    choice_card: ReviewCard  # "Which function normalises scores?" (right: Softmax)
    true_false_card: ReviewCard  # "Attention weights sum to one." (right: True)
    right_question_id: int


def miss_two(make_quiz, user) -> Missed:
    quiz = make_quiz(qtypes=["single_choice", "true_false", "numeric"])
    attempt = attempt_start(quiz=quiz, user=user)
    by_type = {attempt.answers.get(question_id=q).version.qtype: q for q, _ in attempt.layout}
    for qtype, response in {**WRONG, **RIGHT}.items():
        answer_save(attempt=attempt, question_id=by_type[qtype], response=response)
    attempt = attempt_submit(attempt=attempt)
    cards = ReviewCard.objects.filter(user=user)
    return Missed(attempt=attempt, choice_card=cards.get(question_id=by_type["single_choice"]),
                  true_false_card=cards.get(question_id=by_type["true_false"]), right_question_id=by_type["numeric"])
