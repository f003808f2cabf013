"""Reads of the review queue: a learner's due cards and their count, and one card of theirs."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from .models import ReviewCard

SESSION_SIZE = 10
MAX_ID = 2**63 - 1  # a short session: a few minutes, then stop while it still feels easy


def _live(user: User) -> QuerySet[ReviewCard]:
    # A deleted question leaves the queue with it (its card stays, in case it is restored).
    return ReviewCard.objects.filter(user=user, question__is_deleted=False)


def review_cards_due(*, user: User, now: datetime | None = None, limit: int = SESSION_SIZE) -> list[ReviewCard]:
    """The learner's cards due now, earliest first: one range scan of the (user, due) index."""
    now = now or timezone.now()
    return list(_live(user).filter(due__lte=now).select_related("question").order_by("due", "id")[:limit])


def review_card_next(*, user: User, now: datetime | None = None) -> ReviewCard | None:
    cards = review_cards_due(user=user, now=now, limit=1)
    return cards[0] if cards else None


def review_due_count(*, user: User, now: datetime | None = None) -> int:
    """Cards due by the end of the learner's day (in the site's time zone): "Due today: N"."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    end_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return _live(user).filter(due__lt=end_of_day).count()


def review_card_for_user(*, user: User, card_id: int) -> ReviewCard:
    """The learner's own card; another learner's card is not acknowledged (404), like a missing id."""
    if card_id > MAX_ID:  # larger than the id column holds: no such card (not a database overflow)
        raise Http404("No such review card.")
    card = _live(user).select_related("question", "source_attempt__quiz").filter(pk=card_id).first()
    if card is None:
        raise Http404("No such review card.")
    return card
