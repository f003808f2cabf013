"""Autosave recovery in Chromium (issue 12, item 4): answers typed while the server cannot be reached
survive a reload and reach the server once it can, without the learner editing anything."""
import pytest
from playwright.sync_api import expect

from quizzes.models import Answer, Attempt, Quiz
from quizzes.services.questions import question_create
from tests.conftest import QUESTION_SPECS
from tests.e2e.test_quiz_taking import PASSWORD, log_in
from tests.factories import CourseFactory, LessonFactory, UserFactory, enroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAVES = "**/answers/**"


@pytest.fixture
def quiz():
    course = CourseFactory(slug="transformers", title="Transformers & Attention")
    lesson = LessonFactory(course=course, slug="scaled", title="Scaled attention", position=1)
    quiz = Quiz.objects.create(lesson=lesson, slug="quiz", title="Offline quiz", is_published=True, shuffle_choices=True)
    for qtype in ("single_choice", "numeric", "short_answer", "multiple_response"):
        question_create(quiz=quiz, spec=QUESTION_SPECS[qtype], user=None)
    student = UserFactory(username="ada")
    student.set_password(PASSWORD)
    student.save()
    enroll(student, course)
    return quiz


def saved_responses(attempt) -> dict:
    return {a.version.qtype: a.response for a in Answer.objects.filter(attempt=attempt, saved_at__isnull=False)
            .select_related("version")}


def test_answers_given_offline_reach_the_server_after_a_reload(page, quiz):
    log_in(page)
    page.goto(quiz.get_absolute_url())
    page.get_by_role("button", name="Start").first.click()
    attempt = Attempt.objects.get(quiz=quiz)
    questions = page.locator("fieldset.quiz-question")
    expect(questions).to_have_count(4)

    # given the server cannot be reached for saves
    page.route(SAVES, lambda route: route.abort())
    # when the learner answers every question (options chosen by their visible text), then reloads
    questions.nth(0).get_by_label("Softmax").check()
    questions.nth(1).get_by_label("Your answer (a number)").fill("8")
    questions.nth(2).get_by_label("Your answer").fill("secretsoftmax")
    questions.nth(2).get_by_label("Your answer").blur()
    questions.nth(3).get_by_label("Keys").check()
    expect(page.locator("#autosave-status")).to_contain_text("Not saved", timeout=10_000)
    assert saved_responses(attempt) == {}
    page.reload()
    questions = page.locator("fieldset.quiz-question")
    expect(questions.nth(1).get_by_label("Your answer (a number)")).to_have_value("8")  # put back from the browser
    expect(questions.nth(2).get_by_label("Your answer")).to_have_value("secretsoftmax")
    assert saved_responses(attempt) == {}

    # then, once saves get through again, every answer reaches the server untouched by the learner
    page.unroute(SAVES)
    expect(page.locator("fieldset[data-dirty]")).to_have_count(0, timeout=30_000)
    expect(page.locator("#autosave-status")).to_contain_text("Saved")
    responses = saved_responses(attempt)
    assert set(responses) == {"single_choice", "numeric", "short_answer", "multiple_response"}
    assert responses["numeric"] == {"value": "8"} and responses["short_answer"] == {"text": "secretsoftmax"}
    assert page.js_errors == []
