"""A student answers an attention question in Chromium: picks a token of the sentence (saved as it
changes, kept over a reload), follows the lab link's address, submits, and sees the model's weights."""
import re

import pytest
from playwright.sync_api import expect

from quizzes.models import Answer, Attempt, Quiz
from quizzes.services.questions import question_create
from tests.e2e.conftest import screenshot
from tests.factories import CourseFactory, LessonFactory, UserFactory, enroll
from tests.quizzes.test_attention_question import SPEC, TOKENS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-passphrase-42"


@pytest.fixture
def quiz():
    course = CourseFactory(slug="transformers", title="Transformers & Attention")
    lesson = LessonFactory(course=course, slug="heads", title="What do heads look at?", position=1)
    quiz = Quiz.objects.create(lesson=lesson, slug="quiz", title="Heads", is_published=True, shuffle_choices=True)
    question_create(quiz=quiz, spec=SPEC, user=None)
    student = UserFactory(username="ada")
    student.set_password(PASSWORD)
    student.save()
    enroll(student, course)
    return quiz


def test_a_student_picks_a_token_and_sees_the_weights_after_submitting(page, quiz):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/quizzes/{quiz.pk}/")
    page.get_by_role("button", name="Start").first.click()
    tokens = page.locator(".attn-q__token input")
    expect(tokens).to_have_count(len(TOKENS))
    link = page.get_by_role("link", name="Open this sentence in the lab")
    expect(link).to_have_count(0)  # the author did not allow the lab during the attempt (it would give it away)
    expect(page.locator(".attn-q__bar")).to_have_count(0)  # no weights before submitting

    page.locator(".attn-q__token", has_text="cat").locator("input").check()
    expect(page.locator("#autosave-status")).to_contain_text("Saved", timeout=10_000)
    attempt = Attempt.objects.get(quiz=quiz)
    assert Answer.objects.get(attempt=attempt).response == {"token": 2}
    page.reload()
    expect(page.locator(".attn-q__token", has_text="cat").locator("input")).to_be_checked()
    screenshot(page, "attention-question-attempt")

    page.get_by_role("button", name="Finish attempt…").click()
    page.get_by_role("button", name="Submit and finish").click()
    expect(page.locator(".attn-q__bar")).to_have_count(len(TOKENS))
    expect(page.locator(".attn-q__bar.is-answer")).to_contain_text("cat")
    expect(page.locator(".attn-q__token.is-correct")).to_contain_text("✓ yours")
    expect(link).to_have_attribute("href", re.compile(r"^/lab/\?text=The%20cat%20sat%20on%20the%20mat\.&layer=2&head=9&model="))
    screenshot(page, "attention-question-review")
    assert page.js_errors == []
