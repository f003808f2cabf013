"""Edge values the random fuzzing finds only now and then, tried on every operation of the schema:
integers too large for a database column in every integer query or path parameter. None may be a 5xx.

(bench/fuzz_api.sh found `GET /api/attempts/?quiz=137341789400487772160` answering 500: SQLite
cannot bind an integer that large, PostgreSQL refuses it as out of range.)
"""
import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from tests.security.world import World

pytestmark = pytest.mark.django_db

HUGE = "137341789400487772160"  # > 2**63


def _operations() -> list[tuple[str, str, list[dict]]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                found.append((method, path, operation.get("parameters", [])))
    return found


def test_huge_integers_in_parameters_are_refused_not_crashed(world: World):
    _check(world)


def test_a_quiz_filter_that_is_no_id_is_a_clear_400(world: World):
    client = Client()
    client.force_login(world.instructor)
    for path in ("/api/attempts/", "/api/quiz-questions/"):
        for value in (HUGE, "abc"):
            response = client.get(path, {"quiz": value})
            assert response.status_code == 400, (path, value)
            assert "quiz id" in response.json()["quiz"][0]


def _check(world: World) -> None:
    client = Client(raise_request_exception=False)  # a crash is a 500 here, as a browser would see it
    client.force_login(world.instructor)
    crashed = []
    for method, path, parameters in _operations():
        if path == "/api/attention/":
            continue  # the attention API needs the worker; bench/fuzz_api.sh covers it
        url = path
        query = {}
        for parameter in parameters:
            is_int = parameter.get("schema", {}).get("type") == "integer"
            if parameter["in"] == "path":
                url = url.replace("{" + parameter["name"] + "}", HUGE if is_int or parameter["name"] == "id" else world.course.slug)
            elif parameter["in"] == "query" and is_int:
                query[parameter["name"]] = HUGE
        if url == path and not query:
            continue
        if method == "get":
            response = client.get(url, query)
        else:
            response = getattr(client, method)(url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""),
                                               {}, content_type="application/json")
        if response.status_code >= 500:
            crashed.append(f"{method.upper()} {url} {query} -> {response.status_code}")
    assert not crashed, "\n".join(crashed)
