"""POST /api/attention/: the attention maps of a text (or sentence pair) for API clients."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from attention_lab import services
from attention_lab.payloads import api_payload
from attention_lab.registry import models_list, model_spec
from attention_lab.renderers import NPZ_MEDIA_TYPE, ExactJSONRenderer, NpzRenderer, QualityContentNegotiation
from attention_lab.serializers import (
    AttentionErrorSerializer,
    AttentionModelSerializer,
    AttentionRequestSerializer,
    AttentionResponseSerializer,
)
from attention_lab.throttling import LabRateThrottle, throttled_message
from config.supervision import worker_unavailable_message


NUMPY_EXAMPLE = """Attention weights for a text, as exact float32 (JSON) or as a NumPy .npz.

```python
import io, numpy as np, requests

answer = requests.post(
    "http://127.0.0.1:8000/api/attention/",
    json={"text": "The cat sat on the mat.", "layers": [5], "heads": [0, 7]},
    headers={"Accept": "application/x-npz"},
)
maps = np.load(io.BytesIO(answer.content), allow_pickle=False)  # plain arrays, no pickle
maps["attentions"].shape   # (1, 2, 9, 9): layers x heads x query token x key token, float32
list(maps["tokens"])       # ['[CLS]', 'the', 'cat', 'sat', 'on', 'the', 'mat', '.', '[SEP]'] (a unicode array)
maps["attentions"].sum(-1) # every row sums to 1
```

Without the Accept header (or with `*/*` or `application/json`) the same answer comes as JSON
(`attentions` nested lists, `tokens`, ...); q-values are honoured (`application/x-npz;q=1,
application/json;q=0.5` gives .npz); any other type is a 406. Errors are JSON whatever was accepted.

