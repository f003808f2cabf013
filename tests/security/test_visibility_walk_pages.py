"""The pages' side of the visibility walk: every page and form of the site (not the API, which
test_visibility_walk covers), requested with GET and POST by a demoted instructor (still on the course's
list, no longer an instructor) and by a student of another course.

Authoring, report and override pages must not open for them (no 2xx), and no answer may hold a HIDDEN
marker: drafts, other courses' quizzes, question text, override reasons, group names, pool tags.
Routes come from the URLconf, so a page added later is walked too; a new route parameter fails the walk
until it is given a value here.
"""
import re

import pytest
from django.db import transaction

from quizzes.models import Attempt, Quiz, RandomSlot
from quizzes.overrides.models import LearnerGroup
from tests.conftest import client_for
from tests.security.test_url_matrix import url_patterns
from tests.security import test_visibility_walk
from tests.security.test_visibility_walk import HIDDEN

secrets = test_visibility_walk.secrets  # the API walk's fixture: the same hidden objects and users

pytestmark = pytest.mark.django_db

PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
# Pages only the course's authors (or staff) may use: their routes say so.
AUTHORING = re.compile(r"^(quizzes/manage/|courses/<slug:course_slug>/manage/|progress/teaching/|progress/platform/)")


@pytest.fixture
def hidden_objects(secrets, cast):
    from quizzes.overrides.services import override_create

    quiz = Quiz.objects.get(pk=secrets["quiz_pks"][0])
    override = override_create(quiz=quiz, actor=cast.instructor, user=cast.student, time_limit_minutes=90,
                               reason=f"{HIDDEN} reason")
    return {
        "course_slug": cast.course.slug, "lesson_slug": cast.lesson.slug, "quiz_id": quiz.pk,
        "question_id": quiz.questions.first().pk, "qtype": "single_choice", "fmt": "moodlexml",
        "slot_id": RandomSlot.objects.create(quiz=quiz, position=9, draw_count=1, tag=f"{HIDDEN}tag").pk,
        "override_id": override.pk,
        "group_id": LearnerGroup.objects.create(course=cast.course, name=f"{HIDDEN} group").pk,
        "attempt_id": Attempt.objects.filter(quiz=quiz).first().pk, "user_id": cast.student.pk,
        "card_id": secrets["card_pks"][0], "chart": "enrollments", "answer_id": 1,
        "uidb64": "MQ", "token": "not-a-token",
    }


def page_routes() -> list[tuple[str, str]]:
    return sorted({(name, route) for name, route in url_patterns()
                   if not name.startswith("admin:") and not route.startswith(("api/", "^")) and "format" not in route})


def test_the_walk_knows_the_authoring_pages():
    routes = [route for _, route in page_routes()]
    authoring = [route for route in routes if AUTHORING.match(route)]
    assert any("overrides/groups" in route for route in authoring) and any("random-slots" in route for route in authoring)
    assert any("export" in route for route in authoring) and any("responses" in route for route in authoring)


@pytest.mark.parametrize("role", ["demoted instructor", "student of another course"])
def test_no_page_opens_or_shows_hidden_objects(secrets, hidden_objects, role):
    client = client_for(secrets["users"][role])
    wrong, walked = [], 0
    for name, route in page_routes():
        missing = set(PARAM.findall(route)) - set(hidden_objects)
        assert not missing, f"the walk cannot fill {route}: give {missing} a value in hidden_objects"
        url = "/" + PARAM.sub(lambda match: str(hidden_objects[match.group(1)]), route)
        for method in ("get", "post"):
            with transaction.atomic():
                response = getattr(client, method)(url, {} if method == "post" else None)
                transaction.set_rollback(True)
            walked += 1
            where = f"{role} {method.upper()} {url} -> {response.status_code}"
            if response.status_code >= 500:
                wrong.append(f"{where}: server error")
            if HIDDEN in response.content.decode(errors="replace"):
                wrong.append(f"{where}: shows a hidden object")
            if AUTHORING.match(route) and response.status_code < 300:
                wrong.append(f"{where}: an authoring page opened")
    assert walked > 100
    assert not wrong, "\n".join(wrong)
