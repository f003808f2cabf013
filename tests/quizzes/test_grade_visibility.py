"""Review options that hide marks are obeyed wherever a learner reads a grade (issue 12, item 3).

One scenario: a student scored 1 of 2 (50 %) on a quiz whose review options hide marks. No page and
no API may show "50", "1 / 2" or pass/fail; the quiz's instructor still sees it all.
"""
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from quizzes.models import REVIEW_ITEMS, REVIEW_TIMES
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _options(*, marks_when: tuple[str, ...]) -> dict:
    options = {item: {time: True for time in REVIEW_TIMES} for item in REVIEW_ITEMS}
    options["marks"] = {time: time in marks_when for time in REVIEW_TIMES}
    return options


@pytest.fixture
def half_right(cast, make_quiz):
    """student1 answered the numeric question right and the single-choice one wrong: 1 / 2, 50 %."""
    quiz = make_quiz(qtypes=["single_choice", "numeric"], review_options=_options(marks_when=()))
    attempt = attempt_start(quiz=quiz, user=cast.student)
    for question_id, _ in attempt.layout:
        qtype = attempt.answers.get(question_id=question_id).version.qtype
        response = {"value": "8"} if qtype == "numeric" else {"choice": "c"}
        answer_save(attempt=attempt, question_id=question_id, response=response)
    attempt_submit(attempt=attempt)
    return quiz


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_quiz_page_hides_the_attempts_marks_and_the_grade(cast, half_right):
    page = client_for(cast.student).get(half_right.get_absolute_url()).content.decode()
    assert "1 / 2" not in page and "50 %" not in page and "not passed" not in page
    assert "Not shown yet" in page and "Your marks are not shown yet" in page


def test_quiz_page_shows_marks_when_the_options_allow(cast, half_right):
    half_right.review_options = _options(marks_when=REVIEW_TIMES)
    half_right.save()
    page = client_for(cast.student).get(half_right.get_absolute_url()).content.decode()
    assert "1 / 2 · 50 %" in page


def test_quiz_api_my_grade_is_null_and_says_it_is_hidden(cast, half_right):
    my_grade = _api(cast.student).get(f"/api/quizzes/{half_right.pk}/").json()["my_grade"]
    assert (my_grade["percent"], my_grade["passed"], my_grade["marks_hidden"]) == (None, None, True)
    assert my_grade["attempts_used"] == 1


def test_learning_api_hides_percent_and_pass_state(cast, half_right):
    data = _api(cast.student).get("/api/learning/me/").json()
    [grade] = [q for lesson in data["courses"][0]["lessons"] for q in lesson["quizzes"]]
    assert (grade["percent"], grade["passed"], grade["state"]) == (None, None, "submitted")


def test_progress_pages_and_lesson_card_hide_the_grade(cast, half_right):
    client = client_for(cast.student)
    for url in (reverse("progress:my_learning"), reverse("progress:course_progress", args=[cast.course.slug]),
                cast.lesson.get_absolute_url(), cast.course.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "50%" not in page and "50 %" not in page, url
        assert "Failed" not in page and "Not passed" not in page, url


def test_marks_shown_only_after_close_stay_hidden_while_the_quiz_is_open(cast, half_right):
    half_right.review_options = _options(marks_when=("after_close",))
    half_right.save()
    assert _api(cast.student).get(f"/api/quizzes/{half_right.pk}/").json()["my_grade"]["percent"] is None


def test_the_instructor_still_sees_the_students_grade_on_the_review(cast, half_right):
    attempt = half_right.attempts.get()
    review = client_for(cast.instructor).get(reverse("quizzes:attempt_review", args=[attempt.pk])).content.decode()
    assert "1 / 2" in review and "50 %" in review
    mine = client_for(cast.student).get(reverse("quizzes:attempt_review", args=[attempt.pk])).content.decode()
    assert "1 / 2" not in mine and "50 %" not in mine
