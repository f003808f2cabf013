"""A student takes a quiz of several types in Chromium: answers autosave, survive a reload, the
submit check lists what is unanswered, and the review shows results and explanations."""
import pytest
from playwright.sync_api import expect

from quizzes.models import Answer, Attempt, AttemptState, Quiz
from quizzes.services.questions import question_create
from tests.conftest import QUESTION_SPECS
from tests.e2e.conftest import screenshot
from tests.factories import CourseFactory, LessonFactory, UserFactory, enroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-passphrase-42"


@pytest.fixture
def quiz():
    course = CourseFactory(slug="transformers", title="Transformers & Attention")
    lesson = LessonFactory(course=course, slug="scaled", title="Scaled dot-product attention", position=1,
                           body_markdown="## Why divide by dk\n\nBecause dot products grow with $d_k$.\n")
    quiz = Quiz.objects.create(lesson=lesson, slug="quiz", title="Check your understanding", is_published=True,
                               shuffle_choices=False, time_limit_minutes=30, pass_percent=60)
    for qtype in ("single_choice", "multiple_response", "numeric", "short_answer", "matching", "true_false"):
        spec = dict(QUESTION_SPECS[qtype])
        if qtype == "single_choice":
            spec["explanation"] = "Softmax normalises each row. (See: Scaled dot-product attention › Why divide by dk)"
        question_create(quiz=quiz, spec=spec, user=None)
    student = UserFactory(username="ada")
    student.set_password(PASSWORD)
    student.save()
    enroll(student, course)
    return quiz


def log_in(page):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def saved_count(attempt):
    return Answer.objects.filter(attempt=attempt, saved_at__isnull=False).count()


def test_a_student_answers_reloads_submits_and_reviews(page, quiz):
    log_in(page)
    page.goto(quiz.lesson.get_absolute_url())
    card = page.locator(".lesson-quiz")
    expect(card).to_contain_text("Not attempted yet")
    expect(card).to_contain_text("unlimited attempts")
    card.get_by_role("link", name="Take the quiz").click()
    page.get_by_role("button", name="Start").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your understanding")
    attempt = Attempt.objects.get(quiz=quiz)
    questions = page.locator("fieldset.quiz-question")
    expect(questions).to_have_count(6)
    screenshot(page, "quiz-attempt-desktop")

    questions.nth(0).get_by_label("Softmax").check()
    questions.nth(1).get_by_label("Queries").check()
    questions.nth(1).get_by_label("Keys").check()
    questions.nth(2).get_by_label("Your answer (a number)").fill("8")
    questions.nth(4).locator("select").first.select_option(label="n by d_k")
    expect(page.locator("#autosave-status")).to_contain_text("Saved", timeout=10_000)
    page.wait_for_function("() => document.querySelectorAll('fieldset[data-dirty]').length === 0")
    page.wait_for_timeout(300)
    assert saved_count(attempt) == 4

    # Keyboard: tab into the short answer and type.
    short = questions.nth(3).get_by_label("Your answer")
    short.focus()
    page.keyboard.type("SecretSoftmax")
    expect(questions.nth(3).locator("[data-save-status]")).to_contain_text("Saved", timeout=10_000)

    expect(page.locator(".quiz-nav a.is-answered")).to_have_count(5)
    page.reload()
    questions = page.locator("fieldset.quiz-question")
    expect(page.locator(".quiz-nav a.is-answered")).to_have_count(5)  # the server knows which are answered
    expect(questions.nth(0).get_by_label("Softmax")).to_be_checked()
    expect(questions.nth(1).get_by_label("Keys")).to_be_checked()
    expect(questions.nth(2).get_by_label("Your answer (a number)")).to_have_value("8")
    expect(questions.nth(3).get_by_label("Your answer")).to_have_value("SecretSoftmax")
    expect(questions.nth(4).locator("select").first.locator("option:checked")).to_have_text("n by d_k")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "quiz-attempt-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Finish attempt…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit your answers?")
    expect(page.locator(".quiz-unanswered li")).to_have_text(["Question 6"])
    screenshot(page, "quiz-confirm-desktop")
    page.get_by_role("button", name="Submit and finish").click()

    expect(page.get_by_text("Review · attempt 1")).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED
    # single 1 + multiple 1 + numeric 1 + short 1 + matching 1/2 + unanswered true/false 0 = 4.5 of 6
    assert attempt.marks == pytest.approx(4.5)
    expect(page.locator(".quiz-summary")).to_contain_text("4.5 / 6")
    expect(page.locator("#question-1 .quiz-state")).to_have_text("Correct")
    expect(page.locator("#question-5 .quiz-state")).to_have_text("Partly correct")
    expect(page.locator("#question-1")).to_contain_text("SECRET-FB-softmax")
    expect(page.locator("#question-5 .quiz-tag--wrong")).to_have_count(0)  # the one matched item was right
    expect(page.locator("#question-5")).to_contain_text("✓ right")
    expect(page.locator("#question-1 .quiz-tag--right")).to_have_text(["✓ your answer"])
    expect(page.locator("#question-6 .quiz-tag")).to_have_text(["right answer"])  # unanswered: only the answer
    expect(page.locator("#question-1 .quiz-explanation")).not_to_contain_text("(See:")
    link = page.get_by_role("link", name="Read this again in the lesson: Why divide by dk →")
    expect(link).to_have_attribute("href", quiz.lesson.get_absolute_url() + "#why-divide-by-dk")
    screenshot(page, "quiz-review-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "quiz-review-phone")

    page.goto(quiz.lesson.get_absolute_url())
    expect(page.locator(".lesson-quiz")).to_contain_text("Your grade so far: 75 %")
    assert page.js_errors == []
