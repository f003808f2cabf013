"""The API's quiz import and export: GIFT, Markdown and Moodle XML, for the quiz's authors only.

`GET /api/quizzes/{id}/export/{fmt}/` answers the file itself; `POST /api/quizzes/{id}/import/` takes
`{"fmt", "text"}` and imports all or nothing, or answers 400 with the line and the reason.
"""
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .permissions import authored_quiz_or_404
from .services import importing

# (file extension, content type) of each format's download.
EXPORT_FILES = {"gift": ("gift", "text/plain"), "markdown": ("md", "text/markdown"), "moodlexml": ("xml", "application/xml")}


class QuizImportSerializer(serializers.Serializer):
    fmt = serializers.ChoiceField(choices=importing.FORMATS, help_text="gift, markdown or moodlexml")
    text = serializers.CharField(trim_whitespace=False, max_length=5_000_000, help_text="The whole file, as text")


class FileOrJSON(BaseContentNegotiation):
    """The answer is the file whatever `Accept` says (`application/xml` must not be a 406); errors are JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class QuizExportAPIView(APIView):
    """A quiz's questions (the latest version of each, in quiz order) as a GIFT, Markdown or Moodle XML file."""

    permission_classes = [permissions.IsAuthenticated]
    content_negotiation_class = FileOrJSON

    @extend_schema(operation_id="quiz_export", tags=["quizzes"],
                   parameters=[OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(EXPORT_FILES),
                                                description="moodlexml, gift or markdown")],
                   responses={**{(200, content_type): OpenApiResponse(OpenApiTypes.STR, description="The file")
                                 for _, content_type in EXPORT_FILES.values()},
                              400: OpenApiResponse(description="The format cannot hold a question"),
                              404: OpenApiResponse(description="No such quiz or format, or not yours")})
    def get(self, request: Request, quiz_id: int, fmt: str) -> HttpResponse:
        quiz = authored_quiz_or_404(request.user, quiz_id)
        if fmt not in EXPORT_FILES:
            raise Http404("No such format.")
        try:
            text = importing.quiz_export_text(quiz=quiz, fmt=fmt)
        except ValueError as error:
            return Response({"detail": str(error), "code": "cannot_export"}, status=status.HTTP_400_BAD_REQUEST)
        extension, content_type = EXPORT_FILES[fmt]
        response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{quiz.lesson.slug}-{quiz.slug}.{extension}"'
        return response


class QuizImportAPIView(APIView):
    """Append the questions of a file to a quiz: all of them, or none and a 400 naming the line and why."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="quiz_import", tags=["quizzes"], request=QuizImportSerializer,
                   responses={201: inline_serializer("QuizImported", {"imported": serializers.IntegerField(),
                                                                     "questions": serializers.ListField(child=serializers.IntegerField())}),
                              400: inline_serializer("QuizImportRejected", {"detail": serializers.CharField(),
                                                                           "code": serializers.CharField(),
                                                                           "line": serializers.IntegerField()}),
                              404: OpenApiResponse(description="No such quiz, or not yours")})
    def post(self, request: Request, quiz_id: int) -> Response:
        quiz = authored_quiz_or_404(request.user, quiz_id)
        body = QuizImportSerializer(data=request.data)
        if not body.is_valid():
            field, problems = next(iter(body.errors.items()))
            return Response({"detail": f"{field}: {problems[0]}", "code": "invalid", "line": 0},
                            status=status.HTTP_400_BAD_REQUEST)
        try:
            created = importing.quiz_import_text(quiz=quiz, text=body.validated_data["text"],
                                                 fmt=body.validated_data["fmt"], user=request.user)
        except importing.ImportRejected as error:
            return Response({"detail": error.message, "code": "import_rejected", "line": error.line},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response({"imported": len(created), "questions": [q.pk for q in created]}, status=status.HTTP_201_CREATED)
