"""The ```attention fenced block: a live, editable lab widget inside a lesson.

    ```attention
    text: The cat sat on the mat because it was tired.
    layer: 2        # 1-based, as the lab shows them (optional, default 1)
    head: 5         # 1-based (optional, default 1)
    pair: Optional second sentence (sentence-pair mode)
    hide: yes       # optional: hide [CLS]/[SEP] and renormalise the rows
    caption: Optional words under the widget
    ```

Renders `<div class="attention-widget" data-attention-widget="text=…&layer=2&head=5">` with a
readable fallback (the sentence and a link to the lab) that static/lab/lab.js replaces with an
editable head view. The output still goes through the lesson sanitiser, which keeps only this one
data- attribute; the widget reads it as URL-encoded settings, never as markup or script.
"""
from html import escape
from urllib.parse import urlencode

from django.urls import reverse

from attention_lab.forms import EXAMPLE_TEXT
from attention_lab.registry import model_spec

_KEYS = {"text", "layer", "head", "pair", "hide", "caption"}
_YES = {"1", "yes", "true", "on"}


def widget_settings_parse(source: str) -> dict[str, str]:
    """`key: value` lines → settings with layer/head clamped to the model (1-based); unknown keys ignored."""
    settings: dict[str, str] = {}
    for line in source.splitlines():
        if not line.strip() or line.lstrip().startswith("#") or ":" not in line:
            continue
        key, value = line.split(":", 1)
        key = key.strip().lower()
        if key in _KEYS:
            settings[key] = value.split("  #", 1)[0].strip()  # "  # comment" ends a value
    if not settings.get("text"):
        settings["text"] = EXAMPLE_TEXT
    spec = model_spec()  # lesson widgets show the default model
    for key, limit in (("layer", spec.layers), ("head", spec.heads)):
        try:
            settings[key] = str(min(max(int(settings.get(key, "1")), 1), limit))
        except ValueError:
            settings[key] = "1"
    if settings.pop("hide", "").lower() in _YES:
        settings["hide"] = "1"
    if not settings.get("pair"):
        settings.pop("pair", None)
    return settings


def format_attention_fence(source, language, css_class, options, md, **kwargs) -> str:
    settings = widget_settings_parse(source)
    caption = settings.pop("caption", "")
    lab_query = {key: settings[key] for key in ("text", "layer", "head") if key in settings}
    if "pair" in settings:
        lab_query.update({"pair": "1", "text_pair": settings["pair"]})
    lab_url = f"{reverse('attention_lab:lab')}?{urlencode(lab_query)}"
    caption_html = f'<p class="attention-widget__caption">{escape(caption)}</p>' if caption else ""
    return (
        f'<div class="attention-widget" data-attention-widget="{escape(urlencode(settings), quote=True)}">'
        f'<p class="attention-widget__fallback">Live attention widget (layer {settings["layer"]}, head {settings["head"]}) '
        f'for “{escape(settings["text"])}”: <a href="{escape(lab_url, quote=True)}">open it in the attention lab</a>.</p>'
        f"{caption_html}</div>"
    )
