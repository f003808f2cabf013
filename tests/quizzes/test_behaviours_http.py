"""Checking questions over HTTP (htmx and plain forms) and the API, as learners and as attackers; and the
rule that nothing of the answer key or an unearned hint reaches a browser before its time."""
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from quizzes.models import Answer, REVIEW_ITEMS
from quizzes.services.attempts import attempt_start, attempt_submit
from tests.conftest import client_for
from tests.quiz_ids import choice
from tests.quizzes.behaviour_setup import HINTS, hinted_quiz

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def started(cast, make_quiz):
    quiz = hinted_quiz(make_quiz, cast, behaviour="interactive")
    attempt = attempt_start(quiz=quiz, user=cast.student)
    return attempt, attempt.layout[-1][0]


def _check_url(attempt, question):
    return reverse("quizzes:answer_check", args=[attempt.pk, question])


def _post_check(client, attempt, question, text, htmx=True):
    data = {f"q{question}-choice": choice(attempt, question, text), f"q{question}-present": "1"}
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(_check_url(attempt, question), data, **extra)


def _api_check(user, attempt, question, text):
    return api(user).post(f"/api/attempts/{attempt.pk}/questions/{question}/check/",
                          {"response": {"choice": choice(attempt, question, text)}}, format="json")


def test_htmx_check_swaps_the_question_wrong_shows_the_first_hint_then_right_shows_the_reduced_mark(cast, started):
    attempt, question = started
    client = client_for(cast.student)
    page = client.get(attempt.get_absolute_url()).content.decode()
    assert "Check</button>" in page and "SECRET-HINT" not in page
    wrong = _post_check(client, attempt, question, "ReLU").content.decode()
    assert "Not right yet" in wrong and HINTS[0].split(":")[0] in wrong and "SECRET-HINT-two" not in wrong
    assert "<form" not in wrong and "<legend" in wrong  # only the question, for the fieldset's innerHTML
    assert "SECRET-FB" not in wrong and "quiz-tag--right" not in wrong and "is-right" not in wrong
    right = _post_check(client, attempt, question, "Softmax").content.decode()
    assert "Finished." in right and "Mark: 0.75 / 1" in right and "disabled" in right
    assert "SECRET-HINT" not in right


def test_a_plain_form_check_without_javascript_comes_back_to_the_question(cast, started):
    attempt, question = started
    reply = _post_check(client_for(cast.student), attempt, question, "ReLU", htmx=False)
    assert reply.status_code == 302 and reply["Location"].endswith("#question-1")
    page = client_for(cast.student).get(reply["Location"]).content.decode()
    assert "SECRET-HINT-one" in page and len(Answer.objects.get(attempt=attempt, question_id=question).tries) == 1


def test_an_empty_check_says_why_and_uses_no_try(cast, started):
    attempt, question = started
    reply = client_for(cast.student).post(_check_url(attempt, question), {f"q{question}-present": "1"}, HTTP_HX_REQUEST="true")
    assert "Answer the question before checking it." in reply.content.decode()
    assert Answer.objects.get(attempt=attempt, question_id=question).tries == []


@pytest.mark.parametrize("who", ["anonymous", "classmate", "other_student", "instructor", "other_instructor", "admin"])
def test_nobody_else_can_check_a_learners_question(cast, started, who):
    attempt, question = started
    user = None if who == "anonymous" else getattr(cast, who)
    page = client_for(user).post(_check_url(attempt, question), {}, HTTP_HX_REQUEST="true")
    assert page.status_code in (302, 404)  # anonymous: to the login page
    reply = api(user).post(f"/api/attempts/{attempt.pk}/questions/{question}/check/", {"response": {}}, format="json")
    assert reply.status_code in (401, 403, 404)
    assert Answer.objects.get(attempt=attempt, question_id=question).tries == []


def test_api_check_a_wrong_then_right_try_and_the_attempt_detail_shows_tries(cast, started):
    attempt, question = started
    wrong = _api_check(cast.student, attempt, question, "Tanh")
    assert wrong.status_code == 200
    body = wrong.json()
    assert body["progress"] == {"checkable": True, "finished": False, "tries_used": 1, "tries_left": 2,
                                "hint": HINTS[0], "penalty": 0.25}
    assert "marks" not in body and "state" not in body and "right_answer" not in body
    right = _api_check(cast.student, attempt, question, "Softmax").json()
    assert right["progress"]["finished"] and right["marks"] == pytest.approx(0.75) and right["state"] == "correct"
    again = _api_check(cast.student, attempt, question, "Softmax")
    assert again.status_code == 409 and again.json()["code"] == "finished"
    saved = api(cast.student).post(f"/api/attempts/{attempt.pk}/answers/",
                                   {"question": question, "response": {"choice": choice(attempt, question, "Tanh")}},
                                   format="json")
    assert saved.status_code == 409 and "finished" in saved.json()["detail"]
    detail = api(cast.student).get(f"/api/attempts/{attempt.pk}/").json()
    assert detail["behaviour"] == "interactive" and detail["questions"][-1]["progress"]["tries_used"] == 2


