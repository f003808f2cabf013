"""Schemathesis fuzzes every operation of /api/schema/ as a signed-in student and as an instructor: no 5xx.

A bounded, derandomised run (a few examples per operation, both schema-valid and invalid inputs,
path ids sometimes pointed at real objects so requests get past the 404s). The long, random run
against a live server is `bench/fuzz_api.sh`. The attention endpoint is left to that script: it
needs the attention worker, which the unit suite does not start.
"""
import base64
import time

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

from tests.factories import DEFAULT_PASSWORD
from tests.security.world import World

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 8
NEEDS_THE_WORKER = {"/api/attention/"}


def _known_path_values(world: World, path: str) -> dict:
    """Real ids for a path's parameters, chosen by the resource the path names."""
    if path.startswith("/api/attempts/"):
        pk = world.open_attempt.pk
    elif path.startswith("/api/quizzes/"):
        pk = world.quiz.pk
    elif path.startswith("/api/quiz-questions/"):
        pk = world.question.pk
    elif path.startswith("/api/lessons/"):
        pk = world.lesson.pk
    elif path.startswith("/api/progress/"):
        pk = world.progress.pk
    elif path.startswith("/api/enrollments/"):
        pk = world.enrollment.pk
    else:
        pk = None
    values = {"slug": world.course.slug, "course_slug": world.course.slug}
    if pk is not None:
        values.update(id=str(pk), pk=str(pk))
    return values


def _fuzz_as(world: World, username: str) -> tuple[list[str], int]:
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/schema/", app)
    token = base64.b64encode(f"{username}:{DEFAULT_PASSWORD}".encode()).decode()
    auth = {"Authorization": f"Basic {token}"}
    server_errors: list[str] = []
    calls = 0

    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path in NEEDS_THE_WORKER:
            continue
        cases = st.one_of(
            operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        )

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=cases, real_ids=st.booleans())
        def run(case, real_ids):
            nonlocal calls
            if real_ids and case.path_parameters:
                known = _known_path_values(world, operation.path)
                case.path_parameters = {key: known.get(key, value) for key, value in case.path_parameters.items()}
            response = case.call(headers=auth)
            calls += 1
            if response.status_code >= 500:
                # The curl line reproduces the request against a running server.
                server_errors.append(f"{response.status_code} {case.as_curl_command()[:400]}")

        run()
    return server_errors, calls


@pytest.fixture
def keep_the_test_connection():
    """The fuzzer calls the WSGI app directly, whose end-of-request signal would close the database
    connection that holds the test's transaction (harmless on in-memory SQLite, fatal on PostgreSQL).
    Django's own test client detaches the same handler."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ["student", "instructor"])
def test_no_server_error_for_any_generated_request(world, role, keep_the_test_connection):
    started = time.monotonic()
    server_errors, calls = _fuzz_as(world, getattr(world, role).username)
    assert calls >= 50, "the fuzzer barely ran: did the schema lose its operations?"
    assert not server_errors, "\n".join(sorted(set(server_errors))[:20])
    assert time.monotonic() - started < 60, "keep the in-suite fuzzing bounded; the long run is bench/fuzz_api.sh"
