"""Question texts as safe HTML, in whichever format the author wrote them."""
from django.utils.html import escape, linebreaks

from courses.markdown import render_markdown_preview, sanitise_html


def render_text(text: str, text_format: str | None) -> str:
    """Markdown rendered, HTML sanitised, plain text escaped."""
    if not text:
        return ""
    if text_format == "markdown":
        return render_markdown_preview(text)  # over the Markdown limits: the reason, never a slow render
    if text_format == "html":
        return sanitise_html(text)
    if text_format == "moodle":  # Moodle auto-format: HTML allowed, newlines are line breaks
        return sanitise_html(linebreaks(text) if "<" not in text else text)
    return linebreaks(escape(text))
