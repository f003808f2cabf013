"""What the /review/ page and the API show of a card: the question's inputs from its public view
before answering, and after answering the type's own review marks, limited to what the source quiz's
review options reveal now."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import User

from quizzes.page_data import STATE_LABELS
from quizzes.qtypes.page_parts import QuestionForm, Review
from quizzes.rendering import render_text
from quizzes.selectors import review_visibility

from .models import ReviewCard, ReviewRating
from .questions import CardQuestion
from .scheduling import default_rating
from .services import ReviewOutcome


@dataclass
class ReviewItem:
    card: ReviewCard
    prefix: str
    text_html: str
    form: QuestionForm
    public: dict
    number: int = 1  # question_inputs.html labels the inputs with it
    review: Review = field(default_factory=Review)
    default_rating: int = ReviewRating.GOOD


def reveal_for(card: ReviewCard, user: User) -> set[str]:
    """What the review may show beyond right/wrong: what the learner's quiz review shows now.

    Correctness always shows: a card exists only where the learner already saw it (services)."""
    if card.source_attempt is None:
        return {"correctness"}
    return review_visibility(attempt=card.source_attempt, user=user) | {"correctness"}


def question_item(question: CardQuestion, *, response: dict | None = None) -> ReviewItem:
    """The question before answering (or refilled with `response`, in the spec's ids)."""
    public = question.public()
    return ReviewItem(
        card=question.card, prefix=question.prefix, public=public,
        text_html=render_text(public["text"], public.get("text_format")),
        form=question.qtype.question_form(question.spec, public, response or {}, question.ids),
    )


def answered_item(outcome: ReviewOutcome, *, reveal: set[str]) -> ReviewItem:
    """The answered question with the type's review marks: right/wrong, feedback and the right answer."""
    question, result = outcome.question, outcome.result
    item = question_item(question, response=outcome.response)
    feedback = [entry.to_json() for entry in result.feedback]
    review = item.review
    review.state = result.state
    review.state_label = STATE_LABELS.get(result.state, result.state)
    question.qtype.mark_correctness(item.form, question.spec, feedback)
    if "feedback" in reveal:
        texts = [entry["text"] for entry in feedback if entry.get("text")]
        if texts:
            review.feedback_html = render_text("\n\n".join(texts), question.spec.text_format)
    if "right_answer" in reveal:
        question.qtype.mark_right_answer(item.form, review, question.spec)
    if "general_feedback" in reveal and question.spec.general_feedback:
        review.general_feedback_html = render_text(question.spec.general_feedback, question.spec.text_format)
    item.default_rating = default_rating(result.fraction)
    return item


def answered_payload(outcome: ReviewOutcome, *, reveal: set[str]) -> dict:
    """The API's answer to a review: the result and, as revealed, feedback and the right answer."""
    question, result = outcome.question, outcome.result
    payload = {"card": outcome.card.pk, "state": result.state, "fraction": result.fraction,
               "response": question.response_to_public(outcome.response)}
    if "feedback" in reveal:
        payload["feedback"] = [entry.text for entry in result.feedback if entry.text]
    if "right_answer" in reveal:
        payload["right_answer"] = question.response_to_public(question.qtype.correct_response(question.spec))
    if "general_feedback" in reveal:
        payload["general_feedback"] = question.spec.general_feedback or ""
    return payload
