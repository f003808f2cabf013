"""REST API for quizzes: quizzes a user may take, their attempts (start, save, submit, review) and,
for a course's instructors, the questions.

Every queryset is scoped to the caller, so another student's attempt or another course's questions
answer 404, exactly like a missing id.
"""
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as BadFilter
from rest_framework.request import Request
from rest_framework.response import Response

from courses.models import Course
from courses.permissions import courses_authored_by

from . import selectors
from .api_checks import AttemptCheckMixin
from .models import Attempt, AttemptState, Question, Quiz
from .permissions import can_author_quiz, can_take_quiz, quizzes_visible_to
from .serializers import (
    AnswerSavedSerializer,
    AnswerSaveSerializer,
    AttemptSerializer,
    QuestionSerializer,
    QuizSerializer,
    attempt_payload,
)
from .services import attempts as attempt_services
from .services import grading
from .services.questions import question_create, question_delete, question_update


def _authored_courses(user) -> QuerySet[Course]:
    return courses_authored_by(user)  # the one authoring rule (courses.permissions)


def _error(error: ValidationError, code: int = status.HTTP_400_BAD_REQUEST) -> Response:
    detail = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages[0]}
    return Response({**detail, "code": getattr(error, "code", None) or "invalid"}, status=code)


class QuizViewSet(viewsets.ReadOnlyModelViewSet):
    """Quizzes the caller may take (published, in courses they are enrolled in), and all quizzes of
    the courses they teach. `POST /quizzes/{id}/start/` starts an attempt or returns the open one."""

    serializer_class = QuizSerializer
    lookup_value_regex = "[0-9]+"  # anything else is a 404 from the router, not a 500 from int()
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or not user.is_authenticated:
            return Quiz.objects.none()
        quizzes = quizzes_visible_to(user).select_related("lesson__course").order_by(
            "lesson__course__slug", "lesson__position", "id"
        )
        lesson = self.request.query_params.get("lesson")
        if lesson:
            quizzes = quizzes.filter(lesson__slug=lesson)
        course = self.request.query_params.get("course")
        if course:
            quizzes = quizzes.filter(lesson__course__slug=course)
        return quizzes.distinct()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["grade_for"] = lambda quiz: selectors.final_grade_for_user(quiz=quiz, user=self.request.user)
        return context

    @extend_schema(
        parameters=[OpenApiParameter("lesson", str, description="A lesson's slug"),
                    OpenApiParameter("course", str, description="A course's slug")],
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={201: AttemptSerializer, 200: AttemptSerializer})
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str) -> Response:
        """Start an attempt; a second call (double click, second tab) returns the attempt already open."""
        quiz = self.get_object()
        if not can_take_quiz(request.user, quiz):
            raise NotFound("No such quiz.")  # authors preview; only learners take quizzes
        already_open = selectors.open_attempt_for_user(quiz=quiz, user=request.user)
        try:
            attempt = attempt_services.attempt_start(quiz=quiz, user=request.user)
        except ValidationError as error:
            return _error(error, status.HTTP_409_CONFLICT)
        created = already_open is None or already_open.pk != attempt.pk
        return Response(attempt_payload(attempt=attempt, reveal=set()),
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class AttemptViewSet(AttemptCheckMixin, viewsets.ReadOnlyModelViewSet):
    """The caller's own attempts (and, for instructors, attempts at their courses' quizzes).

    An attempt in progress shows only public question views and the saved responses; a submitted
    one adds what the quiz's review options reveal now (see `revealed`).
    """

    serializer_class = AttemptSerializer
    lookup_value_regex = "[0-9]+"  # anything else is a 404 from the router, not a 500 from int()
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or not user.is_authenticated:
            return Attempt.objects.none()
        attempts = Attempt.objects.filter(Q(user=user) | Q(quiz__lesson__course__in=_authored_courses(user)))
        quiz_id = _quiz_filter(self.request)
        if quiz_id is not None:
            attempts = attempts.filter(quiz_id=quiz_id)
        return attempts.select_related("quiz__lesson__course", "user").order_by("quiz_id", "user_id", "number").distinct()

    def get_object(self) -> Attempt:
        attempt = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        return attempt_services.attempt_submit_if_overdue(attempt=attempt)

    def _own(self) -> Attempt:
        attempt = self.get_object()
        if attempt.user_id != self.request.user.pk:
            raise NotFound("No such attempt.")  # instructors read attempts, they do not answer them
        return attempt

    def _payload(self, attempt: Attempt) -> dict:
        reveal = selectors.review_visibility(attempt=attempt, user=self.request.user)
        return attempt_payload(attempt=attempt, reveal=reveal)

    @extend_schema(parameters=[OpenApiParameter("quiz", int, description="Only attempts at this quiz")])
    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([self._payload(attempt) for attempt in page])

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return Response(self._payload(self.get_object()))

    @extend_schema(request=AnswerSaveSerializer, responses={200: AnswerSavedSerializer})
    @action(detail=True, methods=["post"])
    def answers(self, request: Request, pk: str) -> Response:
        """Autosave one answer; the last save wins. 409 once the attempt is submitted or its time is up."""
        attempt = get_object_or_404(self.get_queryset(), pk=pk)
        if attempt.user_id != request.user.pk:
            raise NotFound("No such attempt.")
        serializer = AnswerSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        question_id = serializer.validated_data["question"]
        if question_id not in {q for q, _ in attempt.layout}:
            return Response({"question": ["That question is not part of this attempt."]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            # Choices are named by this attempt's public ids; stored by the spec's own.
            response = grading.response_from_public(attempt=attempt, question_id=question_id,
                                                    response=serializer.validated_data["response"])
            answer = attempt_services.answer_save(attempt=attempt, question_id=question_id, response=response,
                                                  unsure=serializer.validated_data.get("unsure"))
        except ValidationError as error:
            conflict = getattr(error, "code", None) in {"submitted", "deadline_passed", "finished"}
            return _error(error, status.HTTP_409_CONFLICT if conflict else status.HTTP_400_BAD_REQUEST)
        return Response(AnswerSavedSerializer({"question": question_id, "saved_at": answer.saved_at}).data)

    @extend_schema(request=None, responses=AttemptSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        """Grade and close the attempt. Submitting again changes nothing and returns the same result."""
        attempt = attempt_services.attempt_submit(attempt=self._own())
        return Response(self._payload(attempt))

    @extend_schema(responses=AttemptSerializer)
    @action(detail=True, methods=["get"])
    def review(self, request: Request, pk: str) -> Response:
        """The review of a submitted attempt, as far as the review options allow now; 409 before submission."""
        attempt = self.get_object()
        if attempt.state != AttemptState.SUBMITTED:
            return Response({"detail": "Submit the attempt to review it.", "code": "not_submitted"},
                            status=status.HTTP_409_CONFLICT)
        return Response(self._payload(attempt))


class QuestionViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """Questions with their full spec (answers and weights included): only for the course's
    instructors and admins. Editing a question that attempts used adds a new version."""

    serializer_class = QuestionSerializer
    lookup_value_regex = "[0-9]+"  # anything else is a 404 from the router, not a 500 from int()
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False):
            return Question.objects.none()
        questions = Question.objects.filter(quiz__lesson__course__in=_authored_courses(user), is_deleted=False)
        quiz_id = _quiz_filter(self.request)
        if quiz_id is not None:
            questions = questions.filter(quiz_id=quiz_id)
        return questions.select_related("quiz").order_by("quiz_id", "position", "id")

    @extend_schema(parameters=[OpenApiParameter("quiz", int, description="Only this quiz's questions")])
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        quiz = serializer.validated_data["quiz"]
        if not can_author_quiz(request.user, quiz):
            raise NotFound("No such quiz.")
        try:
            question = question_create(quiz=quiz, spec=serializer.validated_data["spec"], user=request.user)
        except ValidationError as error:
            return _error(error)
        return Response(self.get_serializer(question).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=QuestionSerializer, responses=QuestionSerializer)
    def update(self, request: Request, *args, **kwargs) -> Response:
        question = self.get_object()
        spec = request.data.get("spec") if isinstance(request.data, dict) else None
        if not isinstance(spec, dict):
            return Response({"spec": ["Send the question's spec as an object."]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            question_update(question=question, spec=spec, user=request.user)
        except ValidationError as error:
            return _error(error)
        return Response(self.get_serializer(Question.objects.get(pk=question.pk)).data)

    @extend_schema(request=QuestionSerializer, responses=QuestionSerializer)
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        return self.update(request, *args, **kwargs)

    def perform_destroy(self, question: Question) -> None:
        question_delete(question=question)  # kept for the attempts that used it


def _quiz_filter(request) -> int | None:
    """The optional `?quiz=<id>` filter: a clear 400 for anything that is not a quiz id (a number too
    large for the database's integer column included, which would otherwise crash the query)."""
    raw = request.query_params.get("quiz")
    if not raw:
        return None
    if not raw.isdigit() or int(raw) > 2**63 - 1:
        raise BadFilter({"quiz": [f"A quiz filter must be a quiz id (a whole number); got {raw[:40]!r}."]})
    return int(raw)
