"""The lab page and its compact update endpoint (one POST per debounced keystroke).

Both are open to every visitor, logged in or not: the lab is the course's shop window and is also
embedded in lessons. The update endpoint is rate-limited instead, per user or per address
(attention_lab.throttling, ATTENTION_RATE), from the same allowance as the API.
"""
import json
import math

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from attention_lab import services
from attention_lab.forms import EXAMPLE_TEXT, MODES, LabUpdateForm
from attention_lab.head_patterns import head_patterns_describe
from attention_lab.model import MAX_TOKENS
from attention_lab.registry import model_spec, models_list
from attention_lab.payloads import lab_heads_needed, lab_payload
from attention_lab.serializers import AttentionRequestSerializer
from attention_lab.throttling import lab_throttle_wait, throttled_message
from config.json_body import JSONInputError, read_json_body
from config.supervision import worker_unavailable_message
from progress.services import lab_use_record


@require_GET
def lab(request: HttpRequest) -> HttpResponse:
    # The query string carries text and view, so a shared link reproduces what its sender saw
    # (lab.js reads the view settings; the text is rendered here so it shows even before JS runs).
    models = models_list()
    chosen = next((spec for spec in models if spec.name == request.GET.get("model")), models[0])
    context = {
        "text": request.GET.get("text", EXAMPLE_TEXT),
        "text_pair": request.GET.get("text_pair", ""),
        "pair": request.GET.get("pair") == "1",
        "compare": request.GET.get("compare", ""),
        "example_text": EXAMPLE_TEXT,
        "layers": range(chosen.layers),
        "heads": range(chosen.heads),
        "modes": MODES,
        "max_tokens": chosen.max_tokens,
        "model": chosen,
        "models": models,
        # For lab.js: each model's shape, so the layer and head pickers follow the model picker.
        "models_json": json.dumps([spec.as_dict() for spec in models]),
    }
    return render(request, "attention_lab/lab.html", context)


@require_POST
def lab_update(request: HttpRequest) -> JsonResponse:
    """What the lab shows for the posted text and settings: one matrix (bytes), thumbnails or steps."""
    wait = lab_throttle_wait(request=request)  # one allowance shared with POST /api/attention/
    if wait is not None:
        response = _error(throttled_message(wait), "rate_limited", 429)
        response["Retry-After"] = str(max(1, math.ceil(wait)))
        return response
    try:
        asked_json = read_json_body(request, empty={})  # the platform's one JSON reader (size, depth)
    except JSONInputError as error:
        return _error(error.detail, "too_large" if error.http_status == 413 else "bad_request", error.http_status)
    if not isinstance(asked_json, dict):
        return _error("The request was not a JSON object.", "bad_request", 400)
    # The texts pass the API's own serializer, so the lab and POST /api/attention/ accept and refuse the same texts.
    texts = AttentionRequestSerializer(data={key: asked_json[key] for key in ("text", "text_pair") if key in asked_json})
    if not texts.is_valid():
        return _texts_refused(texts.errors)
    form = LabUpdateForm({**asked_json, **texts.validated_data})
    if not form.is_valid():
        return _error("Some lab settings were out of range.", "bad_request", 400, fields=form.errors.get_json_data())
    asked = form.cleaned_data
    spec = model_spec(asked["model"])
    step = asked["view"] == "step" and spec.step_detail  # a model without q, k, v: its head view
    try:
        computed = services.attention_compute(
            text=asked["text"],
            text_pair=asked["text_pair"],
            causal=asked["causal"],
            detail=(asked["layer"], asked["head"]) if step else None,
            heads=lab_heads_needed(
                view=asked["view"], mode=asked["mode"], layer=asked["layer"], head=asked["head"],
                heads_per_layer=spec.heads,
            ),
            page=asked["page"] or None,
            model=asked["model"],
        )
    except services.TextTooLongError as error:
        message = f"Too long: {error.token_count} tokens; the model reads at most {error.limit}."
        return _error(message, "too_long", 400, token_count=error.token_count, limit=error.limit)
    except services.InputRefusedError as error:
        return _error(str(error), "refused", 400)
    except services.JobSupersededError:
        return _error("A newer text from this page replaced this one.", "superseded", 409)
    except (services.LabUnavailableError, services.WorkerUnavailableError) as error:
        # Counting tokens needs neither Redis nor the worker: the counter keeps working in an outage.
        code = "lab_unavailable" if isinstance(error, services.LabUnavailableError) else "worker_unavailable"
        count = services.token_count(text=asked["text"], text_pair=asked["text_pair"])
        message = worker_unavailable_message(str(error)) if code == "worker_unavailable" else str(error)
        return _error(message, code, 503, token_count=count, limit=MAX_TOKENS)
    _record_lab_use(request=request, page=asked["page"])
    payload = lab_payload(
        computed.result,
        mode="head" if step else asked["mode"],
        layer=asked["layer"],
        head=asked["head"],
        hide_specials=asked["hide_specials"] and bool(spec.special_tokens) and not step,
        thumbs=asked["view"] == "model",
        detail=computed.detail,
        query_index=asked["query"],
    )
    if "thumbs" in payload:
        payload["thumbs"]["labels"] = head_patterns_describe(attentions=computed.result.attentions, tokens=computed.result.tokens)
    payload["cached"] = computed.cached
    payload["limit"] = spec.max_tokens
    return JsonResponse(payload)


def _record_lab_use(*, request: HttpRequest, page: str | None) -> None:
    """One learning event per lab page (or lesson widget) a learner uses, not one per keystroke."""
    if not request.user.is_authenticated:
        return
    try:
        first_use = cache.add(f"lab-used:{request.user.pk}:{page or 'no-page'}", 1, timeout=6 * 3600)
    except Exception:  # a cache outage must not cost the learner their heatmap
        first_use = False
    if first_use:
        lab_use_record(user=request.user)  # never raises


def _texts_refused(errors: dict) -> JsonResponse:
    field, messages = next(iter(errors.items()))
    code = getattr(messages[0], "code", "invalid")
    if field == "text" and code in ("blank", "required"):
        return _error("Type some text to see its attention.", "empty", 400, token_count=2, limit=MAX_TOKENS)
    return _error(f"{field}: {messages[0]}", code, 400, fields=errors)


def _error(message: str, code: str, status: int, **extra) -> JsonResponse:
    response = JsonResponse({"detail": message, "code": code, **extra}, status=status)
    if status == 503:
        response["Retry-After"] = "3"
    return response
