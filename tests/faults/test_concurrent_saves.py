"""Simultaneous autosaves and a double submit, through HTTP, from real threads: nothing lost, the last
save wins, graded once.

Each thread has its own test client and database connection on committed data. SQLite's shared-cache
memory database (the suite's default) fails a waiting writer at once instead of letting it wait,
so on SQLite the threaded tests run in a child pytest on a file database, as in development; on
PostgreSQL they run in this process (tests/quizzes/test_attempts_concurrency.py does the same for
the services).
"""

import pytest
from django.test import Client
from django.urls import reverse

from quizzes.models import Answer, Attempt, AttemptState, Question
from quizzes.services import attempts as attempt_services
from tests.concurrency import run_together
from tests.file_database import file_database_split
from tests.quiz_ids import choice

threaded, django_db_modify_db_settings, test_threaded_tests_pass_on_a_file_database = file_database_split(
    env_var="FAULTS_CONCURRENCY_SQLITE_FILE", test_file=__file__, threaded_tests=3
)



def _together(calls) -> list:
    return run_together(calls, timeout=60)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def quiz_attempt(cast, make_quiz):
    quiz = make_quiz(qtypes=["single_choice", "true_false", "short_answer", "numeric", "essay"])
    return attempt_services.attempt_start(quiz=quiz, user=cast.student)


@threaded
@pytest.mark.django_db(transaction=True)
def test_autosaves_of_every_question_at_once_all_land(cast, quiz_attempt):
    answers = {}
    for question_id, _ in quiz_attempt.layout:
        qtype = Question.objects.get(pk=question_id).latest_version.qtype
        answers[question_id] = {
            "single_choice": lambda: {f"q{question_id}-choice": choice(quiz_attempt, question_id, "Softmax")},
            "true_false": lambda: {f"q{question_id}-choice": "true"},
            "numeric": lambda: {f"q{question_id}-text": "8"},
        }.get(qtype, lambda: {f"q{question_id}-text": "softmax"})()
    clients = [_client(cast.student) for _ in answers]

    def save(client, question_id, data):
        url = reverse("quizzes:answer_save", kwargs={"attempt_id": quiz_attempt.pk, "question_id": question_id})
        return lambda: client.post(url, data, HTTP_HX_REQUEST="true").status_code

    statuses = _together([save(c, q, d) for c, (q, d) in zip(clients, answers.items())])
    assert statuses == [200] * len(answers), statuses
    saved = {a.question_id: a.response for a in Answer.objects.filter(attempt=quiz_attempt)}
    assert set(saved) == set(answers), "an autosave was lost"
    assert all(response for response in saved.values())


@threaded
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_one_question_keep_the_last_one(cast, quiz_attempt):
    question_id = quiz_attempt.layout[0][0]
    url = reverse("quizzes:answer_save", kwargs={"attempt_id": quiz_attempt.pk, "question_id": question_id})
    shown = [choice(quiz_attempt, question_id, text) for text in ("ReLU", "Softmax", "Tanh")]  # authored a, b, c
    choices = shown * 2
    clients = [_client(cast.student) for _ in choices]
    statuses = _together([lambda c=c, v=v: c.post(url, {f"q{question_id}-choice": v}).status_code for c, v in zip(clients, choices)])
    assert statuses == [200] * len(choices), statuses
    answer = Answer.objects.get(attempt=quiz_attempt, question_id=question_id)  # one row, never duplicates
    assert answer.response["choice"] in {"a", "b", "c"}  # stored by the spec's own ids
    # whichever save committed last is what stays; a later save from the student still wins over it
    _client(cast.student).post(url, {f"q{question_id}-choice": shown[2]})
    assert Answer.objects.get(pk=answer.pk).response == {"choice": "c"}


@threaded
@pytest.mark.django_db(transaction=True)
def test_a_double_submit_over_http_grades_once(cast, quiz_attempt):
    first = quiz_attempt.layout[0][0]
    _client(cast.student).post(
        reverse("quizzes:answer_save", kwargs={"attempt_id": quiz_attempt.pk, "question_id": first}), {f"q{first}-choice": choice(quiz_attempt, first, "Softmax")}
    )
    url = reverse("quizzes:attempt_submit", kwargs={"attempt_id": quiz_attempt.pk})
    clients = [_client(cast.student) for _ in range(3)]
    responses = _together([lambda c=c: c.post(url) for c in clients])
    assert [r.status_code for r in responses] == [302] * 3, responses
    assert all(r["Location"].endswith(f"/attempts/{quiz_attempt.pk}/review/") for r in responses)
    attempt = Attempt.objects.get(pk=quiz_attempt.pk)
    assert attempt.state == AttemptState.SUBMITTED and attempt.marks is not None
    assert Attempt.objects.filter(quiz=attempt.quiz, user=cast.student).count() == 1
    assert Answer.objects.get(attempt=attempt, question_id=first).fraction == 1.0
