"""Two tabs (or a double click) submitting the same attempt at the same moment grade it exactly once.

Real threads, each with its own database connection, on committed data (transaction=True): the
attempt row lock (select_for_update; SQLite's IMMEDIATE transactions) makes the second submit wait
and then find the attempt submitted.

The suite's SQLite test database lives in shared-cache memory, where a waiting writer fails at once
with "database table is locked" instead of waiting, so the threaded tests run in a child pytest on a
file database, where SQLite waits for the lock as it does in development. With PostgreSQL
they run in this process.
"""
import threading

import pytest
from django.db import connection

from quizzes.models import Answer, Attempt, AttemptState
from quizzes.services import attempts as attempt_services
from tests.file_database import file_database_split

threaded, django_db_modify_db_settings, test_threaded_tests_pass_on_a_file_database = file_database_split(
    env_var="QUIZ_CONCURRENCY_SQLITE_FILE", test_file=__file__, threaded_tests=2
)


@threaded
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_grade_once(cast, make_quiz, monkeypatch):
    quiz = make_quiz(qtypes=["single_choice", "numeric"])
    attempt = attempt_services.attempt_start(quiz=quiz, user=cast.student)
    attempt_services.answer_save(attempt=attempt, question_id=attempt.layout[0][0], response={"choice": "b"})
    calls, lock = [], threading.Lock()
    real_grade = attempt_services._grade_answer

    def counting_grade(answer):
        with lock:
            calls.append(answer.pk)
        real_grade(answer)

    monkeypatch.setattr(attempt_services, "_grade_answer", counting_grade)
    start = threading.Barrier(2)
    results, errors = [], []

    def submit():
        try:
            start.wait()
            results.append(attempt_services.attempt_submit(attempt=Attempt.objects.get(pk=attempt.pk)))
        except Exception as error:  # noqa: BLE001 — surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len(results) == 2 and {r.state for r in results} == {AttemptState.SUBMITTED}
    assert len(calls) == 2  # two answers, graded once each: one submit graded, the other found it done
    assert results[0].submitted_at == results[1].submitted_at
    assert Answer.objects.get(attempt=attempt, question_id=attempt.layout[0][0]).fraction == 1.0


@threaded
@pytest.mark.django_db(transaction=True)
def test_a_save_racing_a_submit_is_either_graded_or_refused(cast, make_quiz):
    quiz = make_quiz(qtypes=["single_choice"])
    attempt = attempt_services.attempt_start(quiz=quiz, user=cast.student)
    question = attempt.layout[0][0]
    start = threading.Barrier(2)
    outcome = {}

    def save():
        start.wait()
        try:
            attempt_services.answer_save(attempt=attempt, question_id=question, response={"choice": "b"})
            outcome["save"] = "saved"
        except Exception as error:  # noqa: BLE001
            outcome["save"] = getattr(error, "code", repr(error))
        finally:
            connection.close()

    def submit():
        start.wait()
        try:
            attempt_services.attempt_submit(attempt=attempt)
        finally:
            connection.close()

    threads = [threading.Thread(target=save), threading.Thread(target=submit)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    answer = Answer.objects.get(attempt=attempt, question_id=question)
    assert Attempt.objects.get(pk=attempt.pk).state == AttemptState.SUBMITTED
    if outcome["save"] == "saved":
        assert answer.response == {"choice": "b"} and answer.fraction == 1.0  # saved first, then graded
    else:
        assert outcome["save"] == "submitted" and answer.response == {} and answer.state == "unanswered"
