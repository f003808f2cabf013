"""An interactive quiz taken by keyboard on a phone-sized screen: a wrong check shows the first hint,
a right one finishes the question with the mark less one penalty."""
import pytest
from playwright.sync_api import expect

from quizzes.models import Answer, Quiz
from quizzes.services.questions import question_create
from tests.conftest import QUESTION_SPECS
from tests.e2e.conftest import screenshot
from tests.factories import CourseFactory, LessonFactory, UserFactory, enroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-passphrase-42"


@pytest.fixture
def quiz():
    course = CourseFactory(slug="transformers", title="Transformers & Attention")
    lesson = LessonFactory(course=course, slug="scaled", title="Scaled dot-product attention", position=1)
    quiz = Quiz.objects.create(lesson=lesson, slug="quiz", title="Try, hint, try again", is_published=True,
                               shuffle_choices=False, behaviour="interactive")
    question_create(quiz=quiz, user=None, spec=dict(
        QUESTION_SPECS["single_choice"], penalty=0.25,
        hints=["It turns scores into **probabilities**.", "Its outputs sum to one."]))
    question_create(quiz=quiz, user=None, spec=QUESTION_SPECS["numeric"])
    student = UserFactory(username="ada")
    student.set_password(PASSWORD)
    student.save()
    enroll(student, course)
    return quiz


def sign_in_and_open(page, quiz):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(quiz.get_absolute_url())


def test_wrong_check_shows_a_hint_and_a_right_one_the_reduced_mark_by_keyboard_at_390px(page, quiz):
    page.set_viewport_size({"width": 390, "height": 844})
    refused = []  # a late autosave of a finished question must not even be sent
    page.on("response", lambda reply: refused.append((reply.url, reply.status)) if reply.status >= 400 else None)
    sign_in_and_open(page, quiz)
    page.get_by_role("button", name="Start").first.focus()
    page.keyboard.press("Enter")
    first = page.locator("fieldset.quiz-question").first
    expect(first.get_by_role("button", name="Check")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("probabilities")  # no hint before a wrong try

    # Wrong: pick ReLU with the keyboard, Tab to Check, press Enter.
    first.get_by_label("ReLU").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # radios are one Tab stop: on to Check
    expect(first.get_by_role("button", name="Check")).to_be_focused()
    page.keyboard.press("Enter")
    expect(first.locator(".quiz-check__hint")).to_contain_text("It turns scores into probabilities.")
    expect(first.locator("[data-check-result]")).to_be_focused()  # the result is where the keyboard is
    expect(first).to_contain_text("2 of 3 tries left; a right answer now earns 75 % of the mark.")
    expect(first).not_to_contain_text("Its outputs sum to one.")  # the second hint is not earned yet
    screenshot(page, "interactive-hint-390")

    # Right: arrow from ReLU to Softmax, Tab to "Check again", Enter.
    first.get_by_label("ReLU").focus()
    page.keyboard.press("ArrowDown")
    expect(first.get_by_label("Softmax")).to_be_checked()
    page.keyboard.press("Tab")
    expect(first.get_by_role("button", name="Check again")).to_be_focused()
    page.keyboard.press("Enter")
    expect(first.locator(".quiz-check__done")).to_contain_text("Mark: 0.75 / 1")
    expect(first.get_by_label("Softmax")).to_be_disabled()
    expect(first.get_by_role("button", name="Check again")).to_have_count(0)

    # Enter in the numeric answer checks that question, not the first.
    second = page.locator("fieldset.quiz-question").nth(1)
    second.get_by_label("Your answer (a number)").focus()
    page.keyboard.type("8")
    page.keyboard.press("Enter")
    expect(second.locator(".quiz-check__done")).to_contain_text("Mark: 1 / 1")
    page.wait_for_timeout(800)  # past the autosave delay: a late autosave must not report an error
    expect(page.locator("#autosave-status")).not_to_contain_text("finished")
    assert refused == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "interactive-finished-390")
    answers = {a.question.position: a for a in Answer.objects.filter(attempt__quiz=quiz).select_related("question")}
    assert [len(a.tries) for a in answers.values()] == [2, 1]
    assert page.js_errors == []


def test_a_learner_who_moves_on_before_htmx_settles_keeps_their_focus(page, quiz):
    """The result takes the focus only where it fell to the page: htmx settles a swap a little after
    it (made long here), and by then the learner may already be typing in the next question."""
    sign_in_and_open(page, quiz)
    page.get_by_role("button", name="Start").first.click()
    first, second = page.locator("fieldset.quiz-question").first, page.locator("fieldset.quiz-question").nth(1)
    expect(first.get_by_role("button", name="Check")).to_be_visible()
    page.wait_for_function("document.readyState === 'complete' && !!window.htmx")
    page.evaluate("htmx.config.defaultSettleDelay = 500")

    first.get_by_label("Softmax").check()
    first.get_by_role("button", name="Check").click()
    expect(first.locator(".quiz-check__done")).to_contain_text("Mark: 1 / 1")
    field = second.get_by_label("Your answer (a number)")
    field.focus()
    page.keyboard.type("8")
    page.wait_for_timeout(700)  # past the settle
    expect(field).to_be_focused()
    expect(field).to_have_value("8")
    assert page.js_errors == []


def test_a_check_pressed_before_htmx_is_ready_still_puts_the_keyboard_on_its_result(page, quiz):
    """A fast learner (or a slow network) presses Check before htmx has set up the page: the form posts
    as without JavaScript and the whole page comes back at the question, its result focused."""
    page.route("**/htmx.min.js", lambda route: route.abort())  # htmx never arrives: the page's own form path
    sign_in_and_open(page, quiz)
    page.get_by_role("button", name="Start").first.click()
    first = page.locator("fieldset.quiz-question").first
    first.get_by_label("ReLU").check()
    first.get_by_role("button", name="Check").click()
    page.wait_for_url("**#question-1")
    expect(first.locator(".quiz-check__hint")).to_contain_text("It turns scores into probabilities.")
    expect(first.locator("[data-check-result]")).to_be_focused()
    assert len(Answer.objects.get(attempt__quiz=quiz, question__position=1).tries) == 1
