"""The two ways the attention API writes its answer: JSON (orjson, numpy arrays written directly as
the shortest decimals that read back as the same float32) and a NumPy .npz for scripts and notebooks.

Errors (any status >= 400) are always JSON, whatever the client accepted: a script asking for .npz
must still be able to read why it got none.
"""

from __future__ import annotations

import io
import zipfile

import numpy as np
import orjson
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.utils.mediatypes import _MediaType

NPZ_MEDIA_TYPE = "application/x-npz"


def _is_error(renderer_context: dict | None) -> bool:
    response = (renderer_context or {}).get("response")
    return response is not None and response.status_code >= 400


def json_bytes(data) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)


class ExactJSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None  # JSON is UTF-8 by definition (RFC 8259)

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return b"" if data is None else json_bytes(data)


class NpzRenderer(BaseRenderer):
    """`attentions` (float32, layers × heads × n × n), `tokens` (unicode), `token_type_ids`,
    `layer_indices`, `head_indices` and `model`: np.load(...) reads it, no pickle needed."""

    media_type = NPZ_MEDIA_TYPE
    format = "npz"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if _is_error(renderer_context) or not isinstance(data, dict) or "attentions" not in data:
            renderer_context["response"]["Content-Type"] = "application/json"
            return json_bytes(data)
        renderer_context["response"]["Content-Disposition"] = 'attachment; filename="attention.npz"'
        arrays = {
            "attentions": data["attentions"],
            "tokens": np.array(data["tokens"], dtype=str),
            "token_type_ids": np.array(data["token_type_ids"], dtype=np.int8),
            "layer_indices": np.array(data["layer_indices"], dtype=np.int16),
            "head_indices": np.array(data["head_indices"], dtype=np.int16),
            "model": np.array(data["model"]),
        }
        return npz_bytes(arrays)


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """np.savez's format (stored, not deflated: weights hardly compress and deflate costs more than
    it saves on a local network), written in one buffer."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, array in arrays.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asanyarray(array), allow_pickle=False)
    return buffer.getvalue()


class QualityContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation with the Accept header's q-values honoured (RFC 9110 §12.5.1), which DRF
    ignores: `application/x-npz;q=1, application/json;q=0.5` must give .npz, and `q=0` means "not
    this". Each renderer takes the q of the most specific range that matches it; the highest q wins,
    ties go to the more specific range, then to the view's order (JSON first, also for */* or no
    Accept header). Nothing acceptable: 406, whose JSON says what is on offer."""

    def select_renderer(self, request, renderers, format_suffix=None):
        format = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if format:
            renderers = self.filter_renderers(renderers, format)
        header = request.META.get("HTTP_ACCEPT", "").strip()
        ranges = [_MediaType(part.strip()) for part in header.split(",") if part.strip()] or [_MediaType("*/*")]
        best = None
        for order, renderer in enumerate(renderers):
            offered = _MediaType(renderer.media_type)
            matching = [accepted for accepted in ranges if offered.match(accepted)]
            if not matching:
                continue
            most_specific = max(matching, key=lambda accepted: accepted.precedence)
            rank = (_quality(most_specific), most_specific.precedence, -order)
            if rank[0] > 0 and (best is None or rank > best[0]):
                best = (rank, renderer)
        if best is None:
            offered = " or ".join(renderer.media_type for renderer in renderers)
            raise exceptions.NotAcceptable(
                detail=f"Cannot answer with {header!r}: this endpoint answers {offered}.", available_renderers=renderers
            )
        return best[1], best[1].media_type


def _quality(media_type: _MediaType) -> float:
    try:
        return min(max(float(media_type.params.get("q", 1)), 0.0), 1.0)
    except ValueError:
        return 1.0  # a malformed q counts as the default, as browsers treat it
