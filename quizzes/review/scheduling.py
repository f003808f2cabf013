"""FSRS (the `fsrs` package) on our ReviewCard rows: the row's fields in, the next state and due date out."""
from __future__ import annotations

from datetime import datetime

from fsrs import Card, Rating, Scheduler, State

from .models import ReviewCard, ReviewRating

# Fuzzing off: a card comes back on the day FSRS computes, so learners (and tests with a moved clock)
# can predict it. Default parameters, 90 % desired retention, learning steps of 1 and 10 minutes.
SCHEDULER = Scheduler(enable_fuzzing=False)

# A full-marks answer counts as "Good", a partly right one as "Hard", a wrong one as "Again".
FULL_MARKS = 1 - 1e-9


def default_rating(fraction: float | None) -> int:
    if fraction is None:
        return ReviewRating.GOOD
    if fraction >= FULL_MARKS:
        return ReviewRating.GOOD
    return ReviewRating.HARD if fraction > 0 else ReviewRating.AGAIN


def fsrs_card(card: ReviewCard) -> Card:
    return Card(card_id=card.pk, state=State(card.state), step=card.step, stability=card.stability,
                difficulty=card.difficulty, due=card.due, last_review=card.last_review)


def schedule(card: ReviewCard, *, rating: int, now: datetime) -> None:
    """Move `card` (not saved) to the state FSRS gives it after a review rated `rating` at `now`."""
    scheduled, _ = SCHEDULER.review_card(fsrs_card(card), Rating(rating), review_datetime=now)
    card.state, card.step = int(scheduled.state), scheduled.step
    card.stability, card.difficulty = scheduled.stability, scheduled.difficulty
    card.due, card.last_review, card.last_rating = scheduled.due, scheduled.last_review, rating
