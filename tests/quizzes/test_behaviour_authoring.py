"""Authoring behaviours: the quiz setting (fixed once attempted) and the editor's hint rows and penalty."""
import pytest
from django.urls import reverse

from quizzes.models import Question, Quiz
from quizzes.services.attempts import attempt_start
from tests.conftest import client_for
from tests.quizzes.test_questions import EDITOR_POSTS, create_url, edit_url

pytestmark = pytest.mark.django_db


def hint_rows(*texts: str, delete: tuple[int, ...] = ()) -> dict:
    data = {"hints-TOTAL_FORMS": str(len(texts)), "hints-INITIAL_FORMS": "0", "hints-MIN_NUM_FORMS": "0",
            "hints-MAX_NUM_FORMS": "10"}
    for index, text in enumerate(texts):
        data[f"hints-{index}-text"] = text
        if index in delete:
            data[f"hints-{index}-DELETE"] = "on"
    return data


@pytest.fixture
def quiz(cast):
    return Quiz.objects.create(lesson=cast.lesson, slug="authored", title="Authored", shuffle_choices=False)


def test_the_editor_saves_hints_in_order_skips_blank_and_removed_rows_and_reads_the_penalty(cast, quiz):
    data, _ = EDITOR_POSTS["single_choice"]
    post = data | hint_rows("Think of *probabilities*", "", "Dropped", "Sums to one", delete=(2,)) | {"penalty": "25"}
    reply = client_for(cast.instructor).post(create_url(quiz, "single_choice"), post)
    assert reply.status_code == 302
    question = Question.objects.get(quiz=quiz)
    spec = question.latest_version.spec
    assert spec["hints"] == ["Think of *probabilities*", "Sums to one"] and spec["penalty"] == 0.25
    page = client_for(cast.instructor).get(edit_url(quiz, question)).content.decode()
    assert "Think of *probabilities*" in page and 'value="25"' in page and "GIFT files cannot hold hints" in page


@pytest.mark.parametrize("penalty, message", [("150", "less than or equal to 100"), ("abc", "between 0 and 100")])
def test_a_bad_penalty_is_named_next_to_its_field(cast, quiz, penalty, message):
    data, _ = EDITOR_POSTS["single_choice"]
    reply = client_for(cast.instructor).post(create_url(quiz, "single_choice"), data | {"penalty": penalty})
    assert reply.status_code == 200 and message in reply.content.decode()
    assert not Question.objects.filter(quiz=quiz).exists()


def test_eleven_hints_are_refused(cast, quiz):
    data, _ = EDITOR_POSTS["single_choice"]
    post = data | hint_rows(*[f"hint {n}" for n in range(11)]) | {"hints-MAX_NUM_FORMS": "11"}
    reply = client_for(cast.instructor).post(create_url(quiz, "single_choice"), post)
    assert reply.status_code == 200 and not Question.objects.filter(quiz=quiz).exists()


def test_the_behaviour_is_a_quiz_setting_until_the_quiz_has_attempts(cast, make_quiz):
    quiz = make_quiz()
    url = reverse("quiz_authoring:quiz_settings", args=[quiz.pk])
    page = client_for(cast.instructor).get(url).content.decode()
    assert "Interactive with multiple tries" in page
    form = {"title": quiz.title, "attempts_allowed": "0", "grading_method": "highest", "pass_percent": "60",
            "behaviour": "interactive"}
    assert client_for(cast.instructor).post(url, form).status_code == 302
    assert Quiz.objects.get(pk=quiz.pk).behaviour == "interactive"
    for outsider in (cast.student, cast.other_instructor):
        client_for(outsider).post(url, form | {"behaviour": "deferred"})
    assert Quiz.objects.get(pk=quiz.pk).behaviour == "interactive"
    attempt_start(quiz=quiz, user=cast.student)
    client_for(cast.instructor).post(url, form | {"behaviour": "immediate"})
    assert Quiz.objects.get(pk=quiz.pk).behaviour == "interactive"  # fixed once attempted
    assert client_for(cast.instructor).post(url, form | {"behaviour": "adaptive"}).status_code in (200, 302)
    assert Quiz.objects.get(pk=quiz.pk).behaviour == "interactive"
