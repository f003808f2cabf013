"""Pygments' stylesheet for highlighted code, generated from the installed Pygments (no copied CSS).

Pygments' "friendly" colours are pleasant but several fall below WCAG AA on a light background
(comments #60a0b0 and numbers #40a070 at about 2.8:1, printed output #888 at 3.3:1). Each colour is
darkened along its own hue until it reaches AA against every background code sits on, so the look
stays "friendly" and every token passes.
"""
from functools import lru_cache

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from pygments.formatters import HtmlFormatter
from pygments.style import Style
from pygments.styles import get_style_by_name

BASE_STYLE = "friendly"
# Pygments' own background and the one static/css/app.css gives `.prose pre` (#f6f5fa).
CODE_BACKGROUNDS = ("#f0f0f0", "#f6f5fa")
AA_NORMAL_TEXT = 4.5
_TARGET = 4.6  # a little above 4.5 so rounding in a checker cannot tip a colour under


def relative_luminance(colour: str) -> float:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    light, dark = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def darkened_for(colour: str, backgrounds: tuple[str, ...]) -> str:
    """The colour, scaled towards black in small steps until it reaches the target on every background."""
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    rgb = [int(value[i:i + 2], 16) for i in (0, 2, 4)]
    current = "#" + value.lower()
    while min(contrast_ratio(current, bg) for bg in backgrounds) < _TARGET:
        rgb = [int(c * 0.95) for c in rgb]
        current = "#{:02x}{:02x}{:02x}".format(*rgb)
    return current


def _accessible_definition(definition: str, backgrounds: tuple[str, ...]) -> str:
    parts = []
    extra = [part[3:] for part in definition.split() if part.startswith("bg:")]
    for part in definition.split():
        if part.startswith("#"):
            part = darkened_for(part, backgrounds + tuple(extra))
        parts.append(part)
    return " ".join(parts)


@lru_cache(maxsize=1)
def accessible_style() -> type[Style]:
    base = get_style_by_name(BASE_STYLE)
    styles = {token: _accessible_definition(definition, CODE_BACKGROUNDS) for token, definition in base.styles.items()}
    return type("AccessibleFriendly", (Style,), {
        "name": "accessible-friendly",
        "background_color": base.background_color,
        "highlight_color": base.highlight_color,
        "styles": styles,
    })


def stylesheet() -> str:
    return HtmlFormatter(style=accessible_style()).get_style_defs(".highlight")


@require_GET
@cache_control(public=True, max_age=86400)
def pygments_css(request: HttpRequest) -> HttpResponse:
    return HttpResponse(stylesheet(), content_type="text/css")
