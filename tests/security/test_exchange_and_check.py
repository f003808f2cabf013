"""Attacks on the routes that landed together: the per-question Check and the quiz import/export API.

The URL matrix decides a status per role on a published quiz; here the nastier cases: a draft quiz
exported by an enrolled learner or a demoted instructor, an import by anyone but an author (nothing may
be stored), and a classmate's or an author's Check of the student's question (no try may be used).
"""
import pytest
from django.contrib.auth.models import Group

from accounts.roles import INSTRUCTORS_GROUP
from quizzes.models import Answer, Question, Quiz
from tests.conftest import client_for
from tests.security.test_url_matrix import GIFT_ONE_QUESTION, _softmax
from tests.security.world import World

pytestmark = pytest.mark.django_db

FORMATS = ("gift", "moodlexml", "markdown")


@pytest.fixture
def demoted(world: World):
    """Still listed among the course's instructors, but no longer in the Instructors group."""
    user = world.cast.instructor
    user.groups.remove(Group.objects.get(name=INSTRUCTORS_GROUP))
    return user


def _export(user, quiz_id: int, fmt: str):
    return client_for(user).get(f"/api/quizzes/{quiz_id}/export/{fmt}/")


def _import(user, quiz_id: int):
    return client_for(user).post(f"/api/quizzes/{quiz_id}/import/", {"fmt": "gift", "text": GIFT_ONE_QUESTION},
                                 content_type="application/json")


def test_a_draft_quiz_is_exported_to_its_authors_only(world: World):
    Quiz.objects.filter(pk=world.quiz.pk).update(is_published=False)
    for fmt in FORMATS:
        for role in ("student", "classmate", "other_student", "other_instructor"):
            response = _export(getattr(world, role), world.quiz.pk, fmt)
            assert response.status_code == 404, (role, fmt, response.status_code)
            assert b"Softmax" not in response.content, (role, fmt)
        assert _export(None, world.quiz.pk, fmt).status_code in (401, 403)
        mine = _export(world.instructor, world.quiz.pk, fmt)
        assert mine.status_code == 200 and b"Softmax" in mine.content, fmt


def test_a_demoted_instructor_can_neither_export_nor_import(world: World, demoted):
    before = Question.objects.count()
    for fmt in FORMATS:
        assert _export(demoted, world.quiz.pk, fmt).status_code == 404
    assert _import(demoted, world.quiz.pk).status_code == 404
    assert Question.objects.count() == before


@pytest.mark.parametrize("role", ["student", "classmate", "other_student", "other_instructor"])
def test_only_an_author_imports_and_nothing_is_stored_for_anyone_else(world: World, role):
    before = Question.objects.count()
    response = _import(getattr(world, role), world.quiz.pk)
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    assert Question.objects.count() == before
    assert _import(None, world.quiz.pk).status_code in (401, 403)
    assert Question.objects.count() == before
    assert _import(world.instructor, world.quiz.pk).status_code == 201  # the same request works for an author
    assert Question.objects.count() == before + 1


def test_an_import_into_an_unknown_or_huge_quiz_id_is_a_404(world: World):
    for quiz_id in (10**9, 2**63 - 1):
        assert _import(world.instructor, quiz_id).status_code == 404
        assert _export(world.instructor, quiz_id, "gift").status_code == 404
    assert _export(world.instructor, world.quiz.pk, "docx").status_code == 404


@pytest.fixture
def checkable(world: World) -> World:
    Quiz.objects.filter(pk=world.quiz.pk).update(behaviour="immediate")
    return world


def _tries(world: World) -> list:
    return Answer.objects.get(attempt=world.open_attempt, question=world.question).tries


@pytest.mark.parametrize("role", ["classmate", "other_student", "instructor", "other_instructor", "admin"])
def test_nobody_but_the_owner_checks_a_question(checkable: World, role):
    world = checkable
    client = client_for(getattr(world, role))
    api = client.post(f"/api/attempts/{world.open_attempt.pk}/questions/{world.question.pk}/check/",
                      {"response": {"choice": _softmax(world)}}, content_type="application/json")
    page = client.post(f"/quizzes/attempts/{world.open_attempt.pk}/answers/{world.question.pk}/check/",
                       {f"q{world.question.pk}-choice": _softmax(world)}, headers={"HX-Request": "true"})
    assert (api.status_code, page.status_code) == (404, 404), role
    assert _tries(world) == []  # no try of the student's was used


def test_the_owner_checks_once_and_a_replay_uses_no_second_try(checkable: World):
    world = checkable
    client = client_for(world.student)
    url = f"/api/attempts/{world.open_attempt.pk}/questions/{world.question.pk}/check/"
    body = {"response": {"choice": _softmax(world)}}
    assert client.post(url, body, content_type="application/json").status_code == 200
    replay = client.post(url, body, content_type="application/json")
    assert replay.status_code == 409 and replay.json()["code"] == "finished"
    assert len(_tries(world)) == 1


def test_a_question_of_another_attempt_cannot_be_checked_through_ones_own(checkable: World):
    world = checkable
    foreign = world.done_attempt.layout[0][0]  # a real question, but of the student's other quiz
    response = client_for(world.student).post(
        f"/api/attempts/{world.open_attempt.pk}/questions/{foreign}/check/",
        {"response": {"choice": "x"}}, content_type="application/json")
    assert response.status_code == 404
