"""Replayed or double-clicked checks at the same instant use one try each, never more than the question
allows, and never reopen a finished question (real threads on committed data; see tests/file_database.py)."""
import pytest

from quizzes.models import Answer
from quizzes.services.attempts import attempt_start
from quizzes.services.checks import answer_check
from tests.concurrency import run_together
from tests.file_database import file_database_split
from tests.quizzes.behaviour_setup import RIGHT, WRONG, hinted_quiz

threaded, django_db_modify_db_settings, test_threaded_tests_pass_on_a_file_database = file_database_split(
    env_var="BEHAVIOUR_CONCURRENCY_SQLITE_FILE", test_file=__file__, threaded_tests=2
)


def _codes(results):
    return sorted(getattr(result, "code", "checked") for result in results)


@threaded
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_right_checks_finish_the_question_once(cast, make_quiz):
    attempt = attempt_start(quiz=hinted_quiz(make_quiz, cast, behaviour="interactive"), user=cast.student)
    question = attempt.layout[-1][0]
    results = run_together([lambda: answer_check(attempt=attempt, question_id=question, response=RIGHT)] * 2)
    assert _codes(results) == ["checked", "finished"]
    answer = Answer.objects.get(attempt=attempt, question_id=question)
    assert len(answer.tries) == 1 and answer.finished and answer.marks == 1.0


@threaded
@pytest.mark.django_db(transaction=True)
def test_a_burst_of_wrong_checks_uses_no_more_tries_than_allowed(cast, make_quiz):
    attempt = attempt_start(quiz=hinted_quiz(make_quiz, cast, behaviour="interactive"), user=cast.student)
    question = attempt.layout[-1][0]
    results = run_together([lambda: answer_check(attempt=attempt, question_id=question, response=WRONG)] * 5)
    assert _codes(results) == ["checked"] * 3 + ["finished"] * 2  # two hints: three tries
    answer = Answer.objects.get(attempt=attempt, question_id=question)
    assert len(answer.tries) == 3 and answer.finished and answer.marks == 0.0
