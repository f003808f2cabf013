"""A learner who missed two quiz questions reviews them in Chromium: Due today on My learning, the
question without its key, right/wrong after checking, rating by keyboard (htmx swaps the next card in),
the empty state at the end; the page fits a phone's width."""
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from quizzes.review.models import ReviewCard, ReviewLog
from tests.e2e.conftest import screenshot
from tests.factories import UserFactory, enroll
from tests.quizzes.review_setup import miss_two

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-passphrase-42"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def learner(db):
    student = UserFactory(username="grace")
    student.set_password(PASSWORD)
    student.save()
    return student


@pytest.fixture
def missed(cast, make_quiz, learner):
    enroll(learner, cast.course)
    return miss_two(make_quiz, learner)


def log_in(page):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_learner_reviews_the_two_questions_they_missed(page, missed, learner):
    log_in(page)
    page.goto("/progress/")
    page.get_by_role("link", name="Due today: 2 questions to review").click()
    expect(page).to_have_url(f"{page.url.split('/review/')[0]}/review/")
    panel = page.locator("#review-panel")
    expect(panel).to_contain_text("Reviewed this session: 0 of 10")
    expect(panel.locator(".quiz-tag")).to_have_count(0)  # nothing about the right answer before answering

    # first card: whichever comes first, answer it right
    if panel.get_by_text("Which function normalises scores?").count():
        panel.get_by_label("Softmax").check()
    else:
        panel.get_by_label("True").check()
    panel.get_by_role("button", name="Check my answer").click()
    expect(panel.locator(".quiz-state--correct")).to_have_text("Correct")
    good = panel.get_by_role("button", name="Good")
    expect(good).to_be_focused()  # the default rating for a right answer; Enter takes it
    screenshot(page, "review-answered")
    page.keyboard.press("Enter")

    # htmx swapped the next card in place
    expect(panel).to_contain_text("Rated Good")
    expect(panel).to_contain_text("Reviewed this session: 1 of 10")
    assert page.url.endswith("/review/")
    if panel.get_by_text("Which function normalises scores?").count():
        panel.get_by_label("Tanh").check()
    else:
        panel.get_by_label("False").check()
    panel.get_by_role("button", name="Check my answer").click()
    expect(panel.locator(".quiz-state--incorrect")).to_have_text("Incorrect")
    expect(panel.get_by_role("button", name="Again")).to_be_focused()
    panel.get_by_role("button", name="Hard").click()

    expect(panel).to_contain_text("Nothing to review right now")
    assert list(ReviewLog.objects.order_by("id").values_list("rating", flat=True)) == [3, 2]
    assert all(card.reviews == 1 for card in ReviewCard.objects.filter(user=learner))
    missed.attempt.refresh_from_db()
    assert missed.attempt.marks == 1.0  # practice only
    assert page.js_errors == []


def serious_accessibility_violations(page) -> list[str]:
    """axe-core's serious and critical findings (the injection needs the context to bypass the CSP)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']}: {v['help']}" for v in result["violations"] if v["impact"] in {"serious", "critical"}]


def test_the_review_page_fits_a_phone_and_passes_axe(browser, live_server, missed):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True,
                                  bypass_csp=True)
    page = context.new_page()
    log_in(page)
    page.goto("/review/")
    panel = page.locator("#review-panel")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Check my answer").click()
    expect(panel.get_by_role("button", name="Easy")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    height = panel.get_by_role("button", name="Again").bounding_box()["height"]
    assert height >= 44  # a thumb-sized target
    assert serious_accessibility_violations(page) == []
    screenshot(page, "review-phone")
    context.close()
