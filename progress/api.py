"""Progress API: a learner's own progress, a course's gradebook for its instructors, platform aggregates for admins."""
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .permissions import can_see_platform, taught_course_or_404
from .selectors.gradebook import STATUS_FILTERS, gradebook_for_course
from .selectors.learner import learning_summary_for_user
from .selectors.platform import date_range_parse, platform_dashboard
from .serializers import GradebookSerializer, MyLearningSerializer, PlatformSerializer


def _grade(quiz, grade) -> dict:
    return {
        "quiz_id": quiz.id, "title": quiz.title, "state": grade.state, "percent": grade.percent, "passed": grade.passed,
        "attempts_used": grade.attempts_used, "attempts_left": grade.attempts_left,
    }


class MyLearningAPIView(APIView):
    """The caller's enrolled courses: lessons done, quiz grades, the next step."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=MyLearningSerializer)
    def get(self, request: Request) -> Response:
        courses = []
        for summary in learning_summary_for_user(user=request.user):
            step = summary.next_step
            courses.append({
                "course": summary.course.slug, "title": summary.course.title,
                "lessons_total": summary.lessons_total, "lessons_completed": summary.lessons_completed,
                "percent": summary.percent, "quizzes_passed": summary.quizzes_passed,
                "next_step": None if step is None else {"kind": step.kind, "label": step.label, "url": step.url},
                "lessons": [
                    {"slug": item.lesson.slug, "title": item.lesson.title, "state": item.state,
                     "quizzes": [_grade(quiz_item.quiz, quiz_item.grade) for quiz_item in item.quizzes]}
                    for item in summary.lessons
                ],
            })
        return Response(MyLearningSerializer({"courses": courses}).data)


class GradebookAPIView(APIView):
    """A course's gradebook, for its instructors and admins; 404 for everyone else."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses=GradebookSerializer,
        parameters=[
            OpenApiParameter("q", str, description="Filter by username, name or email."),
            OpenApiParameter("status", str, enum=[key for key in STATUS_FILTERS if key]),
            OpenApiParameter("quiz", int, description="Apply the status filter to this quiz only."),
            OpenApiParameter("sort", str, description="name, average, status or quiz-<id>; prefix - for descending."),
            OpenApiParameter("page", int),
        ],
    )
    def get(self, request: Request, course_slug: str) -> Response:
        try:
            course = taught_course_or_404(request.user, course_slug)
        except Http404 as error:
            raise NotFound("No such course.") from error
        sort = request.query_params.get("sort", "name")
        quiz = request.query_params.get("quiz", "")
        status = request.query_params.get("status", "")
        book = gradebook_for_course(
            course=course, search=request.query_params.get("q", "")[:100], status=status if status in STATUS_FILTERS else "",
            quiz_id=int(quiz) if quiz.isdigit() else None, sort=sort.lstrip("-"), descending=sort.startswith("-"),
        )
        page = book.page(request.query_params.get("page"), per_page=50)
        payload = {
            "course": course.slug,
            "quizzes": [{"id": q.id, "title": q.title, "pass_percent": q.pass_percent, "grading_method": q.grading_method} for q in book.quizzes],
            "count": page.paginator.count, "page": page.number, "pages": page.paginator.num_pages,
            "results": [
                {"user_id": row.learner.id, "username": row.learner.username, "name": row.learner.name, "average": row.average,
                 "status": row.status, "grades": [_grade(quiz, grade) for quiz, grade in zip(book.quizzes, row.grades)]}
                for row in page.object_list
            ],
        }
        # The serializer documents the shape (see extend_schema); building a 50 × 10 payload through it
        # would cost more than computing the gradebook, and every value here is already plain JSON.
        return Response(payload)


class PlatformAPIView(APIView):
    """Platform aggregates for a date range (default: the last 30 days); admins only."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses=PlatformSerializer,
        parameters=[OpenApiParameter("start", str, description="YYYY-MM-DD"), OpenApiParameter("end", str, description="YYYY-MM-DD")],
    )
    def get(self, request: Request) -> Response:
        if not can_see_platform(request.user):
            raise PermissionDenied("Only admins see platform aggregates.")
        period, _ = date_range_parse(start=request.query_params.get("start"), end=request.query_params.get("end"))
        data = platform_dashboard(period=period)

        def days(series):
            return [{"date": day, "count": count} for day, count in series]

        payload = {
            "start": period.start, "end": period.end,
            "active_7_days": data.active_7_days, "active_30_days": data.active_30_days,
            "enrollments_per_day": days(data.enrollments_per_day), "active_per_day": days(data.active_per_day),
            "lab_runs_per_day": days(data.lab_per_day), "lab_users": data.lab_users,
            "funnel": [
                {"course": row.course.slug, "enrolled": row.enrolled, "started": row.started,
                 "completed_all_lessons": row.completed_lessons, "passed_all_quizzes": row.passed_quizzes}
                for row in data.funnel
            ],
            "pass_rates": [
                {"quiz_id": row.quiz.id, "quiz": row.quiz.title, "course": row.quiz.lesson.course.slug,
                 "graded": row.graded, "passed": row.passed, "rate": row.rate}
                for row in data.pass_rates
            ],
        }
        return Response(PlatformSerializer(payload).data)
