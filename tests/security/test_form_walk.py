"""Every form of the site, found on the pages themselves, posted back full of junk: never a 500.

The pages come from the URL matrix (each page a role may open, as that role), and the forms from their
HTML, so a page or a field added later is walked too. Each field gets a NUL, a 40-digit number and -1:
values a person cannot type into the widget but a script can post (a NUL reached PostgreSQL, a non-number
reached int()); then the same form posted empty (an unbound form reached cleaned_data). Whatever a post changes is rolled back before the next.
"""
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.urls import reverse

from tests.conftest import client_for
from tests.security.test_url_matrix import MATRIX, ROLES, user_for

pytestmark = pytest.mark.django_db

JUNK = ("a\x00b", "9" * 40, "-1", None)  # None: a post with no fields at all


class PostForms(HTMLParser):
    """The POST forms of a page: (action, field names)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, set[str]]] = []
        self._open: set[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._open = set()
            self.forms.append((attrs.get("action") or "", self._open))
        elif self._open is not None and tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            self._open.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def forms_on_pages(world) -> list[tuple[str, str, set[str]]]:
    """(role, action, field names) of every POST form on every page each role may open."""
    found: dict[tuple[str, str], set[str]] = {}
    for name, rule in MATRIX.items():
        if rule.method != "get":
            continue
        url = reverse(name, kwargs=rule.kwargs(world))
        for role, want in zip(ROLES, rule.expect):
            if want != 200 or role == "anonymous":
                continue
            page = client_for(user_for(world, role)).get(url)
            if "text/html" not in page.get("Content-Type", ""):
                continue
            parser = PostForms()
            parser.feed(page.content.decode(errors="replace"))
            for action, names in parser.forms:
                found.setdefault((role, action or url), set()).update(names)
    return [(role, action, names) for (role, action), names in sorted(found.items()) if action.startswith("/")]


def test_every_form_posted_with_junk_is_refused_not_a_server_error(world):
    forms = forms_on_pages(world)
    assert len(forms) > 40, "the walk found few forms: did the pages stop rendering them?"
    assert any("questions/new" in action for _, action, _ in forms) and any("overrides" in action for _, action, _ in forms)
    errors = []
    for role, action, names in forms:
        client = client_for(user_for(world, role))
        for junk in JUNK:
            data = {} if junk is None else {name: junk for name in names if name != "csrfmiddlewaretoken"}
            with transaction.atomic():
                try:
                    status = client.post(action, data).status_code
                except Exception as error:  # the test client re-raises what would be a 500
                    status = f"{type(error).__name__}: {str(error)[:100]}"
                transaction.set_rollback(True)
            if not isinstance(status, int) or status >= 500:
                errors.append(f"{role} POST {action} {sorted(names)[:6]} = {(junk or '')[:6]!r} -> {status}")
    assert not errors, "\n".join(errors)
