"""Markdown → safe HTML for lessons and course descriptions.

Authors (even instructors) are not trusted with raw HTML: the Markdown is rendered first and the
result is sanitised with nh3 against an allow-list that keeps what lessons need (math placeholders
for KaTeX, Pygments' highlighting classes, tables, admonitions, images) and drops everything that
could run script: <script>, on* handlers, hx-*/data-hx-* attributes, javascript: URLs.
"""
from collections.abc import Callable

import markdown
import nh3
from django.core.exceptions import ValidationError
from django.utils.html import escape

from .markdown_limits import markdown_limits_check

# Fenced blocks with a custom renderer (e.g. the attention lab's ```attention widgets) register here.
CUSTOM_FENCES: list[dict] = []

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
_ALLOWED_ATTRIBUTES = {
    "*": {"class", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"},
    "div": {"data-attention-widget"},
}
_URL_SCHEMES = {"http", "https", "mailto"}


def _markdown_extensions() -> tuple[list, dict]:
    extensions = [
        "markdown.extensions.tables",
        "markdown.extensions.admonition",
        "markdown.extensions.toc",
        "markdown.extensions.sane_lists",
        "markdown.extensions.def_list",
        "pymdownx.superfences",
        "pymdownx.highlight",
        "pymdownx.arithmatex",
        "pymdownx.tilde",
    ]
    config = {
        "markdown.extensions.toc": {"permalink": False, "toc_depth": "2-3"},
        "pymdownx.highlight": {"css_class": "highlight", "guess_lang": False, "pygments_lang_class": True},
        "pymdownx.arithmatex": {"generic": True},
        "pymdownx.superfences": {"custom_fences": CUSTOM_FENCES},
    }
    return extensions, config


def render_markdown(source: str) -> str:
    """Render author Markdown to sanitised HTML, ready to mark safe in a template."""
    extensions, config = _markdown_extensions()
    html = markdown.Markdown(extensions=extensions, extension_configs=config).convert(source)
    return sanitise_html(html)


def render_markdown_with_toc(source: str) -> tuple[str, list[dict]]:
    """Like render_markdown, also returning the headings as [{id, name, level, children}] for a contents list."""
    extensions, config = _markdown_extensions()
    converter = markdown.Markdown(extensions=extensions, extension_configs=config)
    html = converter.convert(source)
    return sanitise_html(html), converter.toc_tokens


def toc_section_ids(toc: list[dict]) -> set[str]:
    """Every heading id in a contents list, nested ones included (the ids a reading position may name)."""
    ids: set[str] = set()
    for heading in toc:
        ids.add(str(heading.get("id", "")))
        ids |= toc_section_ids(heading.get("children") or [])
    return ids


def render_markdown_preview(source: str) -> str:
    """For previews of unsaved text: rendered if within the limits (courses.markdown_limits), else the
    reason in place of the preview, so a pathological draft never ties up the server."""
    try:
        markdown_limits_check(source)
    except ValidationError as error:
        return f'<p class="form-error" role="alert">{escape(error.messages[0])}</p>'
    return render_markdown(source)


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def register_fence(*, name: str, formatter: Callable) -> None:
    """Let another app render a fenced block (```name) its own way; the output is still sanitised."""
    CUSTOM_FENCES.append({"name": name, "class": name, "format": formatter})
