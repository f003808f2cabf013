"""UI slips of issue 12: one wording for a quiz result everywhere, and feedback boxes coloured by
the outcome they comment on ("Correct." never sits in an amber warning box)."""
import re

import pytest
from django.urls import reverse

from quizzes.models import REVIEW_ITEMS, REVIEW_TIMES
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def take(quiz, user, responses: dict):
    attempt = attempt_start(quiz=quiz, user=user)
    for question_id, _ in attempt.layout:
        qtype = attempt.answers.get(question_id=question_id).version.qtype
        answer_save(attempt=attempt, question_id=question_id, response=responses[qtype])
    return attempt_submit(attempt=attempt)


@pytest.mark.parametrize(("attempts_allowed", "wording"), [(0, "Not passed yet"), (1, "Not passed")])
def test_a_result_below_the_pass_mark_reads_the_same_on_my_learning_the_quiz_page_and_the_review(
        cast, make_quiz, attempts_allowed, wording):
    quiz = make_quiz(qtypes=["true_false", "numeric"], attempts_allowed=attempts_allowed, pass_percent=60)
    attempt = take(quiz, cast.student, {"true_false": {"value": True}, "numeric": {"value": "1"}})  # 1 of 2
    client = client_for(cast.student)
    pages = {
        "my learning": client.get(reverse("progress:my_learning")).content.decode(),
        "quiz page": client.get(quiz.get_absolute_url()).content.decode(),
        "review": client.get(reverse("quizzes:attempt_review", args=[attempt.pk])).content.decode(),
        "lesson": client.get(cast.lesson.get_absolute_url()).content.decode(),
    }
    for name, page in pages.items():
        assert wording in page, name
        assert "Failed" not in page, name
        if wording == "Not passed":
            assert "Not passed yet" not in page, name


def _review(cast, quiz, responses, *, correctness=True) -> str:
    if not correctness:
        quiz.review_options = {item: {t: item != "correctness" for t in REVIEW_TIMES} for item in REVIEW_ITEMS}
        quiz.save()
    attempt = take(quiz, cast.student, responses)
    return client_for(cast.student).get(reverse("quizzes:attempt_review", args=[attempt.pk])).content.decode()


def _feedback_classes(page: str) -> list[str]:
    return re.findall(r'<div class="(quiz-feedback[^"]*)"', page)


def test_feedback_on_a_right_answer_is_green_and_on_a_wrong_one_red(cast, make_quiz):
    right = _review(cast, make_quiz(qtypes=["true_false"]), {"true_false": {"value": True}})
    assert _feedback_classes(right) == ["quiz-feedback quiz-feedback--correct"]
    wrong = _review(cast, make_quiz(qtypes=["single_choice"]), {"single_choice": {"choice": "c"}})
    assert _feedback_classes(wrong) == ["quiz-feedback quiz-feedback--inline quiz-feedback--incorrect"]


def test_feedback_stays_neutral_while_correctness_is_hidden(cast, make_quiz):
    page = _review(cast, make_quiz(qtypes=["true_false"]), {"true_false": {"value": False}}, correctness=False)
    assert _feedback_classes(page) == ["quiz-feedback"]
