"""One log-in lock-out for every password path: the form, the admin and HTTP Basic on the API."""
import base64
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase-42"


@pytest.fixture
def sam(db):
    return User.objects.create_user("sam", "sam@example.com", PASSWORD, is_staff=True)


def basic(username: str, password: str) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def form_login(client: Client, password: str, **extra):
    return client.post(reverse("login"), {"username": "sam", "password": password}, **extra)


def test_five_form_failures_lock_the_pair_with_a_page_naming_the_wait(client, sam):
    for _ in range(5):
        form_login(client, "wrong")
    # even the right password is refused while the lock lasts
    response = form_login(client, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed log-in attempts" in page
    assert re.search(r"Try again in \d+ minutes", page)
    assert int(response["Retry-After"]) > 200
    assert "_auth_user_id" not in client.session


def test_basic_auth_guesses_are_counted_and_answered_429_json(client, sam):
    for _ in range(5):
        assert client.get("/api/learning/me/", **basic("sam", "wrong")).status_code in (401, 403, 429)
    response = client.get("/api/learning/me/", **basic("sam", PASSWORD))
    assert response.status_code == 429
    assert "Try again in" in response.json()["detail"]
    assert response["Retry-After"]


def test_admin_login_failures_count_towards_the_same_lock(client, sam):
    for _ in range(3):
        client.post(reverse("admin:login"), {"username": "sam", "password": "wrong"})
    for _ in range(2):
        client.get("/api/learning/me/", **basic("sam", "wrong"))
    assert form_login(client, PASSWORD).status_code == 429


def test_guessing_from_one_address_never_locks_the_owner_out_elsewhere(sam):
    attacker, owner = Client(REMOTE_ADDR="203.0.113.9"), Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(8):
        form_login(attacker, "wrong")
    assert form_login(attacker, PASSWORD).status_code == 429
    assert form_login(owner, PASSWORD).status_code == 302


def test_the_cool_off_grows_while_guessing_goes_on(client, sam):
    for _ in range(5):
        form_login(client, "wrong")
    first_wait = int(form_login(client, "wrong")["Retry-After"])
    for _ in range(3):
        form_login(client, "wrong")
    assert int(form_login(client, "wrong")["Retry-After"]) >= first_wait * 8


def test_a_forged_forwarded_for_does_not_change_the_pair_without_proxies(client, sam):
    for index in range(5):
        form_login(client, "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{index}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}
    assert form_login(client, PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


def test_behind_one_proxy_the_forwarded_address_is_the_client(settings, sam):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(5):
        form_login(proxy, "wrong", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert form_login(proxy, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    # another learner behind the same load balancer is not affected
    assert form_login(proxy, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302


def test_a_success_clears_the_failures(client, sam):
    for _ in range(4):
        form_login(client, "wrong")
    assert form_login(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        form_login(client, "wrong")
    assert form_login(client, PASSWORD).status_code == 302
