"""An instructor adds random questions to a quiz (by keyboard, with the live count), and a learner on a
phone takes it: the fixed question and two drawn from the bank, nothing about the pool shown."""
import pytest
from playwright.sync_api import expect

from quizzes.models import Attempt, Quiz, RandomSlot
from quizzes.services.questions import question_create
from tests.conftest import QUESTION_SPECS
from tests.e2e.conftest import screenshot
from tests.e2e.test_quiz_authoring import log_in
from tests.factories import CourseFactory, LessonFactory, UserFactory, enroll, make_instructor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def quiz():
    course = CourseFactory(slug="transformers", title="Transformers & Attention")
    lesson = LessonFactory(course=course, slug="heads", title="Attention heads", position=1)
    ines = make_instructor(username="ines", course=course)
    enroll(UserFactory(username="sam"), course)
    bank = Quiz.objects.create(lesson=lesson, slug="bank", title="Question bank", is_published=False)
    for n in range(5):
        question_create(quiz=bank, spec=dict(QUESTION_SPECS["true_false"], title=f"Bank {n}", text=f"Bank statement {n}.",
                                             tags=["heads-pool"]), user=ines)
    quiz = Quiz.objects.create(lesson=lesson, slug="heads-quiz", title="Heads quiz", is_published=True)
    question_create(quiz=quiz, spec=dict(QUESTION_SPECS["single_choice"], title="Fixed one"), user=ines)
    return quiz


def test_an_instructor_adds_random_questions_and_a_learner_on_a_phone_takes_the_quiz(page, browser, live_server, quiz):
    log_in(page, "ines")
    page.goto(f"/quizzes/manage/{quiz.pk}/")
    page.get_by_role("link", name="Add random questions").click()
    count = page.locator("#pool-count")
    expect(count).to_contain_text("5 questions match")  # the whole course, this quiz's own question excepted
    # by keyboard only: focus the lesson select, choose with the arrow key, tab on through the fields
    page.get_by_label("From lesson").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")  # category
    page.keyboard.press("Tab")  # tag
    page.keyboard.type("nothing-like-this")
    expect(count).to_contain_text("0 questions match")
    page.keyboard.press("Control+A")
    page.keyboard.type("Heads-Pool")
    page.keyboard.press("Tab")  # questions to draw
    page.keyboard.press("Control+A")
    page.keyboard.type("6")
    expect(count).to_contain_text("fewer than the 6 to draw")
    page.keyboard.press("Backspace")
    page.keyboard.type("2")
    expect(count).to_contain_text("5 questions match")
    expect(count).not_to_contain_text("fewer")
    screenshot(page, "pools-slot-form-1280")
    page.keyboard.press("Enter")  # submits the form
    expect(page.get_by_text("Added a random slot")).to_be_visible()
    slots = page.locator("#random-slots")
    expect(slots).to_contain_text("Draw 2 questions")
    expect(slots).to_contain_text("5 questions match now")
    screenshot(page, "pools-editor-1280")
    slot = RandomSlot.objects.get(quiz=quiz)
    assert (slot.draw_count, slot.tag, slot.lesson.slug) == (2, "Heads-Pool", "heads")
    assert page.js_errors == []

    phone = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    editor = phone.new_page()
    log_in(editor, "ines")
    for name, path in (("editor", f"/quizzes/manage/{quiz.pk}/"), ("slot-form", f"/quizzes/manage/{quiz.pk}/random-slots/{slot.pk}/")):
        editor.goto(path)
        expect(editor.locator("#pool-count, #random-slots").first).to_be_visible()
        screenshot(editor, f"pools-{name}-390")
        assert editor.evaluate("document.documentElement.scrollWidth") <= 390, name
    phone.close()

    learner = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}).new_page()
    log_in(learner, "sam")
    learner.goto(f"/quizzes/{quiz.pk}/")
    expect(learner.locator("dt:has-text('Questions') + dd")).to_have_text("3")  # 1 fixed + 2 drawn
    learner.get_by_role("button", name="Start the quiz").click()
    questions = learner.locator("fieldset.quiz-question")
    expect(questions).to_have_count(3)
    expect(questions.filter(has_text="Bank statement")).to_have_count(2)
    expect(learner.get_by_text("Which function normalises scores?")).to_be_visible()
    html = learner.content()
    assert "heads-pool" not in html.lower() and "Question bank" not in html
    assert learner.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(learner, "pools-attempt-390")
    attempt = Attempt.objects.get(quiz=quiz)
    assert len({q for q, _ in attempt.layout}) == 3
    learner.context.close()
