"""A corpus of bad inputs sent to every JSON endpoint: each answer is a 4xx in JSON, and nothing is stored.

Endpoints are discovered from the URLconf (every route under /api/, and the lab's update endpoint),
so one added later is probed too. The caller is a signed-in learner enrolled in nothing, and routes
that take an id get ids of another user's objects. Grow the corpus when a new kind of bad input shows up.
"""
import json
import re

import pytest
from django.apps import apps
from django.test import Client

from config.json_body import MAX_BYTES
from tests.conftest import client_for
from tests.security.test_url_matrix import random_slot, url_patterns
from tests.security.world import World, group_in, override_in

pytestmark = pytest.mark.django_db

# Django's <converter:name> and the DRF router's (?P<name>regex) route parameters.
PARAM = re.compile(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>")
NOT_JSON_ENDPOINTS = ("api/schema/", "api/docs/")
STORED_APPS = ("courses", "quizzes", "progress", "auth")

BAD_VALUES = {
    "wrong types": {"text": {"x": 1}, "text_pair": 7, "course": ["attention-101"], "completed": "maybe",
                    "spec": "not an object", "quiz": "1; drop table", "response": 5, "answers": "x", "lesson": {}},
    "control characters": {"text": "a\x00b\x07", "course": "attention\x00-101", "spec": {"title": "\x00", "text": "\x1b[31m"},
                           "quiz": "\x00", "response": {"text": "\x00"}},
    "huge strings": {"text": "x" * 200_000, "course": "c" * 200_000, "quiz": "9" * 400, "spec": {"text": "y" * 200_000}},
    "nulls": {"text": None, "course": None, "spec": None, "quiz": None, "completed": None, "response": None},
}
RAW_BODIES = {
    "deep array": "[" * 1000 + "]" * 1000,
    "deep object": '{"a":' * 200 + "1" + "}" * 200,
    "deep value": json.dumps({"text": "x", "spec": 0})[:-1] + ', "response": ' + "[" * 500 + "]" * 500 + "}",
    "oversize": json.dumps({"text": "x" * (MAX_BYTES + 100)}),
    "not json": "{not json",
    "NaN": '{"text": NaN, "course": Infinity}',
    "a list": "[1, 2, 3]",
    "a string": '"text"',
    "a number": "42",
    "null": "null",
    "invalid utf-8": b"{\"text\": \"\xff\xfe\"}",
}


def corpus() -> dict[str, bytes]:
    bodies = {name: body if isinstance(body, bytes) else body.encode() for name, body in RAW_BODIES.items()}
    bodies.update({name: json.dumps(value).encode() for name, value in BAD_VALUES.items()})
    return bodies


def json_endpoints() -> list[str]:
    routes = set()
    for _, route in url_patterns():
        route = route.replace("^", "").replace("$", "")
        if "format" in route or route.startswith(NOT_JSON_ENDPOINTS):
            continue
        if route.startswith("api/") or route == "lab/update/":
            routes.add(route)
    return sorted(routes)


def fill(route: str, world: World) -> str:
    """The route with the id of another user's object (the student's attempt, enrollment, progress…)."""
    others = {
        "attempts": world.done_attempt.pk, "enrollments": world.enrollment.pk, "progress": world.progress.pk,
        "lessons": world.lesson.pk, "quizzes": world.quiz.pk, "quiz-questions": world.question.pk,
        "quiz-overrides": override_in(world).pk, "quiz-override-audit": override_in(world).quiz.override_audit.get().pk,
        "quiz-random-slots": random_slot(world).pk, "learner-groups": group_in(world).pk,
    }
    named = {
        "slug": world.course.slug, "course_slug": world.course.slug,
        "card_id": world.review_card.pk,  # a card in the student's review queue
        "quiz_id": world.quiz.pk,  # a quiz the caller does not author (import, export)
        "fmt": "moodlexml",
        "question": world.done_attempt.layout[0][0],  # a real question of the attempt in the same URL
    }

    def value(match: re.Match) -> str:
        name = match.group(1) or match.group(2)
        if name in named:
            return str(named[name])
        resource = route.split("/")[1]
        assert name == "pk" and resource in others, f"the corpus cannot fill {route}: add its parameter"
        return str(others[resource])

    return "/" + PARAM.sub(value, route)


def methods_for(route: str) -> list[str]:
    """POST everywhere; PUT and PATCH too on an object's own URL (where an update would go)."""
    match = PARAM.search(route)
    return ["post", "put", "patch"] if match and route.endswith(match.group(0) + "/") else ["post"]


def stored_rows() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for label in STORED_APPS
        for model in apps.get_app_config(label).get_models()
    }


def test_the_corpus_reaches_the_json_endpoints():
    routes = json_endpoints()
    assert "api/attention/" in routes and "lab/update/" in routes and "api/enrollments/" in routes
    assert any("answers" in route for route in routes) and any("quiz-questions" in route for route in routes)
    assert any(route.endswith("/check/") for route in routes) and any(route.endswith("/import/") for route in routes)


def test_every_bad_input_gets_a_4xx_json_answer_and_stores_nothing(world):
    client: Client = client_for(world.other_student)
    override_in(world)  # the ids the corpus fills in exist before counting
    random_slot(world)
    group_in(world)
    before = stored_rows()
    wrong, bodies = [], corpus()
    for route in json_endpoints():
        url = fill(route, world)
        for method in methods_for(route):
            for name, body in bodies.items():
                response = getattr(client, method)(url, data=body, content_type="application/json")
                is_json = response.get("Content-Type", "").startswith("application/json")
                if not 400 <= response.status_code < 500 or not is_json:
                    wrong.append(f"{method.upper()} {url} [{name}] -> {response.status_code} {response.get('Content-Type')}")
    assert not wrong, "\n".join(wrong[:40])
    assert stored_rows() == before
