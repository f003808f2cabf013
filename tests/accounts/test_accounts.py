"""Sign up, log in, log out and reset a password."""
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_sign_up_logs_the_new_learner_in(client):
    response = client.post(
        reverse("signup"),
        {"username": "newbie", "email": "New@Example.com", "first_name": "Nova", "password1": "a-long-passphrase-42", "password2": "a-long-passphrase-42"},
        follow=True,
    )
    assert response.context["user"].username == "newbie"
    assert User.objects.get(username="newbie").email == "new@example.com"
    assert "Welcome, Nova" in response.content.decode()


def test_sign_up_errors_are_shown_next_to_the_field(client):
    User.objects.create_user("taken", "taken@example.com", "x")
    page = client.post(
        reverse("signup"),
        {"username": "other", "email": "taken@example.com", "password1": "short", "password2": "different"},
    ).content.decode()
    assert "An account already uses this e-mail" in page
    assert "password fields didn’t match" in page


def test_log_in_and_out(client):
    User.objects.create_user("sam", "sam@example.com", "a-long-passphrase-42")
    response = client.post(reverse("login"), {"username": "sam", "password": "a-long-passphrase-42"})
    assert response.status_code == 302
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(client):
    User.objects.create_user("sam", "sam@example.com", "old-passphrase-42")
    client.post(reverse("password_reset"), {"email": "sam@example.com"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "new-passphrase-42", "new_password2": "new-passphrase-42"})
    response = client.post(reverse("login"), {"username": "sam", "password": "new-passphrase-42"})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_every_page_carries_a_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
