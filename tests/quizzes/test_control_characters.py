"""Answers with NUL and other control characters are stored without them, on every way in.

PostgreSQL's jsonb refuses "\\u0000"; run this file with DATABASE_URL pointing at PostgreSQL too.
"""
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from quizzes.domain.control_characters import response_without_control_characters
from quizzes.models import Answer
from quizzes.services.attempts import answer_save, attempt_start
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

DIRTY = "soft\x00max\x07\x1b\x7f"
ESSAY = "line one\r\n\tline\x00 two\n"


def test_control_characters_go_but_tab_and_newlines_stay():
    dirty = {"text": DIRTY, "pairs": {"a\x00": ["x\x01"]}, "value": 3}
    assert response_without_control_characters(dirty) == {"text": "softmax", "pairs": {"a": ["x"]}, "value": 3}
    assert response_without_control_characters({"text": ESSAY}) == {"text": "line one\r\n\tline two\n"}


def test_the_service_stores_the_cleaned_answer(cast, make_quiz):
    quiz = make_quiz(qtypes=["short_answer", "essay"])
    attempt = attempt_start(quiz=quiz, user=cast.student)
    short, essay = (q for q, _ in attempt.layout)
    answer_save(attempt=attempt, question_id=short, response={"text": DIRTY})
    answer_save(attempt=attempt, question_id=essay, response={"text": ESSAY})
    saved = dict(Answer.objects.filter(attempt=attempt).values_list("question_id", "response"))
    assert saved == {short: {"text": "softmax"}, essay: {"text": "line one\r\n\tline two\n"}}


def test_page_autosave_and_the_no_javascript_form_store_the_cleaned_answer(cast, make_quiz):
    quiz = make_quiz(qtypes=["short_answer", "numeric"])
    attempt = attempt_start(quiz=quiz, user=cast.student)
    short, numeric = (q for q, _ in attempt.layout)
    client = client_for(cast.student)
    reply = client.post(reverse("quizzes:answer_save", args=[attempt.pk, short]), {f"q{short}-text": DIRTY})
    assert reply.status_code == 200
    client.post(reverse("quizzes:attempt_finish", args=[attempt.pk]),
                {f"q{numeric}-present": "1", f"q{numeric}-text": "8\x00"})
    saved = dict(Answer.objects.filter(attempt=attempt).values_list("question_id", "response"))
    assert saved == {short: {"text": "softmax"}, numeric: {"value": "8"}}


def test_the_api_stores_the_cleaned_answer_and_grades_it(cast, make_quiz):
    quiz = make_quiz(qtypes=["short_answer"])
    client = APIClient()
    client.force_authenticate(cast.student)
    attempt = client.post(f"/api/quizzes/{quiz.pk}/start/").json()
    question = attempt["questions"][0]["question"]
    # NUL is refused by the platform's one JSON reader, with a message that says so, and nothing is stored
    refused = client.post(f"/api/attempts/{attempt['id']}/answers/",
                          {"question": question, "response": {"text": "secret\x00"}}, format="json")
    assert refused.status_code == 400 and "NUL" in refused.json()["detail"]
    # the other control characters are removed before the answer is stored
    reply = client.post(f"/api/attempts/{attempt['id']}/answers/",
                        {"question": question, "response": {"text": "secret" + DIRTY.replace("\x00", "")}}, format="json")
    assert reply.status_code == 200, reply.content
    submitted = client.post(f"/api/attempts/{attempt['id']}/submit/").json()
    assert submitted["questions"][0]["response"] == {"text": "secretsoftmax"}
    assert submitted["questions"][0]["state"] == "correct"
