"""/api/review/: the caller's due review cards (public views only) and answering one with a rating.

Only the caller's own cards exist here: another learner's card id is a 404, like a missing one.
Practice only: nothing here changes an attempt or a grade.
"""
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from .models import ReviewCard, ReviewRating
from .page import answered_payload, reveal_for
from .questions import CardQuestion, card_question, card_questions
from .selectors import SESSION_SIZE, review_card_for_user, review_cards_due, review_due_count
from .services import review_card_rate

RATING_NAMES = {label.lower(): value for value, label in ReviewRating.choices}


class ReviewRateThrottle(UserRateThrottle):
    """Generous for a person (a card takes seconds), a stop for a script rating in a loop."""

    scope = "review"
    rate = "120/min"


class DueCardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    question = serializers.IntegerField()
    due = serializers.DateTimeField()
    reviews = serializers.IntegerField(help_text="Send it back as `seen_reviews` when answering.")
    last_rating = serializers.ChoiceField(choices=list(RATING_NAMES), allow_null=True)
    public = serializers.JSONField(help_text="The question's text and choices in this card's ids: never the answer.")


class DueCardsSerializer(serializers.Serializer):
    due_today = serializers.IntegerField(help_text="Cards due by the end of today.")
    cards = DueCardSerializer(many=True, help_text=f"Up to {SESSION_SIZE} cards due now, earliest first.")


class ReviewAnswerSerializer(serializers.Serializer):
    response = serializers.DictField(help_text="The answer, naming choices by the ids of the card's `public` view "
                                     "(the same shapes as an attempt's answers).")
    rating = serializers.ChoiceField(choices=list(RATING_NAMES), required=False,
                                     help_text="Omitted: good when right, hard when partly right, again when wrong.")
    seen_reviews = serializers.IntegerField(min_value=0, max_value=2**31 - 1,
                                            help_text="The card's `reviews` when it was shown; a replay is refused (409).")


class ReviewResultSerializer(serializers.Serializer):
    card = serializers.IntegerField()
    state = serializers.CharField(help_text="correct, partial, incorrect or unanswered")
    fraction = serializers.FloatField(allow_null=True)
    response = serializers.JSONField()
    feedback = serializers.ListField(child=serializers.CharField(), required=False)
    right_answer = serializers.JSONField(required=False)
    general_feedback = serializers.CharField(required=False)
    rating = serializers.ChoiceField(choices=list(RATING_NAMES))
    reviews = serializers.IntegerField()
    next_due = serializers.DateTimeField()


def _card_payload(card: ReviewCard, question: CardQuestion | None = None) -> dict:
    question = question or card_question(card)
    return {"id": card.pk, "question": card.question_id, "due": card.due, "reviews": card.reviews,
            "last_rating": ReviewRating(card.last_rating).label.lower() if card.last_rating else None,
            "public": question.public()}


class ReviewQueueAPIView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [ReviewRateThrottle]

    @extend_schema(operation_id="review_queue_list", responses=DueCardsSerializer)
    def get(self, request: Request) -> Response:
        """The caller's cards due now (a short session's worth) and how many are due today."""
        cards = review_cards_due(user=request.user)
        return Response({"due_today": review_due_count(user=request.user),
                         "cards": [_card_payload(q.card, q) for q in card_questions(cards)]})


class ReviewCardAPIView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [ReviewRateThrottle]

    @extend_schema(operation_id="review_card_retrieve", responses=DueCardSerializer)
    def get(self, request: Request, card_id: int) -> Response:
        """One of the caller's cards, as it would be shown."""
        return Response(_card_payload(review_card_for_user(user=request.user, card_id=card_id)))

    @extend_schema(operation_id="review_card_answer", request=ReviewAnswerSerializer, responses={200: ReviewResultSerializer})
    def post(self, request: Request, card_id: int) -> Response:
        """Answer a due card and rate it; FSRS schedules the next review. 409 when already reviewed or not due."""
        card = review_card_for_user(user=request.user, card_id=card_id)
        serializer = ReviewAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        rating = RATING_NAMES[data["rating"]] if "rating" in data else None
        try:
            outcome = review_card_rate(card=card, user=request.user, response=data["response"], rating=rating,
                                       seen_reviews=data["seen_reviews"])
        except ValidationError as error:
            conflict = error.code in {"already_reviewed", "not_due"}
            return Response({"detail": error.messages[0], "code": error.code},
                            status=status.HTTP_409_CONFLICT if conflict else status.HTTP_400_BAD_REQUEST)
        payload = answered_payload(outcome, reveal=reveal_for(outcome.card, request.user))
        payload.update(rating=ReviewRating(outcome.log.rating).label.lower(), reviews=outcome.card.reviews,
                       next_due=outcome.card.due)
        return Response(payload)
