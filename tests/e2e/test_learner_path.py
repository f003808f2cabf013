"""A guest reads an open lesson (phone and desktop), and an enrolled learner scrolls to a section, leaves,
and "Continue where you left off" on My learning brings them back to that section."""
import pytest
from playwright.sync_api import expect

from courses.models import LessonProgress
from tests.e2e.conftest import screenshot
from quizzes.models import Quiz
from tests.factories import CourseFactory, LessonFactory, UserFactory, enroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FILLER = "\n\n".join(f"Paragraph {n}: attention weighs every token against every other token." for n in range(14))
BODY = (
    f"## Queries and keys\n\n{FILLER}\n\n## Scaling by the root of d\n\nWith $d_k = 64$ the scale is $8$.\n\n{FILLER}\n\n"
    f"## Values\n\n{FILLER}\n\n## Summary\n\n{FILLER}\n"
)


@pytest.fixture
def course():
    course = CourseFactory(slug="transformers", title="Transformers & Attention", open_lessons=True)
    lesson = LessonFactory(course=course, slug="dot-product", title="Dot-product attention", position=1, body_markdown=BODY)
    LessonFactory(course=course, slug="multi-head", title="Multi-head attention", position=2)
    Quiz.objects.create(lesson=lesson, slug="check", title="Check your understanding", is_published=True)
    return course, lesson


def test_a_guest_reads_an_open_lesson_on_a_phone_and_a_desktop(page, course):
    _, lesson = course
    for width, height in ((390, 844), (1366, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(lesson.get_absolute_url())
        expect(page.get_by_role("heading", level=1)).to_have_text("Dot-product attention")
        expect(page.get_by_role("link", name="Sign up to enroll")).to_be_visible()
        expect(page.get_by_role("button", name="Mark lesson complete")).to_have_count(0)
        expect(page.get_by_role("link", name="Sign in to take this quiz")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing overflows sideways
        screenshot(page, f"open-lesson-guest-{width}")
    assert page.js_errors == []


def test_continue_returns_to_the_section_last_read(page, course, live_server):
    _, lesson = course
    learner = UserFactory(username="ada")
    learner.set_password("a-long-passphrase-42")
    learner.save()
    enroll(learner, lesson.course)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("a-long-passphrase-42")
    page.get_by_role("button", name="Log in").click()

    page.goto(lesson.get_absolute_url())
    with page.expect_response(lambda r: r.url.endswith("/position/") and r.status == 204):
        # the heading passes the top third of the window, as when reading on
        page.evaluate("window.scrollTo(0, document.getElementById('values').getBoundingClientRect().top + scrollY - 40)")
    assert LessonProgress.objects.get(user=learner, lesson=lesson).last_section == "values"

    page.goto("/progress/")
    page.reload()
    page.get_by_role("link", name="Continue lesson 1: Dot-product attention →").click()
    expect(page).to_have_url(f"{live_server.url}{lesson.get_absolute_url()}#values")
    top = page.evaluate("document.getElementById('values').getBoundingClientRect().top")
    assert 0 <= top < 200  # the section's heading is at the top of the window, not the lesson's title
    assert page.js_errors == []
