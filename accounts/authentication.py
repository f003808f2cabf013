"""DRF's HTTP Basic authentication, counted by the same log-in lock-out as the form and the admin."""
from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BasicAuthentication

from .lockout import lockout_message, seconds_to_wait


class ThrottledBasicAuthentication(BasicAuthentication):
    """Checks the password through django.contrib.auth.authenticate with the Django request, so axes
    sees (and counts) every guess and refuses a locked-out (username, address) pair with a 429."""

    def authenticate_credentials(self, userid, password, request=None):
        django_request = getattr(request, "_request", request)
        if "\x00" in userid:  # no account's name holds a NUL, and PostgreSQL refuses to look one up (a 500)
            raise exceptions.AuthenticationFailed("Invalid username/password.")
        user = authenticate(request=django_request, username=userid, password=password)
        if getattr(django_request, "axes_locked_out", False):
            raise exceptions.Throttled(wait=seconds_to_wait(django_request), detail=lockout_message(django_request))
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid username/password.")
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        return (user, None)


class ThrottledBasicScheme(OpenApiAuthenticationExtension):
    """Documents it in the OpenAPI schema exactly as plain HTTP Basic."""

    target_class = ThrottledBasicAuthentication
    name = "basicAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "basic"}
