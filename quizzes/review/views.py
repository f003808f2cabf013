"""/review/: one due card at a time — answer, see right or wrong, rate; FSRS picks the next day.

Every step is a real form (works without JavaScript); with htmx the panel swaps in place.
"""
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from config.json_body import JSONInputError, json_loads

from .models import ReviewCard, ReviewRating
from .page import answered_item, question_item, reveal_for
from .questions import card_question
from .selectors import SESSION_SIZE, review_card_for_user, review_card_next, review_cards_due
from .services import review_card_check, review_card_rate

DONE_IN_SESSION = "review_session"  # [cards rated, when the last was rated (epoch seconds)]
# A pause this long ends a session: coming back later (or tomorrow) starts a fresh one.
SESSION_PAUSE_SECONDS = 30 * 60


def _done_in_session(request: HttpRequest) -> int:
    done, last_rated = request.session.get(DONE_IN_SESSION) or (0, 0)
    return done if timezone.now().timestamp() - last_rated < SESSION_PAUSE_SECONDS else 0


def _count_rated(request: HttpRequest) -> None:
    request.session[DONE_IN_SESSION] = (_done_in_session(request) + 1, timezone.now().timestamp())


def _render(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    context.setdefault("session_size", SESSION_SIZE)
    context.setdefault("done", _done_in_session(request))
    context.setdefault("due_now", len(review_cards_due(user=request.user, limit=SESSION_SIZE + 1)))
    context["ratings"] = ReviewRating.choices
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    context["partial"] = partial
    template = "quizzes/review/partials/panel.html" if partial else "quizzes/review/session.html"
    return render(request, template, context, status=status)


def _question_context(card: ReviewCard | None) -> dict:
    if card is None:
        return {"item": None}
    if card.due > timezone.now():
        return {"item": None, "not_due": card}
    return {"item": question_item(card_question(card))}


@require_GET
@login_required
def review_session(request: HttpRequest) -> HttpResponse:
    return _next_card_page(request)


def _next_card_page(request: HttpRequest) -> HttpResponse:
    if _done_in_session(request) >= SESSION_SIZE:
        return _render(request, {"item": None, "session_complete": True})
    return _render(request, _question_context(review_card_next(user=request.user)))


@require_POST
@login_required
def review_session_restart(request: HttpRequest) -> HttpResponse:
    request.session.pop(DONE_IN_SESSION, None)
    return redirect("review:session")


@require_GET
@login_required
def review_card(request: HttpRequest, card_id: int) -> HttpResponse:
    return _render(request, _question_context(review_card_for_user(user=request.user, card_id=card_id)))


@require_POST
@login_required
def review_check(request: HttpRequest, card_id: int) -> HttpResponse:
    card = review_card_for_user(user=request.user, card_id=card_id)
    posted = card_question(card).public_response_from_form(request.POST)
    try:
        outcome = review_card_check(card=card, response=posted)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _render(request, _question_context(card), status=400)
    item = answered_item(outcome, reveal=reveal_for(card, request.user))
    return _render(request, {"item": item, "answered": True, "posted_json": json.dumps(posted)})


@require_POST
@login_required
def review_rate(request: HttpRequest, card_id: int) -> HttpResponse:
    card = review_card_for_user(user=request.user, card_id=card_id)
    try:
        response = json_loads(request.POST.get("response") or "{}")
        rating, seen = int(request.POST.get("rating", "")), int(request.POST.get("seen", ""))
        if rating not in ReviewRating.values:
            raise ValueError(rating)
        rated = review_card_rate(card=card, user=request.user, response=response, rating=rating, seen_reviews=seen)
    except (JSONInputError, ValueError):
        messages.error(request, "Choose Again, Hard, Good or Easy to rate your answer.")
        return redirect(card.get_absolute_url())
    except ValidationError as error:
        messages.info(request, error.messages[0])  # a replayed rating, a card not due: move on
        return redirect("review:session")
    _count_rated(request)
    messages.success(request, f"Rated {ReviewRating(rating).label}. This question comes back "
                              f"{_when(rated.card.due)}.")
    if request.htmx:
        return _next_card_page(request)  # the next card in place, without a second round trip
    return redirect("review:session")


def _when(due) -> str:
    minutes = max(1, round((due - timezone.now()).total_seconds() / 60))
    if minutes < 120:
        return f"in {minutes} minute{'s' if minutes > 1 else ''}"
    if minutes < 24 * 60:
        return f"in {round(minutes / 60)} hours"
    return f"on {timezone.localtime(due):%d %B %Y}"
