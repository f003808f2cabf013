"""Object ids of someone else's attempts, answers, results and progress are refused (IDOR).

Every URL pattern that takes such an id (found by its parameter names, so patterns added later are
probed too) is requested by `classmate`, who is enrolled in the same course as `student` but owns
none of these objects, with GET and POST: never a success, never the student's answer text.
"""
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.security.world import World
from tests.security.test_url_matrix import url_patterns

pytestmark = pytest.mark.django_db

ESSAY_TEXT = "Because variance grows."
# Parameters that name an object belonging to one person.
PERSONAL = {"attempt_id", "answer_id", "user_id"}
# API resources whose `pk` is a personal object.
PERSONAL_API = re.compile(r"^(api|[\w]+_api):(attempt|progress|enrollment|answer|result)[\w-]*$")
PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def _own_question(attempt) -> int:
    """A real question of the attempt (its first), so a refusal is about the owner, not a wrong question."""
    return attempt.layout[0][0]


def _probes(world: World, name: str, params: list[str]) -> list[dict]:
    """Keyword arguments that point at the student's objects, one dict per object worth trying."""
    base = {
        "course_slug": world.course.slug,
        "lesson_slug": world.lesson.slug,
        "quiz_id": world.done_quiz.pk,
        "question_id": world.question.pk,
        "user_id": world.student.pk,
        "answer_id": world.essay_answer.pk,
        "qtype": "single_choice",
        "fmt": "gift",
        "format": "json",
    }
    attempts = (world.open_attempt, world.done_attempt)
    if "pk" in params:
        objects = list(attempts) if ":attempt" in name else []
        objects += [world.progress] if ":progress" in name else []
        objects += [world.enrollment] if ":enrollment" in name else []
        missing = set(params) - set(base) - {"pk", "question"}
        assert not missing, f"the probe cannot fill {name}: add {missing} to _probes"
        # `question` names a question of the attempt in the URL (the API's per-question Check)
        return [{**{p: base[p] for p in params if p not in ("pk", "question")}, "pk": obj.pk,
                 **({"question": _own_question(obj)} if "question" in params else {})} for obj in objects]
    if "attempt_id" in params:
        return [
            {**{p: base[p] for p in params if p != "attempt_id"}, "attempt_id": attempt.pk,
             **({"question_id": _own_question(attempt)} if "question_id" in params else {})}
            for attempt in attempts
        ]
    return [{p: base[p] for p in params}]


def personal_patterns() -> list[tuple[str, list[str]]]:
    found = []
    for name, route in url_patterns():
        params = [p for p in PARAM.findall(route) if p != "format"]
        if name.startswith("admin:") or "drf_format_suffix" in route:
            continue
        if PERSONAL & set(params) or ("pk" in params and PERSONAL_API.match(name)):
            found.append((name, params))
    return sorted(found)


def test_the_probe_finds_the_personal_patterns_we_know():
    names = {name for name, _ in personal_patterns()}
    # If these disappear the probe has gone blind, not the site safer.
    assert {"quizzes:attempt", "quizzes:attempt_review", "api:attempt-detail", "api:progress-detail",
            "quizzes:answer_check", "api:attempt-check"} <= names


@pytest.mark.parametrize("name,params", personal_patterns(), ids=[name for name, _ in personal_patterns()])
def test_a_classmate_cannot_reach_someone_elses_objects(world, name, params):
    client = Client()
    client.force_login(world.classmate)
    for kwargs in _probes(world, name, params):
        url = reverse(name, kwargs=kwargs)
        for method in ("get", "post"):
            with transaction.atomic():
                response = getattr(client, method)(url, {} if method == "post" else None)
                transaction.set_rollback(True)
            where = f"classmate {method.upper()} {url} -> {response.status_code}"
            assert response.status_code in (302, 400, 403, 404, 405), where
            if response.status_code == 302:
                # a redirect must not lead into the student's attempt either
                assert str(kwargs.get("attempt_id", "-")) not in response["Location"], where
            assert ESSAY_TEXT.encode() not in response.content, where