`layers` and `heads` are lists of 0-based JSON integers (not true/false, 1.0 or "1"): the answer holds
them in the order given (a repeated index is repeated), `layer_indices` and `head_indices` say which;
left out or null, all of them. Text over the model's limit (256 tokens for all-MiniLM-L6-v2, [CLS] and
[SEP] included) is refused with a 400 giving `token_count` and `limit`, never truncated.
"""


# The real float32 weights (shortest decimals) of "Hi.", layer 5, heads 0 and 7: rows sum to 1.
_EXAMPLE_ANSWER = {
    "model": "sentence-transformers/all-MiniLM-L6-v2", "device": "cpu",
    "tokens": ["[CLS]", "hi", ".", "[SEP]"], "token_type_ids": [0, 0, 0, 0],
    "layers": 1, "heads": 2, "layer_indices": [5], "head_indices": [0, 7],
    "attentions": [[
        [[0.72662336, 0.15044223, 0.0805369, 0.04239746], [0.96878606, 0.0052580587, 0.014130047, 0.011825845],
         [0.64711595, 0.18752469, 0.09175918, 0.07360015], [0.54069316, 0.2893736, 0.09610107, 0.07383216]],
        [[0.9443702, 0.043075394, 0.004920577, 0.007633879], [0.82831323, 0.16896045, 0.0012676999, 0.0014586009],
         [0.99632096, 0.0031694449, 0.00020863346, 0.0003009699], [0.99837565, 0.001466207, 0.0000655231, 0.00009262312]],
    ]],
    "cached": False,
}


class AttentionAPIView(APIView):
    """Attention weights of all-MiniLM-L6-v2 for a text: every layer, every head, every token pair.

    The weights are the worker's float32 values, unrounded, and equal the reference implementation
    (transformers' BertModel, eager) within 1e-5 at every length. `layers` and `heads` choose what
    comes back. `Accept: application/x-npz` answers a NumPy .npz instead of JSON (see NUMPY_EXAMPLE).
    Text over 256 tokens ([CLS] and [SEP] included) is refused with a 400 that states the limit; a 503
    means the worker or its Redis is not answering (retry shortly).
    """

    # Open like the lab page itself (ARCHITECTURE.md's contract needs no login); the per-user or
    # per-address rate limit is what protects the worker from a script.
    permission_classes = [permissions.AllowAny]
    throttle_classes = [LabRateThrottle]
    renderer_classes = [ExactJSONRenderer, NpzRenderer]
    content_negotiation_class = QualityContentNegotiation  # DRF's own ignores q-values

    @extend_schema(
        operation_id="attention_create",
        description=NUMPY_EXAMPLE,
        request=AttentionRequestSerializer,
        responses={
            (200, "application/json"): AttentionResponseSerializer,
            (200, NPZ_MEDIA_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="A NumPy .npz: attentions (float32, layers × heads × n × n), tokens, token_type_ids, "
                "layer_indices, head_indices, model.",
            ),
            400: OpenApiResponse(
                AttentionErrorSerializer,
                description="Invalid input: an empty or non-string text, a control character, a layer or head the "
                "model lacks, an unknown model, or over the 256-token limit (code too_long, with token_count and limit).",
            ),
            406: OpenApiResponse(AttentionErrorSerializer, description="The Accept header allows neither JSON nor .npz."),
            429: OpenApiResponse(AttentionErrorSerializer, description="Too many requests from this user or address."),
            503: OpenApiResponse(AttentionErrorSerializer, description="The attention worker or its Redis is not answering."),
        },
        examples=[
            OpenApiExample("A sentence", value={"text": "The cat sat on the mat."}, request_only=True),
            OpenApiExample(
                "A sentence pair", value={"text": "Where is the cat?", "text_pair": "On the mat."}, request_only=True
            ),
            OpenApiExample(
                "Two heads of the last layer",
                value={"text": "The cat sat on the mat.", "layers": [5], "heads": [0, 7]},
                request_only=True,
            ),
            OpenApiExample(
                "Two heads of the last layer (the answer)",
                summary="What the worker answers for {\"text\": \"Hi.\", \"layers\": [5], \"heads\": [0, 7]}",
                value=_EXAMPLE_ANSWER,
                response_only=True,
                status_codes=["200"],
                media_type="application/json",
            ),
        ],
        tags=["attention"],
    )
    def post(self, request: Request) -> Response:
        incoming = AttentionRequestSerializer(data=request.data)
        if not incoming.is_valid():
            return _invalid(incoming.errors)
        asked = incoming.validated_data
        spec = model_spec(asked.get("model"))
        everything = asked["layers"] == list(range(spec.layers)) and asked["heads"] == list(range(spec.heads))
        try:
            computed = services.attention_compute(
                text=asked["text"],
                text_pair=asked.get("text_pair") or None,
                # Only the maps asked for travel from the worker, which runs only as deep as the deepest.
                heads=None if everything else tuple((layer, head) for layer in asked["layers"] for head in asked["heads"]),
                model=asked.get("model"),
            )
        except services.TextTooLongError as error:
            return _error(str(error), "too_long", status.HTTP_400_BAD_REQUEST, token_count=error.token_count, limit=error.limit)
        except services.InputRefusedError as error:
            return _error(str(error), "refused", status.HTTP_400_BAD_REQUEST)
        except services.LabUnavailableError as error:
            return _error(str(error), "lab_unavailable", status.HTTP_503_SERVICE_UNAVAILABLE)
        except services.WorkerUnavailableError as error:
            return _error(worker_unavailable_message(str(error)), "worker_unavailable", status.HTTP_503_SERVICE_UNAVAILABLE)
        payload = api_payload(computed.result, layers=asked["layers"], heads=asked["heads"])
        return Response({**payload, "cached": computed.cached})

    def throttled(self, request: Request, wait: float | None) -> None:
        raise exceptions.Throttled(wait, detail=throttled_message(wait))

    def handle_exception(self, exc: Exception) -> Response:
        # DRF's own errors (429, 406, a malformed body) carry a `code` like ours do.
        response = super().handle_exception(exc)
        if isinstance(exc, exceptions.APIException) and isinstance(response.data, dict):
            codes = exc.get_codes()
            response.data.setdefault("code", codes if isinstance(codes, str) else "invalid")
        return response


class AttentionModelsAPIView(APIView):
    """The models the lab and POST /api/attention/ can use (`model`), with their shape."""

    permission_classes = [permissions.AllowAny]
    renderer_classes = [ExactJSONRenderer]

    @extend_schema(operation_id="attention_models_list", responses={200: AttentionModelSerializer(many=True)}, tags=["attention"])
    def get(self, request: Request) -> Response:
        return Response([spec.as_dict() for spec in models_list()])


def _first_error(errors, path: str = ""):
    """The first leaf error and where it is: list items nest as {index: [...]} ("layers[0]")."""
    if isinstance(errors, dict) and errors:
        key, inner = next(iter(errors.items()))
        where = f"{path}[{key}]" if isinstance(key, int) else (key if not path else f"{path}.{key}")
        return _first_error(inner, where)
    if isinstance(errors, list) and errors:
        return _first_error(errors[0], path) if isinstance(errors[0], (dict, list)) else (path, errors[0])
    return path, errors


def _invalid(errors: dict) -> Response:
    """One sentence up front (the first problem, e.g. "layers[0]: A valid integer is required."), the
    per-field errors beside it."""
    field, first = _first_error(errors)
    message, code = str(first), getattr(first, "code", "invalid")
    detail = message if field in ("", "non_field_errors") else f"{field}: {message}"
    return Response({"detail": detail, "code": code, "fields": errors}, status=status.HTTP_400_BAD_REQUEST)


def _error(message: str, code: str, http_status: int, **extra) -> Response:
    headers = {"Retry-After": "3"} if http_status == status.HTTP_503_SERVICE_UNAVAILABLE else None
    return Response({"detail": message, "code": code, **extra}, status=http_status, headers=headers)
