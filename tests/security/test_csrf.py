"""Every state-changing request needs a CSRF token: a POST to any URL of the site without one is refused.

Walks every URL pattern (through the security matrix's table, which the coverage test keeps
complete) as a signed-in student and as an admin, with CSRF checks on as in a real browser.
"""
import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.security.test_url_matrix import MATRIX, _request

pytestmark = pytest.mark.django_db

# Nothing is exempt today. A pattern listed here must say why a forged POST would be harmless.
CSRF_EXEMPT: dict[str, str] = {}


def _csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("name", sorted(set(MATRIX) - set(CSRF_EXEMPT)))
def test_a_post_without_a_csrf_token_is_refused(world, name):
    rule = MATRIX[name]
    url = reverse(name, kwargs=rule.kwargs(world))
    for role in ("student", "admin"):
        client = _csrf_client(getattr(world, role))
        with transaction.atomic():
            response = _request(client, rule.__class__(**{**rule.__dict__, "method": "post"}), world, url)
            transaction.set_rollback(True)
        assert response.status_code == 403, f"{role} POST {url} without a CSRF token -> {response.status_code}"


def test_the_lab_refuses_a_forged_post_from_an_anonymous_visitor(world):
    # The lab is open to everyone, so it is the one place where an anonymous POST does something.
    response = _csrf_client(None).post(reverse("attention_lab:update"), {"text": "hi"}, content_type="application/json")
    assert response.status_code == 403


def test_the_same_post_with_the_token_goes_through(world):
    # given a page that carries the token, as a browser would have it
    client = _csrf_client(world.other_student)
    client.get(reverse("courses:course_detail", kwargs={"course_slug": world.course.slug}))
    token = client.cookies["csrftoken"].value
    # when the form posts it back
    url = reverse("courses:enroll", kwargs={"course_slug": world.course.slug})
    response = client.post(url, {"csrfmiddlewaretoken": token})
    # then the enrollment happens: the refusals above are about the token, nothing else
    assert response.status_code == 302
    assert world.course.enrollments.filter(user=world.other_student).exists()


def test_login_form_needs_the_token_too(world):
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "student1", "password": "x"})
    assert response.status_code == 403
