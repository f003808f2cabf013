"""Writes of the review queue: missed questions enter it when an attempt is submitted; a review is
graded for practice, rated, and scheduled by FSRS. No function here touches an Attempt or an Answer."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from quizzes import domain
from quizzes.grade_visibility import review_visibility
from quizzes.models import Answer, Attempt, AttemptState
from quizzes.qtypes import qtype_for

from .models import ReviewCard, ReviewLog, ReviewRating
from .questions import CardQuestion, card_question
from .scheduling import FULL_MARKS, default_rating, schedule


def review_cards_add_from_attempt(*, attempt: Attempt, now: datetime | None = None, answers: list[Answer] | None = None) -> int:
    """Queue every question the learner missed (less than full marks) or marked "not sure" in a
    submitted attempt.

    Safe to call twice and from two processes at once: the unique (learner, question) constraint and
    ignore_conflicts make a second insert a no-op, so a resubmit or regrade never duplicates a card and
    a question already in the queue keeps its schedule. Questions a person grades (essays) stay out:
    a review grades itself. Returns how many questions were queued. `answers`: the attempt's graded answers with their versions, when the
    caller holds them already (the submit does).
    """
    if attempt.state != AttemptState.SUBMITTED:
        return 0
    # Only where the learner may already see which answers were wrong: review must not reveal more.
    if "correctness" not in review_visibility(attempt=attempt, user=attempt.user, now=now):
        return 0
    now = now or timezone.now()
    missed = [
        answer.question_id
        for answer in (answers if answers is not None else Answer.objects.filter(attempt=attempt).select_related("version"))
        if answer.fraction is not None and (answer.fraction < FULL_MARKS or answer.unsure)
        and not qtype_for(answer.version.spec).graded_by_person
    ]
    ReviewCard.objects.bulk_create(
        [ReviewCard(user_id=attempt.user_id, question_id=question_id, source_attempt=attempt, due=now)
         for question_id in missed],
        ignore_conflicts=True,
    )
    return len(missed)


@dataclass(frozen=True)
class ReviewOutcome:
    card: ReviewCard
    question: CardQuestion
    response: dict  # in the question's own ids
    result: domain.GradeResult
    log: ReviewLog | None = None


def review_card_check(*, card: ReviewCard, response, now: datetime | None = None) -> ReviewOutcome:
    """Grade an answer to a due card, for the learner to see before rating; nothing is stored."""
    _refuse_if_not_due(card, now or timezone.now())
    question = card_question(card)
    authored = question.response_from_public(response)
    return ReviewOutcome(card=card, question=question, response=authored, result=question.grade(authored))


def review_card_rate(*, card: ReviewCard, user: User, response, rating: int | None, seen_reviews: int,
                     now: datetime | None = None) -> ReviewOutcome:
    """Grade the answer, log the review and let FSRS schedule the card's next due date.

    `seen_reviews` is the card's review count when the question was shown: a replayed or doubled
    submission carries an old count and is refused ("already_reviewed") instead of logging twice.
    `rating` None takes the default from correctness (Good / Hard / Again).
    """
    now = now or timezone.now()
    if rating is not None and rating not in ReviewRating.values:
        raise ValidationError("Rate with Again, Hard, Good or Easy.", code="bad_rating")
    try:
        with transaction.atomic():
            # Two tabs or a double click rate the same card: the row lock makes the second wait,
            # then see the new review count and stop.
            locked = ReviewCard.objects.select_for_update().get(pk=card.pk, user=user)
            if locked.reviews != seen_reviews:
                raise ValidationError("This card was already reviewed; here is the next one.", code="already_reviewed")
            _refuse_if_not_due(locked, now)
            question = card_question(locked)
            authored = question.response_from_public(response)
            result = question.grade(authored)
            rating = rating or default_rating(result.fraction)
            due_before = locked.due
            schedule(locked, rating=rating, now=now)
            locked.reviews += 1
            log = ReviewLog.objects.create(card=locked, number=locked.reviews, rating=rating, reviewed_at=now,
                                           response=authored, fraction=result.fraction,
                                           due_before=due_before, due_after=locked.due)
            locked.save(update_fields=["state", "step", "stability", "difficulty", "due", "last_review",
                                       "last_rating", "reviews"])
    except IntegrityError:
        # Backstop where row locks are weaker: the unique (card, number) refused a second log.
        raise ValidationError("This card was already reviewed; here is the next one.", code="already_reviewed") from None
    return ReviewOutcome(card=locked, question=question, response=authored, result=result, log=log)


def _refuse_if_not_due(card: ReviewCard, now: datetime) -> None:
    if card.due > now:
        raise ValidationError(f"This card is not due until {timezone.localtime(card.due):%d %B %Y at %H:%M}.",
                              code="not_due")
