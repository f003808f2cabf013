"""REST API for learner groups (the subjects of group overrides), for the course's instructors and staff.

Groups of other courses answer 404 like missing ids. Writes go through group_services, so the API
and the pages share the rules and the audit trail of membership changes.
"""
from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from courses.models import Course
from courses.permissions import courses_authored_by

from . import group_services
from .models import LearnerGroup

MAX_ID = 2**63 - 1
MEMBERS = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), max_length=group_services.MAX_MEMBERS,
                                help_text="User ids of learners enrolled in the group's course; the whole list (it replaces the members)")


def _refusal(error: ValidationError) -> Response:
    """The field messages and the first error's code; a name the course already uses is a 409."""
    code = next(iter(error.error_dict.values()))[0].code or "invalid"
    return Response({**error.message_dict, "code": code},
                    status=status.HTTP_409_CONFLICT if code == "duplicate" else status.HTTP_400_BAD_REQUEST)


class LearnerGroupSerializer(serializers.ModelSerializer):
    course = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    members = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = LearnerGroup
        fields = ["id", "course", "name", "members", "created_at"]
        read_only_fields = fields


class GroupChangeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=group_services.MAX_NAME_CHARS)
    members = MEMBERS


class GroupCreateSerializer(GroupChangeSerializer):
    course = serializers.SlugField(max_length=200, help_text="The slug of a course you teach")


class LearnerGroupViewSet(viewsets.ModelViewSet):
    """Named sets of a course's learners, e.g. "Extra time (accommodations)", that an override can be for.

    A change of members is written to the audit trail of every quiz the group has an override for, and
    moves the deadline of the attempts in progress of whoever joined or left. Deleting a group deletes
    its overrides (audited)."""

    serializer_class = LearnerGroupSerializer
    lookup_value_regex = "[0-9]+"
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LearnerGroup.objects.none()
        groups = LearnerGroup.objects.filter(course__in=courses_authored_by(self.request.user))
        course = self.request.query_params.get("course")
        if course:
            groups = groups.filter(course__slug=course[:200])
        return groups.select_related("course").prefetch_related("members").order_by("course_id", "name", "id")

    @extend_schema(parameters=[OpenApiParameter("course", str, description="Only this course's groups (its slug)")])
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=GroupCreateSerializer, responses={201: LearnerGroupSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        incoming = GroupCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        course = Course.objects.filter(pk__in=courses_authored_by(request.user), slug=data["course"]).first()
        if course is None:
            raise NotFound("No such course.")
        try:
            group = group_services.group_save(course_id=course.pk, actor=request.user, name=data["name"], member_ids=data["members"])
        except ValidationError as error:
            return _refusal(error)
        return Response(LearnerGroupSerializer(group).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=GroupChangeSerializer, responses=LearnerGroupSerializer)
    def update(self, request: Request, *args, **kwargs) -> Response:
        group = self.get_object()
        incoming = GroupChangeSerializer(data=request.data, partial=kwargs.get("partial", False))
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        members = data["members"] if "members" in data else group.members.values_list("pk", flat=True)
        try:
            group = group_services.group_save(course_id=group.course_id, actor=request.user, group=group,
                                              name=data.get("name", group.name), member_ids=members)
        except ValidationError as error:
            return _refusal(error)
        return Response(LearnerGroupSerializer(LearnerGroup.objects.prefetch_related("members").get(pk=group.pk)).data)

    @extend_schema(request=GroupChangeSerializer, responses=LearnerGroupSerializer)
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        group_services.group_delete(group=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

