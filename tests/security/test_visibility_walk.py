"""Every API list and detail, walked as a demoted instructor and as a student of another course.

Neither may learn anything about drafts, quizzes of courses they do not take, lesson bodies they may
not read, or questions and attempts: every object below carries a HIDDEN marker, and no answer (any
status) may contain it. Routes are discovered from the URLconf, so an endpoint added later is walked too.
"""
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from accounts.roles import INSTRUCTORS_GROUP
from courses.models import Lesson
from courses.services import lesson_render
from quizzes.review.models import ReviewCard
from tests.conftest import client_for
from tests.factories import CourseFactory, LessonFactory, UserFactory, enroll, make_instructor
from tests.security.test_url_matrix import url_patterns

pytestmark = pytest.mark.django_db

HIDDEN = "HIDDEN-7f3a"
# Django's <converter:name> and the DRF router's (?P<name>regex) route parameters: the whole group is
# replaced, so a router route becomes a real URL and not "(?P123[0-9]+)", which would 404 for everyone.
PARAM = re.compile(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>")
NOT_WALKED = ("api/schema/", "api/docs/")  # documentation, no objects


@pytest.fixture
def secrets(cast, make_quiz):
    draft_course = CourseFactory(slug="draft-course", title=f"{HIDDEN} draft course", is_published=False)
    draft_course_lesson = LessonFactory(course=draft_course, slug="inside", title=f"{HIDDEN} lesson of a draft course")
    Lesson.objects.filter(pk=cast.draft.pk).update(title=f"{HIDDEN} draft lesson")
    body = f"Only for the enrolled: {HIDDEN} body"
    Lesson.objects.filter(pk=cast.lesson.pk).update(body_markdown=body, **lesson_render(body_markdown=body))
    quizzes = [
        make_quiz(qtypes=("single_choice", "essay"), title=f"{HIDDEN} published quiz"),
        make_quiz(title=f"{HIDDEN} unpublished quiz", is_published=False),
        make_quiz(title=f"{HIDDEN} quiz in a draft course", lesson=draft_course_lesson),
    ]
    from quizzes.services import attempts as attempt_services
    from quizzes.services.questions import question_create
    from tests.conftest import QUESTION_SPECS

    for quiz in quizzes:  # question text and feedback are secrets too (the export and the Check answer them)
        question_create(quiz=quiz, user=cast.instructor, spec={
            **QUESTION_SPECS["single_choice"], "text": f"{HIDDEN} question", "general_feedback": f"{HIDDEN} feedback"})
    attempt = attempt_services.attempt_start(quiz=quizzes[0], user=cast.student)
    demoted = make_instructor(username="demoted", course=draft_course)
    cast.course.instructors.add(demoted)
    demoted.groups.remove(Group.objects.get(name=INSTRUCTORS_GROUP))
    outsider = UserFactory(username="outsider")
    enroll(outsider, cast.other_course)
    return {
        "users": {"demoted instructor": demoted, "student of another course": outsider},
        "slugs": [draft_course.slug, cast.course.slug],
        "lesson_slugs": [draft_course_lesson.slug, cast.draft.slug, cast.lesson.slug],
        "pks": sorted({draft_course_lesson.pk, cast.draft.pk, cast.lesson.pk, attempt.pk,
                       *[quiz.pk for quiz in quizzes], *[q.pk for quiz in quizzes for q in quiz.questions.all()]}),
        "quiz_pks": [quiz.pk for quiz in quizzes],
        # (attempt, one of its questions): the per-question Check names both in its URL
        "attempt_questions": [(attempt.pk, question_id) for question_id, _ in attempt.layout],
        "card_pks": [ReviewCard.objects.create(user=cast.student, question=quizzes[0].questions.first(),
                                               due=timezone.now()).pk],  # the student's review card
    }


def api_routes() -> list[str]:
    routes = []
    for _, route in url_patterns():
        route = route.replace("^", "").replace("$", "")
        if route.startswith("api/") and "format" not in route and not route.startswith(NOT_WALKED):
            routes.append(route)
    return sorted(set(routes))


def _names(route: str) -> list[str]:
    return [match.group(1) or match.group(2) for match in PARAM.finditer(route)]


def urls_to_walk(route: str, secrets: dict) -> list[str]:
    params = _names(route)
    if not params:
        path = "/" + route
        queries = [f"?course={slug}" for slug in secrets["slugs"]]
        queries += [f"?lesson={slug}" for slug in secrets["lesson_slugs"]]
        queries += [f"?quiz={pk}" for pk in secrets["quiz_pks"]]
        return [path] + [path + query for query in queries]
    values = {"pk": secrets["pks"], "slug": secrets["slugs"], "course_slug": secrets["slugs"],
              "card_id": secrets["card_pks"], "quiz_id": secrets["quiz_pks"]}
    if params == ["pk", "question"]:  # an attempt and a real question of it
        fillings = [dict(zip(params, pair)) for pair in secrets["attempt_questions"]]
    elif params == ["quiz_id", "fmt"]:  # every hidden quiz, in each exchange format
        fillings = [{"quiz_id": pk, "fmt": fmt} for pk in secrets["quiz_pks"] for fmt in ("gift", "moodlexml")]
    elif len(params) == 1 and params[0] in values:
        fillings = [{params[0]: value} for value in values[params[0]]]
    else:
        raise AssertionError(f"the walk does not know how to fill {route}: add its parameter to urls_to_walk")
    return ["/" + PARAM.sub(lambda match: str(filling[match.group(1) or match.group(2)]), route) for filling in fillings]


def test_the_walk_covers_every_api_resource():
    routes = api_routes()
    for resource in ("courses", "lessons", "quizzes", "attempts", "quiz-questions", "enrollments", "progress"):
        assert f"api/{resource}/" in routes
    assert any("gradebook" in route for route in routes)


@pytest.mark.parametrize("role", ["demoted instructor", "student of another course"])
def test_nothing_hidden_leaks_through_any_api_list_or_detail(secrets, role):
    client: Client = client_for(secrets["users"][role])
    leaks, failures, walked = [], [], 0
    for route in api_routes():
        for url in urls_to_walk(route, secrets):
            response = client.get(url, HTTP_ACCEPT="application/json")
            walked += 1
            if response.status_code >= 500:
                failures.append(f"{url} -> {response.status_code}")
            if HIDDEN in response.content.decode(errors="replace"):
                leaks.append(f"{url} -> {response.status_code}")
    assert walked > 50
    assert not failures
    assert not leaks, f"{role} sees hidden objects through: {leaks}"


@pytest.mark.parametrize("role", ["demoted instructor", "student of another course"])
def test_pages_and_catalogue_agree_with_the_api(secrets, role):
    client = client_for(secrets["users"][role])
    assert HIDDEN not in client.get("/").content.decode()
    assert client.get("/courses/draft-course/").status_code == 404
    assert client.get("/api/courses/draft-course/").status_code == 404
