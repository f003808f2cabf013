"""The one JSON reader of every JSON endpoint (DRF's default parser, the lab's update view, GIFT and
Markdown-format extension bits): at most MAX_BYTES, nested at most MAX_DEPTH deep, no NaN/Infinity,
no NUL or lone surrogate in any string. The API's form parsers below hold to the same NUL rule.

Each refusal is a JSONInputError (a json.JSONDecodeError, so callers already catching bad JSON catch
it too) with the HTTP status it deserves and a `detail` that names the limit. A RecursionError from a
deeply nested text is caught here, so it can never become a 500.
"""
from __future__ import annotations

import json
import re
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.views.defaults import bad_request
from rest_framework import exceptions, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

MAX_DEPTH = 32
MAX_BYTES = 1024 * 1024  # 1 MiB: far above the largest honest body (a quiz question, a lab text)


class JSONInputError(json.JSONDecodeError):
    def __init__(self, detail: str, *, code: str, http_status: int = 400) -> None:
        super().__init__(detail, "", 0)
        self.detail, self.code, self.http_status = detail, code, http_status

    def __str__(self) -> str:
        return self.detail


def too_large_error() -> JSONInputError:
    return JSONInputError(f"The request body is over the limit of {MAX_BYTES // 1024} KiB.", code="too_large", http_status=413)


def _refuse_constant(name: str) -> None:
    raise JSONInputError(f"{name} is not a JSON number.", code="invalid_json")


# "\ud800" is valid JSON but no character: UTF-8 cannot encode it, so PostgreSQL's JSON columns refused it (a 500).
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _shape_check(value: Any, max_depth: int) -> None:
    """Walks the value without recursion: refuses nesting deeper than max_depth, and NUL or a lone
    surrogate in any string (PostgreSQL cannot store them, and a lookup with one would be a 500, not a 400)."""
    pending = [(value, 1)]
    while pending:
        current, depth = pending.pop()
        if isinstance(current, str):
            if "\x00" in current:
                raise JSONInputError("The JSON holds a NUL character (\\u0000); remove it.", code="nul_character")
            if _LONE_SURROGATE.search(current):
                raise JSONInputError("The JSON holds a lone surrogate (\\ud800 to \\udfff), which is no character; "
                                     "send the text as UTF-8.", code="lone_surrogate")
            continue
        if isinstance(current, dict):
            children = [*current.keys(), *current.values()]
        elif isinstance(current, list):
            children = current
        else:
            continue
        if depth > max_depth:
            raise JSONInputError(f"The JSON is nested more than {max_depth} levels deep.", code="too_deep")
        pending.extend((child, depth + 1) for child in children if isinstance(child, (dict, list, str)))


def json_loads(text: str | bytes, *, max_depth: int = MAX_DEPTH, max_bytes: int = MAX_BYTES) -> Any:
    """json.loads with the platform's limits."""
    if len(text) > max_bytes:
        raise too_large_error()
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise JSONInputError(f"The JSON is nested more than {max_depth} levels deep.", code="too_deep") from None
    except JSONInputError:
        raise
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError
        raise JSONInputError(f"The request body is not valid JSON ({error}).", code="invalid_json") from None
    _shape_check(value, max_depth)
    return value


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def read_json_body(request: HttpRequest, *, empty: Any = None) -> Any:
    """The JSON of a plain Django view's request body (`empty` when there is none)."""
    if _declared_length(request) > MAX_BYTES:
        raise too_large_error()
    try:
        body = request.body
    except RequestDataTooBig:
        raise too_large_error() from None
    if not body:
        return empty
    return json_loads(body)


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = too_large_error().detail
    default_code = "too_large"


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, reading through json_loads (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES)."""

    def parse(self, stream, media_type=None, parser_context=None):
        if stream is None:
            return None
        body = stream.read(MAX_BYTES + 1)
        try:
            return json_loads(body)
        except JSONInputError as error:
            if error.http_status == 413:
                raise PayloadTooLarge() from None
            raise exceptions.ParseError(error.detail, code=error.code) from None


def _refuse_nul_in_form(data) -> None:
    """The JSON reader's NUL rule for the API's form bodies: a NUL in an id or slug field reached a
    PostgreSQL lookup (a 500); serializer CharFields refuse it, but not every field is one."""
    for key, values in data.lists():
        if "\x00" in key or any(isinstance(value, str) and "\x00" in value for value in values):
            raise exceptions.ParseError("The form holds a NUL character (%00); remove it.", code="nul_character")


class NulFreeFormParser(FormParser):
    """DRF's form parser (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES), refusing NUL like json_loads."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _refuse_nul_in_form(data)
        return data


class NulFreeMultiPartParser(MultiPartParser):
    """DRF's multipart parser, refusing NUL in the fields (files are read by whoever takes them)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _refuse_nul_in_form(parsed.data)
        return parsed


def json_error_response(error: JSONInputError) -> JsonResponse:
    return JsonResponse({"detail": error.detail, "code": error.code}, status=error.http_status)


def wants_json_answer(request: HttpRequest) -> bool:
    return (
        request.path.startswith("/api/")
        or request.content_type == "application/json"
        or "application/json" in request.headers.get("Accept", "")
    )


class JSONBodyLimitMiddleware:
    """A JSON endpoint answers JSON even when the body never reaches the view: a declared body over
    MAX_BYTES is refused with 413 before it is read, and an over-size or over-deep body met later
    (Django's RequestDataTooBig, a stray RecursionError) is a 413/400 JSON answer, never an HTML page
    or a 500."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if wants_json_answer(request) and _declared_length(request) > MAX_BYTES:
            return json_error_response(too_large_error())
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            # A NUL in a filter reaches the database as a lookup, and PostgreSQL answers it with an error (a 500).
            error = JSONInputError("The query string holds a NUL character (%00); remove it.", code="nul_character")
            return json_error_response(error) if wants_json_answer(request) else bad_request(request, error)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, JSONInputError):
            return json_error_response(exception)
        if isinstance(exception, RequestDataTooBig) and wants_json_answer(request):
            return json_error_response(too_large_error())
        if isinstance(exception, RecursionError):
            error = JSONInputError("The input is nested too deeply to read.", code="too_deep")
            if wants_json_answer(request):
                return json_error_response(error)
            return bad_request(request, exception)
        return None
