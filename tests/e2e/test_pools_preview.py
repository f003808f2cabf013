"""An instructor previews a quiz with a random slot, on a laptop and on a phone: the sample draw is
labelled, "Draw again" works by keyboard, and "Check answers" grades the questions shown."""
import pytest
from playwright.sync_api import expect

from quizzes.pools.services import SlotInput, random_slot_create
from tests.e2e import test_question_pools
from tests.e2e.conftest import screenshot
from tests.e2e.test_quiz_authoring import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABEL = "A sample draw from tag “heads-pool”: each learner gets different questions."


# The bank and quiz of the pools journey (5 true/false bank statements tagged "heads-pool", one fixed question).
pools_quiz = test_question_pools.quiz


@pytest.fixture
def quiz(pools_quiz):
    random_slot_create(quiz=pools_quiz, data=SlotInput(draw_count=2, tag="heads-pool"))
    return pools_quiz


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
    for _ in range(10):  # a new seed each time; 10 pairs, so a different sample comes up soon
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
