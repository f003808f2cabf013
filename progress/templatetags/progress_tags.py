"""Template helpers for the progress pages: sortable column headers and query strings that keep filters."""
from django import template
from django.utils.html import format_html

from ..selectors.grades import STATE_LABELS

register = template.Library()

ROW_STATUS_LABELS = {**STATE_LABELS, "passed": "Passed all", "failed": "Failed a quiz", "in_progress": "In progress"}


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with `changes` applied (None removes a key)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.simple_tag(takes_context=True)
def sort_link(context, key, label) -> str:
    """A column header that sorts by `key` (an int means that quiz's column); a second click reverses."""
    key = f"quiz-{key}" if isinstance(key, int) else str(key)
    current = context["request"].GET.get("sort", "name")
    descending = current == key
    target = f"-{key}" if descending else key
    arrow = "▲" if current == key else "▼" if current == f"-{key}" else ""
    query = context["request"].GET.copy()
    query["sort"] = target
    query.pop("page", None)
    href = "?" + query.urlencode()
    direction = "descending" if descending else "ascending"
    return format_html(
        '<a class="sort-link" href="{}" hx-get="{}" hx-target="#gradebook" hx-swap="outerHTML" hx-push-url="true" '
        'title="Sort by {} ({})">{}<span class="sort-link__arrow" aria-hidden="true">{}</span></a>',
        href, href, label, direction, label, arrow,
    )


@register.filter
def status_label(status: str) -> str:
    return ROW_STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


@register.filter
def lookup(mapping: dict, key):
    return mapping.get(key, "")
