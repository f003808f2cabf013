"""The API's Check of one question during an attempt (immediate and interactive behaviours).

`POST /api/attempts/{id}/questions/{question}/check/` with `{"response": …}` in the attempt's public ids:
saves the response as a try, grades it and answers with the question as the attempt detail lists it.
"""
from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from .serializers import AttemptQuestionSerializer, attempt_payload
from .services import grading
from .services.checks import answer_check

# A state the learner cannot change by sending something else: the question or attempt is done.
_CONFLICTS = {"finished", "submitted", "deadline_passed"}


class CheckSerializer(serializers.Serializer):
    response = serializers.JSONField(help_text="The answer, in this attempt's public ids (as for saving an answer).")


class AttemptCheckMixin:
    """Added to the attempts viewset; `_own()` scopes the attempt to its learner (404 for anyone else)."""

    @extend_schema(request=CheckSerializer, responses={
        200: AttemptQuestionSerializer,
        400: OpenApiResponse(description="No answer, an answer of the wrong shape, or a question without a Check."),
        404: OpenApiResponse(description="Not your attempt, or not a question of it."),
        409: OpenApiResponse(description="The question is finished, the attempt submitted or its time is up."),
    })
    @action(detail=True, methods=["post"], url_path=r"questions/(?P<question>[0-9]{1,18})/check")
    def check(self, request: Request, pk: str, question: str) -> Response:
        """Check one question: a try under the quiz's behaviour (immediate: one; interactive: hints + 1)."""
        attempt = self._own()
        question_id = int(question)
        if question_id not in {q for q, _ in attempt.layout}:
            raise NotFound("That question is not part of this attempt.")
        serializer = CheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            response = grading.response_from_public(attempt=attempt, question_id=question_id,
                                                    response=serializer.validated_data["response"])
            answer_check(attempt=attempt, question_id=question_id, response=response)
        except ValidationError as error:
            code = getattr(error, "code", None) or "invalid"
            return Response({"detail": error.messages[0], "code": code},
                            status=status.HTTP_409_CONFLICT if code in _CONFLICTS else status.HTTP_400_BAD_REQUEST)
        attempt.refresh_from_db()
        payload = attempt_payload(attempt=attempt, reveal=set())
        return Response(next(item for item in payload["questions"] if item["question"] == question_id))
