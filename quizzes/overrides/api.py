"""REST API for quiz overrides, for the quiz's course instructors and staff only.

Overrides of other courses answer 404 like missing ids; a learner never reaches this API (they read
their own effective settings as `my_settings` on /api/quizzes/{id}/). Every write goes through the
services, so the API and the pages share the rules and the audit trail.
"""
from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from courses.permissions import courses_authored_by

from ..api import _error, _quiz_filter
from ..models import Quiz
from . import selectors, services
from .models import MAX_ATTEMPTS, MAX_TIME_LIMIT_MINUTES, OverrideAuditEntry, QuizOverride

MAX_ID = 2**63 - 1


class OverrideSettingsSerializer(serializers.Serializer):
    opens_at = serializers.DateTimeField(required=False, allow_null=True, help_text="null: the quiz's own")
    closes_at = serializers.DateTimeField(required=False, allow_null=True, help_text="null: the quiz's own")
    time_limit_minutes = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_TIME_LIMIT_MINUTES,
                                                  help_text="null: the quiz's own; 0: no time limit")
    attempts_allowed = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_ATTEMPTS,
                                                help_text="null: the quiz's own; 0: unlimited")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=services.MAX_REASON_CHARS,
                                   help_text="Why (an accommodation note); staff only")


class OverrideCreateSerializer(OverrideSettingsSerializer):
    quiz = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    user = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID,
                                    help_text="A learner enrolled in the quiz's course (or give `group`)")
    group = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID,
                                     help_text="A learner group of the quiz's course (or give `user`)")


class OverrideSerializer(serializers.ModelSerializer):
    subject = serializers.CharField(source="subject_label", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = QuizOverride
        fields = ["id", "quiz", "user", "group", "subject", "opens_at", "closes_at", "time_limit_minutes",
                  "attempts_allowed", "reason", "created_by", "created_at", "updated_at"]
        read_only_fields = fields


class AuditEntrySerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = OverrideAuditEntry
        fields = ["id", "quiz", "override_id", "subject", "action", "actor", "at", "before", "after"]
        read_only_fields = fields


def _settings(serializer: serializers.Serializer, current: QuizOverride | None = None) -> dict:
    """The settings to store: those sent, and for a partial update the override's others as they are."""
    names = ("opens_at", "closes_at", "time_limit_minutes", "attempts_allowed", "reason")
    return {name: serializer.validated_data.get(name, getattr(current, name) if current else None) for name in names}


def _scoped(manager, request):
    """Rows of the quizzes of courses the caller authors (staff: all), optionally of one quiz (`?quiz=`)."""
    rows = manager.filter(quiz__lesson__course__in=courses_authored_by(request.user))
    quiz_id = _quiz_filter(request)
    return rows if quiz_id is None else rows.filter(quiz_id=quiz_id)


class QuizOverrideViewSet(viewsets.ModelViewSet):
    """Per-learner and per-group overrides of a quiz's dates, time limit and attempts.

    Whom an override is for cannot change: delete it and add another. `GET /api/quiz-override-audit/?quiz=<id>`
    lists the quiz's audit trail (who changed what, before → after)."""

    serializer_class = OverrideSerializer
    lookup_value_regex = "[0-9]+"
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return QuizOverride.objects.none()
        return _scoped(QuizOverride.objects, self.request).select_related("user", "group", "created_by").order_by("quiz_id", "id")

    @extend_schema(parameters=[OpenApiParameter("quiz", int, description="Only this quiz's overrides")])
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=OverrideCreateSerializer, responses={201: OverrideSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        incoming = OverrideCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        quiz = Quiz.objects.filter(pk=data["quiz"], lesson__course__in=courses_authored_by(request.user)).select_related("lesson").first()
        if quiz is None:
            raise NotFound("No such quiz.")
        # Ids outside the course read like ids that do not exist: nothing about other courses leaks.
        user = selectors.learners_for_overrides(quiz=quiz).filter(pk=data.get("user")).first() if data.get("user") else None
        group = selectors.groups_for_overrides(quiz=quiz).filter(pk=data.get("group")).first() if data.get("group") else None
        if data.get("user") and user is None:
            return Response({"user": ["Only learners enrolled in this course can have an override."], "code": "not_enrolled"},
                            status=status.HTTP_400_BAD_REQUEST)
        if data.get("group") and group is None:
            return Response({"group": ["Choose a group of this quiz's course."], "code": "other_course"}, status=status.HTTP_400_BAD_REQUEST)
        try:
            override = services.override_create(quiz=quiz, actor=request.user, user=user, group=group, **_settings(incoming))
        except ValidationError as error:
            return _error(error, status.HTTP_409_CONFLICT if getattr(error, "code", None) == "duplicate" else status.HTTP_400_BAD_REQUEST)
        return Response(OverrideSerializer(override).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OverrideSettingsSerializer, responses=OverrideSerializer)
    def update(self, request: Request, *args, **kwargs) -> Response:
        override = self.get_object()
        incoming = OverrideSettingsSerializer(data=request.data, partial=kwargs.get("partial", False))
        incoming.is_valid(raise_exception=True)
        try:
            override = services.override_update(override=override, actor=request.user, **_settings(incoming, override if incoming.partial else None))
        except ValidationError as error:
            return _error(error)
        return Response(OverrideSerializer(override).data)

    @extend_schema(request=OverrideSettingsSerializer, responses=OverrideSerializer)
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        services.override_delete(override=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OverrideAuditViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit trail of overrides: every create, change and delete, newest first. Instructors of the course and staff."""

    serializer_class = AuditEntrySerializer
    lookup_value_regex = "[0-9]+"
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return OverrideAuditEntry.objects.none()
        return _scoped(OverrideAuditEntry.objects, self.request).select_related("actor")

    @extend_schema(parameters=[OpenApiParameter("quiz", int, description="Only this quiz's audit trail")])
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)
