"""An instructor previews a quiz with a random slot, on a laptop and on a phone: the sample draw is
labelled, "Draw again" works by keyboard, and "Check answers" grades the questions shown."""
import pytest
from playwright.sync_api import expect

from quizzes.models import Quiz
from quizzes.pools.services import SlotInput, random_slot_create
from quizzes.services.questions import question_create
from tests.conftest import QUESTION_SPECS
from tests.e2e.conftest import screenshot
from tests.e2e.test_quiz_authoring import log_in
from tests.factories import CourseFactory, LessonFactory, make_instructor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABEL = "A sample draw from tag “heads-pool”: each learner gets different questions."


@pytest.fixture
def quiz():
    course = CourseFactory(slug="transformers", title="Transformers & Attention")
    lesson = LessonFactory(course=course, slug="heads", title="Attention heads", position=1)
    ines = make_instructor(username="ines", course=course)
    bank = Quiz.objects.create(lesson=lesson, slug="bank", title="Question bank", is_published=False)
    for n in range(6):
        question_create(quiz=bank, spec=dict(QUESTION_SPECS["true_false"], title=f"Bank {n}", text=f"Bank statement {n}.",
                                             tags=["heads-pool"]), user=ines)
    quiz = Quiz.objects.create(lesson=lesson, slug="heads-quiz", title="Heads quiz", is_published=True)
    question_create(quiz=quiz, spec=dict(QUESTION_SPECS["single_choice"], title="Fixed one"), user=ines)
    random_slot_create(quiz=quiz, data=SlotInput(draw_count=2, tag="heads-pool"))
    return quiz


def _statements(page) -> list[str]:
    return sorted(page.locator(".preview-draw .quiz-question__text").all_inner_texts())


@pytest.mark.parametrize("width", [1280, 390])
def test_the_preview_shows_a_sample_draw_and_draws_again(page, quiz, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "ines")
    page.goto(f"/quizzes/manage/{quiz.pk}/preview/?draw=1")
    expect(page.get_by_text(LABEL)).to_be_visible()
    expect(page.locator(".preview-draw .quiz-question")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing sideways on a phone
    screenshot(page, f"pools-preview-{width}")
    first = _statements(page)
    again = page.get_by_role("link", name="Draw again")
    for _ in range(10):  # a new seed each time; 15 pairs, so a different sample comes up soon
        again.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        if _statements(page) != first:
            break
    assert _statements(page) != first
    shown = _statements(page)
    page.get_by_role("button", name="Check answers").click()
    expect(page.get_by_text("Your try: 0 / 3 marks")).to_be_visible()
    assert _statements(page) == shown  # the same sample was graded
    assert not page.js_errors
