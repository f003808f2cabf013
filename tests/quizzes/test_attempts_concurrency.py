"""Two tabs (or a double click) submitting the same attempt at the same moment grade it exactly once.

Real threads, each with its own database connection, on committed data (transaction=True): the
attempt row lock (select_for_update; SQLite's IMMEDIATE transactions) makes the second submit wait
and then find the attempt submitted.

The suite's SQLite test database lives in shared-cache memory, where a waiting writer fails at once
with "database table is locked" instead of waiting, so the threaded tests run in a child pytest on a
file database, where SQLite waits for the lock as it does in development. With PostgreSQL
they run in this process.
"""
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from quizzes.models import Answer, Attempt, AttemptState
from quizzes.services import attempts as attempt_services

FILE_DB = "QUIZ_CONCURRENCY_SQLITE_FILE"
IN_CHILD = bool(os.environ.get(FILE_DB))
ON_SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
threaded = pytest.mark.skipif(ON_SQLITE and not IN_CHILD, reason="run by test_threaded_tests_pass_on_a_file_database")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    if IN_CHILD:
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ[FILE_DB]


@pytest.mark.skipif(not ON_SQLITE or IN_CHILD, reason="the threaded tests run in this process")
def test_threaded_tests_pass_on_a_file_database(tmp_path):
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, FILE_DB: str(tmp_path / "concurrency.sqlite3")}
    child = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", __file__, "-k", "not file_database"],
        cwd=root, env=env, capture_output=True, text=True, timeout=300,
    )
    assert child.returncode == 0, child.stdout[-4000:] + child.stderr[-2000:]
    assert "2 passed" in child.stdout, child.stdout[-2000:]


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
