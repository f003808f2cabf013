"""The gradebook reads each learner's attempt limit through their overrides: an extra attempt is "not passed
yet", not "not passed" (quizzes.overrides decides; the gradebook must agree with the quiz page)."""
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from progress.selectors.gradebook import gradebook_for_course
from progress.selectors.grades import FAILED
from quizzes.overrides.models import LearnerGroup
from quizzes.overrides.services import override_create
from quizzes.selectors import final_grade_for_user
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _fail_once(quiz, user):
    attempt = attempt_start(quiz=quiz, user=user)
    for question_id, _ in attempt.layout:
        answer_save(attempt=attempt, question_id=question_id, response={"choice": "a"})  # "b" is right
    attempt_submit(attempt=attempt)


@pytest.fixture
def one_try(cast, make_quiz):
    """A one-attempt quiz both students failed; only the student has an override giving a second try."""
    quiz = make_quiz(attempts_allowed=1)
    _fail_once(quiz, cast.student)
    _fail_once(quiz, cast.classmate)
    override_create(quiz=quiz, actor=cast.instructor, user=cast.student, attempts_allowed=2)
    return quiz


def _grades(course, quiz):
    book = gradebook_for_course(course=course)
    return {row.learner.username: row.grades[book.quizzes.index(quiz)] for row in book.rows}


def test_an_extra_attempt_is_not_failed_with_no_attempts_left(cast, one_try):
    grades = _grades(cast.course, one_try)
    student, classmate = grades["student1"], grades["student3"]
    assert student.state == FAILED and classmate.state == FAILED
    assert student.attempts_left == 1 and student.state_label == "Not passed yet" and not student.is_finished
    assert classmate.attempts_left == 0 and classmate.state_label == "Not passed" and classmate.is_finished
    # the quiz page (its own rule) agrees
    assert final_grade_for_user(quiz=one_try, user=cast.student).attempts_left == student.attempts_left


def test_a_group_override_counts_too_and_unlimited_beats_a_number(cast, one_try):
    group = LearnerGroup.objects.create(course=cast.course, name="Extra tries")
    group.members.add(cast.classmate)
    override_create(quiz=one_try, actor=cast.instructor, group=group, attempts_allowed=0)  # 0: unlimited
    assert _grades(cast.course, one_try)["student3"].attempts_left is None


def test_a_learner_who_has_not_started_shows_their_own_limit(cast, make_quiz):
    quiz = make_quiz(attempts_allowed=1)
    override_create(quiz=quiz, actor=cast.instructor, user=cast.student, attempts_allowed=3)
    grades = _grades(cast.course, quiz)
    assert grades["student1"].attempts_left == 3 and grades["student3"].attempts_left == 1


def test_an_override_on_another_quiz_changes_nothing_here(cast, make_quiz, one_try):
    other = make_quiz(attempts_allowed=1)
    override_create(quiz=other, actor=cast.instructor, user=cast.classmate, attempts_allowed=5)
    assert _grades(cast.course, one_try)["student3"].attempts_left == 0


def test_the_page_the_api_and_the_instructor_see_the_same(cast, one_try):
    page = client_for(cast.instructor).get(reverse("progress:gradebook", args=[cast.course.slug])).content.decode()
    assert "Not passed yet" in page and "Not passed<" in page.replace("Not passed yet", "")
    client = APIClient()
    client.force_authenticate(cast.instructor)
    rows = client.get(reverse("progress_api:gradebook", args=[cast.course.slug])).json()["results"]
    left = {row["username"]: row["grades"][0]["attempts_left"] for row in rows}
    assert left["student1"] == 1 and left["student3"] == 0
