"""POST /api/attention/: the attention maps of a text (or sentence pair) for API clients."""
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from attention_lab import services
from attention_lab.payloads import api_payload
from attention_lab.serializers import AttentionErrorSerializer, AttentionRequestSerializer, AttentionResponseSerializer
from attention_lab.throttling import LabRateThrottle, throttled_message
from config.supervision import worker_unavailable_message


class AttentionAPIView(APIView):
    """Attention weights of all-MiniLM-L6-v2 for a text: every layer, every head, every token pair.

    The weights are computed by the attention worker (or come from its cache) and equal the reference
    implementation within 1e-5. Text over 256 tokens ([CLS] and [SEP] included) is refused with a 400
    that states the limit; a 503 means the worker or its Redis is not answering (retry shortly).
    """

    # Open like the lab page itself (ARCHITECTURE.md's contract needs no login); the per-user or
    # per-address rate limit is what protects the worker from a script.
    permission_classes = [permissions.AllowAny]
    throttle_classes = [LabRateThrottle]

    @extend_schema(
        operation_id="attention_create",
        request=AttentionRequestSerializer,
        responses={
            200: AttentionResponseSerializer,
            400: OpenApiResponse(AttentionErrorSerializer, description="Invalid input: empty, not a string, or over the 256-token limit."),
            429: OpenApiResponse(AttentionErrorSerializer, description="Too many requests from this user or address."),
            503: OpenApiResponse(AttentionErrorSerializer, description="The attention worker or its Redis is not answering."),
        },
        examples=[
            OpenApiExample("A sentence", value={"text": "The cat sat on the mat."}, request_only=True),
            OpenApiExample(
                "A sentence pair", value={"text": "Where is the cat?", "text_pair": "On the mat."}, request_only=True
            ),
        ],
        tags=["attention"],
    )
    def post(self, request: Request) -> Response:
        incoming = AttentionRequestSerializer(data=request.data)
        if not incoming.is_valid():
            return _invalid(incoming.errors)
        try:
            computed = services.attention_compute(
                text=incoming.validated_data["text"], text_pair=incoming.validated_data.get("text_pair") or None
            )
        except services.TextTooLongError as error:
            return _error(str(error), "too_long", status.HTTP_400_BAD_REQUEST, token_count=error.token_count, limit=error.limit)
        except services.LabUnavailableError as error:
            return _error(str(error), "lab_unavailable", status.HTTP_503_SERVICE_UNAVAILABLE)
        except services.WorkerUnavailableError as error:
            return _error(worker_unavailable_message(str(error)), "worker_unavailable", status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response({**api_payload(computed.result), "cached": computed.cached})

    def throttled(self, request: Request, wait: float | None) -> None:
        raise exceptions.Throttled(wait, detail=throttled_message(wait))


def _invalid(errors: dict) -> Response:
    """One sentence up front (the first problem), the per-field errors beside it."""
    field, messages = next(iter(errors.items()))
    message = str(messages[0]) if isinstance(messages, list) and messages else str(messages)
    code = getattr(messages[0], "code", "invalid") if isinstance(messages, list) and messages else "invalid"
    detail = message if field == "non_field_errors" else f"{field}: {message}"
    return Response({"detail": detail, "code": code, "fields": errors}, status=status.HTTP_400_BAD_REQUEST)


def _error(message: str, code: str, http_status: int, **extra) -> Response:
    headers = {"Retry-After": "3"} if http_status == status.HTTP_503_SERVICE_UNAVAILABLE else None
    return Response({"detail": message, "code": code, **extra}, status=http_status, headers=headers)
