"""Odd usernames on every password path (log-in form, admin log-in, HTTP Basic): refused, never a 500,
and still counted by the lock-out. A NUL or a name longer than axes' column made its own insert fail on
PostgreSQL, so a guesser got a 500 (and no failure was counted)."""
import base64

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LONG = "x" * 300  # over the 150 of a username and the 255 of axes' record


def _basic(username: str, password: str = "wrong") -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def _form(path: str):
    return lambda client, username: client.post(path, {"username": username, "password": "wrong"})


PATHS = {
    "login form": _form("/accounts/login/"),
    "admin login": _form("/admin/login/"),
    "api basic": lambda client, username: client.get("/api/enrollments/", **_basic(username)),
}


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("username", [LONG, "sam\x00", "a\x00" * 200], ids=["long", "nul", "long-with-nuls"])
def test_an_odd_username_is_refused_not_a_server_error(cast, path, username):
    response = PATHS[path](Client(REMOTE_ADDR="10.1.1.1"), username)
    assert response.status_code in (200, 401, 403), response.status_code  # the form again, or the API's refusal
    if path == "api basic":
        assert response.json()["detail"] == "Invalid username/password."


@pytest.mark.parametrize("path", PATHS)
def test_guessing_with_an_over_long_username_is_locked_out_like_any_other(cast, path):
    client = Client(REMOTE_ADDR="10.1.1.2")
    for _ in range(5):
        PATHS[path](client, LONG)
    assert PATHS[path](client, LONG).status_code == 429
    stored = AccessAttempt.objects.get()
    assert stored.username == LONG[:255] and stored.failures_since_start >= 5
    # the same name from another address is not locked
    assert PATHS[path](Client(REMOTE_ADDR="10.1.1.3"), LONG).status_code != 429
