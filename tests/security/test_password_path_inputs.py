"""Odd usernames on every password path (log-in form, admin log-in, HTTP Basic): refused, never a 500,
and still counted by the lock-out. A NUL or a name longer than axes' column made its own insert fail on
PostgreSQL, so a guesser got a 500 (and no failure was counted)."""
import base64

import pytest
from axes.models import AccessAttempt
from django.test import Client

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


def _change(client: Client, old: str):
    return client.post("/accounts/password_change/", {"old_password": old, "new_password1": "N3w-passphrase-77",
                                                      "new_password2": "N3w-passphrase-77"})


def test_guessing_the_old_password_on_the_change_form_is_locked_out(cast):
    from tests.factories import DEFAULT_PASSWORD

    # given a signed-in session someone else is using
    borrowed = Client(REMOTE_ADDR="10.1.1.4")
    borrowed.force_login(cast.student)
    for _ in range(4):
        assert "incorrect" in _change(borrowed, "guess").content.decode()
    assert _change(borrowed, "guess").status_code == 429  # the fifth guess locks the pair
    # when the right old password comes next, from the same address
    response = _change(borrowed, DEFAULT_PASSWORD)
    # then it is refused with the wait, and the password did not change
    assert response.status_code == 429 and "Too many failed log-in attempts" in response.content.decode()
    cast.student.refresh_from_db()
    assert cast.student.check_password(DEFAULT_PASSWORD)
    # the owner, elsewhere, still logs in and changes it
    owner = Client(REMOTE_ADDR="10.1.1.5")
    assert owner.post("/accounts/login/", {"username": cast.student.username, "password": DEFAULT_PASSWORD}).status_code == 302
    assert _change(owner, DEFAULT_PASSWORD).status_code == 302
