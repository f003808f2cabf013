"""REST API for courses, lessons, enrollment and lesson progress. Every queryset is scoped to the caller."""
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from . import selectors, services
from .models import Enrollment, LessonProgress
from .permissions import can_read_lesson, can_study_lesson, lessons_visible_to
from .serializers import (
    CourseProgressSerializer,
    CourseSerializer,
    EnrollmentSerializer,
    LessonCompletionSerializer,
    LessonDetailSerializer,
    LessonProgressSerializer,
    LessonSummarySerializer,
)


class CourseViewSet(viewsets.ReadOnlyModelViewSet):
    """Courses the caller may see. `progress` is the caller's own progress in one course."""

    serializer_class = CourseSerializer
    lookup_field = "slug"
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return selectors.course_list_for_user(user=self.request.user).order_by("title")

    @extend_schema(responses=CourseProgressSerializer)
    @action(detail=True, methods=["get"], permission_classes=[permissions.IsAuthenticated])
    def progress(self, request: Request, slug: str) -> Response:
        course = self.get_object()
        progress = selectors.course_progress_for_user(user=request.user, course=course)
        payload = {
            "course": course.slug,
            "lessons_total": progress.lessons_total,
            "lessons_completed": progress.lessons_completed,
            "percent": progress.percent,
            "next_lesson": progress.next_lesson.slug if progress.next_lesson else None,
        }
        return Response(CourseProgressSerializer(payload).data)


class LessonViewSet(viewsets.ReadOnlyModelViewSet):
    """Lessons of visible courses. Bodies for enrolled learners, the course's authors, and anyone where the
    course has open lessons (courses.permissions.can_read_lesson)."""

    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        lessons = lessons_visible_to(self.request.user).select_related("course").order_by("course__slug", "position")
        course_slug = self.request.query_params.get("course")
        if course_slug:
            lessons = lessons.filter(course__slug=course_slug)
        return lessons

    def get_serializer_class(self):
        return LessonDetailSerializer if self.action == "retrieve" else LessonSummarySerializer

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        lesson = self.get_object()
        if not can_read_lesson(request.user, lesson):
            raise PermissionDenied("Enroll in the course to read its lessons.")
        return Response(LessonDetailSerializer(lesson).data)

    @extend_schema(request=LessonCompletionSerializer, responses=LessonProgressSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def completion(self, request: Request, pk: str) -> Response:
        """Mark the lesson complete for the caller (`{"completed": false}` to undo)."""
        lesson = self.get_object()
        if not can_study_lesson(request.user, lesson):
            raise PermissionDenied("Enroll in the course to complete its lessons.")
        serializer = LessonCompletionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data["completed"]:
            services.lesson_complete(user=request.user, lesson=lesson)
        else:
            services.lesson_uncomplete(user=request.user, lesson=lesson)
        progress = LessonProgress.objects.select_related("lesson__course").get(user=request.user, lesson=lesson)
        return Response(LessonProgressSerializer(progress).data)


class EnrollmentViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The caller's own enrollments. POST {"course": "<slug>"} enrolls (idempotent)."""

    serializer_class = EnrollmentSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no real user
            return Enrollment.objects.none()
        return Enrollment.objects.filter(user=self.request.user).select_related("course")

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enrollment = services.enrollment_create(user=request.user, course=serializer.validated_data["course"])
        return Response(self.get_serializer(enrollment).data, status=status.HTTP_201_CREATED)


class LessonProgressViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own lesson progress records."""

    serializer_class = LessonProgressSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LessonProgress.objects.none()
        return LessonProgress.objects.filter(user=self.request.user).select_related("lesson__course")
