"""403/404/429/500 pages in the site's style, never Django's debug page under production settings."""
import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_a_missing_page_is_the_sites_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "We couldn’t find that page" in page and 'class="site-header"' in page


@override_settings(DEBUG=False)
def test_a_server_error_is_the_sites_500_without_a_traceback(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("courses.views.reading.selectors.course_list_for_user", broken)
    response = Client(raise_request_exception=False).get(reverse("courses:catalogue"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_the_lock_out_page_is_the_sites_429(client):
    User.objects.create_user("sam", "sam@example.com", "a-long-passphrase-42")
    for _ in range(6):
        response = client.post(reverse("login"), {"username": "sam", "password": "wrong"})
    assert response.status_code == 429 and "Too many attempts" in response.content.decode()


def test_production_settings_never_turn_debug_on(monkeypatch):
    import importlib

    monkeypatch.setenv("DEBUG", "true")
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    production = importlib.import_module("config.settings.production")
    assert importlib.reload(production).DEBUG is False
