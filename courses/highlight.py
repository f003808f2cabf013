"""Pygments' stylesheet for highlighted code, generated from the installed Pygments (no copied CSS)."""
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from pygments.formatters import HtmlFormatter


@require_GET
@cache_control(public=True, max_age=86400)
def pygments_css(request: HttpRequest) -> HttpResponse:
    css = HtmlFormatter(style="friendly").get_style_defs(".highlight")
    return HttpResponse(css, content_type="text/css")