@pytest.mark.parametrize("path_question, body, status", [
    ("999999999", {"response": {"choice": "b"}}, 404),  # not a question of this attempt
    ("abc", {"response": {}}, 404),
    ("99999999999999999999999", {"response": {}}, 404),
    (None, {"response": "b"}, 400),  # wrong type
    (None, {"response": {"choice": "b" * 100_000}}, 400),  # huge
    (None, {"response": {"choice": "\x00\x01"}}, 400),  # control characters: no such choice
    (None, {}, 400),
])
def test_api_check_refuses_what_it_cannot_use(cast, started, path_question, body, status):
    attempt, question = started
    reply = api(cast.student).post(f"/api/attempts/{attempt.pk}/questions/{path_question or question}/check/",
                                   body, format="json")
    assert reply.status_code == status
    assert Answer.objects.get(attempt=attempt, question_id=question).tries == []


def test_no_check_on_a_submitted_attempt(cast, started):
    attempt, question = started
    attempt_submit(attempt=attempt)
    assert _api_check(cast.student, attempt, question, "Softmax").status_code == 409
    page = _post_check(client_for(cast.student), attempt, question, "Softmax")
    assert page.status_code == 409 and page["HX-Redirect"] == attempt.get_absolute_url()


def _hidden_review_options():
    return {item: {"immediately": False, "later": True, "after_close": True} for item in REVIEW_ITEMS}


def test_a_finished_question_shows_nothing_the_review_options_hide_immediately(cast, make_quiz):
    quiz = hinted_quiz(make_quiz, cast, behaviour="immediate", review_options=_hidden_review_options())
    attempt = attempt_start(quiz=quiz, user=cast.student)
    question = attempt.layout[-1][0]
    html = _post_check(client_for(cast.student), attempt, question, "Softmax").content.decode()
    body = api(cast.student).get(f"/api/attempts/{attempt.pk}/").json()
    item = body["questions"][-1]
    assert item["progress"]["finished"]
    for secret in ("marks", "state", "right_answer", "feedback", "general_feedback"):
        assert secret not in item
    assert "Mark:" not in html and "SECRET" not in html and "right answer" not in html.lower()
    assert "SECRET" not in json.dumps(body) and '"fraction"' not in json.dumps(body)


def test_a_finished_question_shows_marks_feedback_and_right_answer_when_allowed_immediately(cast, make_quiz):
    quiz = hinted_quiz(make_quiz, cast, behaviour="immediate")
    attempt = attempt_start(quiz=quiz, user=cast.student)
    question = attempt.layout[-1][0]
    html = _post_check(client_for(cast.student), attempt, question, "ReLU").content.decode()
    assert "Mark: 0 / 1" in html and "SECRET-FB-relu" in html and "right answer</span>" in html
    item = api(cast.student).get(f"/api/attempts/{attempt.pk}/").json()["questions"][-1]
    assert item["marks"] == 0.0 and item["right_answer"] == {"choice": choice(attempt, question, "Softmax")}


def test_the_schema_documents_the_check_endpoint(cast):
    schema = api(cast.student).get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/attempts/{id}/questions/{question}/check/" in paths


def test_no_hint_reaches_the_api_or_page_before_the_wrong_try_that_earns_it(cast, started):
    attempt, question = started
    before = api(cast.student).get(f"/api/attempts/{attempt.pk}/")
    assert before.json()["questions"][-1]["progress"]["hint"] is None and "SECRET-HINT" not in before.content.decode()
    _api_check(cast.student, attempt, question, "Tanh")
    page = client_for(cast.student).get(attempt.get_absolute_url()).content.decode()
    assert "SECRET-HINT-one" in page and "SECRET-HINT-two" not in page


def test_a_check_after_the_deadline_submits_the_attempt_and_uses_no_try(cast, started):
    from datetime import timedelta

    from django.utils import timezone

    from quizzes.models import Attempt

    attempt, question = started
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    reply = _post_check(client_for(cast.student), attempt, question, "Softmax")
    assert reply.status_code == 409 and reply["HX-Redirect"] == attempt.get_absolute_url()
    assert Attempt.objects.get(pk=attempt.pk).state == "submitted"
    assert Answer.objects.get(attempt=attempt, question_id=question).tries == []


def test_a_plain_form_check_keeps_the_other_answers_on_the_page(cast, make_quiz):
    quiz = hinted_quiz(make_quiz, cast, behaviour="interactive", qtypes=["numeric"])
    attempt = attempt_start(quiz=quiz, user=cast.student)
    numeric, single = attempt.layout[0][0], attempt.layout[1][0]
    data = {f"q{numeric}-present": "1", f"q{numeric}-text": "8",
            f"q{single}-present": "1", f"q{single}-choice": choice(attempt, single, "Softmax")}
    reply = client_for(cast.student).post(_check_url(attempt, single), data)
    assert reply.status_code == 302
    assert Answer.objects.get(attempt=attempt, question_id=numeric).response == {"value": "8"}
    assert Answer.objects.get(attempt=attempt, question_id=single).finished
