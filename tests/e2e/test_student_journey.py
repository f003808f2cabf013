"""A new student signs up, enrolls, reads a lesson with KaTeX math, completes it and sees progress move."""
import pytest
from playwright.sync_api import expect

from courses.markdown import render_markdown
from tests.e2e.conftest import screenshot
from tests.factories import CourseFactory, LessonFactory, make_instructor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def course():
    course = CourseFactory(slug="transformers", title="Transformers & Attention", summary="Attention, step by step.")
    LessonFactory(
        course=course,
        slug="scaled-dot-product",
        title="Scaled dot-product attention",
        position=1,
        body_markdown="## The formula\n\n$$\n\\mathrm{Attention}(Q,K,V)=\\mathrm{softmax}\\left(\\frac{QK^\\top}{\\sqrt{d_k}}\\right)V\n$$\n\nWith $d_k = 64$ the scale is $8$.\n",
    )
    LessonFactory(course=course, slug="multi-head", title="Multi-head attention", position=2)
    return course


def test_new_student_signs_up_enrolls_reads_and_completes_a_lesson(page, course):
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password", exact=True).fill("a-long-passphrase-42")
    page.get_by_label("Password confirmation").fill("a-long-passphrase-42")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("Welcome, ada!")).to_be_visible()

    page.get_by_role("link", name="See the lessons").click()
    page.get_by_role("button", name="Enroll — it’s free").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scaled dot-product attention")

    # KaTeX typeset both the display formula and the inline math
    expect(page.locator(".katex-display")).to_have_count(1)
    assert page.locator(".prose .katex").count() >= 3
    progress = page.locator("#lesson-progress-region [role=progressbar]")
    expect(progress).to_have_attribute("aria-valuenow", "0")
    screenshot(page, "lesson-desktop")

    page.get_by_role("button", name="Mark lesson complete").click()
    expect(page.get_by_text("You completed this lesson.")).to_be_visible()
    expect(progress).to_have_attribute("aria-valuenow", "50")
    page.get_by_role("link", name="Next lesson: Multi-head attention →").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Multi-head attention")

    page.goto("/courses/transformers/")
    expect(page.get_by_role("link", name="Continue where you left off")).to_have_attribute(
        "href", "/courses/transformers/lessons/multi-head/"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "course-phone")
    assert page.js_errors == []


def test_script_in_an_instructors_lesson_never_runs(page, course, live_server):
    payload = (
        "## Hostile\n\n<script>window.__xss = 1</script>\n\n<img src=x onerror=\"window.__xss = 2\">\n\n"
        "[click me](javascript:window.__xss=3)\n\n<div hx-get=\"/admin/\" hx-trigger=\"load\">x</div>\n\n"
        "<svg><script>window.__xss = 4</script></svg>\n"
    )
    lesson = course.lessons.get(slug="scaled-dot-product")
    lesson.body_markdown = payload
    lesson.body_html = render_markdown(payload)
    lesson.save()
    teacher = make_instructor(username="teacher", course=course)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(teacher.username)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Log in").click()

    page.goto(lesson.get_absolute_url())
    expect(page.get_by_role("heading", name="Hostile")).to_be_visible()
    page.get_by_text("click me").click()  # its javascript: href was stripped, so nothing happens
    assert page.evaluate("window.__xss") is None

    # the live preview sanitises too
    page.goto(f"/courses/{course.slug}/manage/lessons/{lesson.slug}/edit/")
    page.locator("#id_body_markdown").fill(payload + "\n\n## Preview works")
    expect(page.locator("#lesson-preview").get_by_role("heading", name="Preview works")).to_be_visible()
    assert page.evaluate("window.__xss") is None
    assert page.js_errors == []
