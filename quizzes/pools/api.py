"""REST API of random slots, for the course's instructors and staff only: list, add, change, remove, and
how many questions a filter matches. Anyone else gets 404, as if the slot or quiz did not exist."""
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from courses.permissions import courses_authored_by

from ..models import Quiz
from .models import MAX_DRAW, RandomSlot
from .selectors import pool_questions, slot_pool
from .services import SlotInput, random_slot_create, random_slot_delete, random_slot_update, slot_lesson


class RandomSlotSerializer(serializers.ModelSerializer):
    quiz = serializers.IntegerField(source="quiz_id", min_value=1, max_value=2**63 - 1)
    draw_count = serializers.IntegerField(min_value=1, max_value=MAX_DRAW)
    lesson = serializers.IntegerField(source="lesson_id", allow_null=True, required=False, min_value=1,
                                      max_value=2**63 - 1, help_text="A lesson of the quiz's course; null: the whole course.")
    category = serializers.CharField(allow_blank=True, required=False, max_length=255)
    tag = serializers.CharField(allow_blank=True, required=False, max_length=50)
    available = serializers.SerializerMethodField(help_text="How many questions the pool holds now.")

    class Meta:
        model = RandomSlot
        fields = ["id", "quiz", "position", "draw_count", "lesson", "category", "tag", "available"]
        read_only_fields = ["id", "position", "available"]

    def get_available(self, slot: RandomSlot) -> int:
        return slot_pool(slot=slot).count()


class PoolCountSerializer(serializers.Serializer):
    available = serializers.IntegerField()


def _error(error: ValidationError) -> Response:
    detail = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
    return Response(detail, status=status.HTTP_400_BAD_REQUEST)


def _input(data: dict) -> SlotInput:
    return SlotInput(draw_count=data["draw_count"], lesson_id=data.get("lesson_id"),
                     category=data.get("category", ""), tag=data.get("tag", ""))


class RandomSlotViewSet(viewsets.ModelViewSet):
    """Random slots of the quizzes of courses the caller teaches. A slot draws `draw_count` questions per
    attempt from the course's live questions matching lesson, category and tag (the quiz's own excepted)."""

    serializer_class = RandomSlotSerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[RandomSlot]:
        if getattr(self, "swagger_fake_view", False) or not self.request.user.is_authenticated:
            return RandomSlot.objects.none()
        slots = RandomSlot.objects.filter(quiz__lesson__course__in=courses_authored_by(self.request.user))
        quiz = self.request.query_params.get("quiz", "")
        if quiz:
            slots = slots.filter(quiz_id=int(quiz)) if quiz.isascii() and quiz.isdigit() and len(quiz) < 19 else slots.none()
        return slots.select_related("quiz__lesson", "lesson").order_by("quiz_id", "position", "id")

    def _authored_quiz(self, quiz_id) -> Quiz:
        quizzes = Quiz.objects.filter(lesson__course__in=courses_authored_by(self.request.user)).select_related("lesson")
        quiz = quizzes.filter(pk=quiz_id).first()
        if quiz is None:
            raise NotFound("No such quiz.")
        return quiz

    @extend_schema(parameters=[OpenApiParameter("quiz", int, description="Only this quiz's random slots")])
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        quiz = self._authored_quiz(serializer.validated_data["quiz_id"])
        try:
            slot = random_slot_create(quiz=quiz, data=_input(serializer.validated_data))
        except ValidationError as error:
            return _error(error)
        return Response(self.get_serializer(slot).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        slot = self.get_object()
        partial = kwargs.get("partial", False)
        serializer = self.get_serializer(slot, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        current = {"draw_count": slot.draw_count, "lesson_id": slot.lesson_id, "category": slot.category, "tag": slot.tag}
        changes = {key: value for key, value in serializer.validated_data.items() if key != "quiz_id"}
        try:
            random_slot_update(slot=slot, data=_input({**current, **changes}))
        except ValidationError as error:
            return _error(error)
        return Response(self.get_serializer(RandomSlot.objects.get(pk=slot.pk)).data)

    def perform_destroy(self, slot: RandomSlot) -> None:
        random_slot_delete(slot=slot)

    @extend_schema(parameters=[OpenApiParameter("quiz", int, required=True), OpenApiParameter("lesson", int),
                               OpenApiParameter("category", str), OpenApiParameter("tag", str)],
                   responses=PoolCountSerializer)
    @action(detail=False, methods=["get"], url_path="pool-count")
    def pool_count(self, request: Request) -> Response:
        """How many questions a filter matches now, for a quiz the caller teaches (never learners)."""
        quiz_id = request.query_params.get("quiz", "")
        if not (quiz_id.isascii() and quiz_id.isdigit() and len(quiz_id) < 19):
            raise NotFound("No such quiz.")
        quiz = self._authored_quiz(int(quiz_id))
        try:
            lesson = slot_lesson(quiz=quiz, value=request.query_params.get("lesson") or None)
        except ValidationError as error:
            return _error(error)
        params = request.query_params
        available = pool_questions(quiz=quiz, lesson=lesson, category=params.get("category", "")[:255], tag=params.get("tag", "")[:50]).count()
        return Response({"available": available})
