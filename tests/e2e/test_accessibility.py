"""Accessibility: axe-core (npm) finds no serious or critical violation on the main pages of each role,
and a quiz can be taken from start to review with the keyboard alone.

The real course is loaded (math, code, tables, quizzes), so the pages are the ones learners get.
axe is injected with Playwright's add_script_tag; that inline injection needs the context to bypass
the CSP, which is fine here: this test is about the markup, the XSS test checks the CSP's wall.
"""
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from courses.models import Course
from tests.e2e.conftest import screenshot
from tests.factories import UserFactory, enroll, make_instructor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


@pytest.fixture
def site(db):
    call_command("load_course", verbosity=0)
    course = Course.objects.order_by("id").first()
    lesson = course.lessons.filter(is_published=True).order_by("position").first()
    from quizzes.models import Quiz

    quiz = Quiz.objects.filter(lesson__course=course, is_published=True).order_by("lesson__position", "id").first()
    student = UserFactory(username="ada", first_name="Ada", last_name="Lovelace")
    enroll(student, course)
    return {
        "course": course,
        "lesson": lesson,
        "quiz": quiz,
        "student": student,
        "instructor": make_instructor(username="grace", course=course),
        "admin": UserFactory(username="root", is_staff=True, is_superuser=True),
    }


def _context(browser, live_server, user=None, width=1280):
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport={"width": width, "height": 900})
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{page.url} [{violation['impact']}] {violation['id']}: {violation['help']} — "
        + "; ".join(" ".join(node["target"]) + _detail(node) for node in violation["nodes"][:5])
        for violation in result["violations"]
        if violation["impact"] in BLOCKING
    ]


def _detail(node: dict) -> str:
    # colour-contrast findings carry the colours and the ratio: enough to fix the CSS from the log
    data = next((check.get("data") for check in node.get("any", []) if isinstance(check.get("data"), dict)), None)
    if data and "contrastRatio" in data:
        return f" ({data['fgColor']} on {data['bgColor']}: {data['contrastRatio']}, needs {data['expectedContrastRatio']})"
    return ""


def _pages(site) -> dict[str, list[str]]:
    course, lesson, quiz = site["course"], site["lesson"], site["quiz"]
    return {
        "anonymous": ["/", course.get_absolute_url(), f"/courses/{course.slug}/glossary/", "/accounts/login/",
                      "/accounts/signup/", "/lab/"],
        "student": [lesson.get_absolute_url(), f"/quizzes/{quiz.pk}/", "/progress/",
                    f"/progress/courses/{course.slug}/", "/lab/"],
        "instructor": [f"/courses/{course.slug}/manage/", f"/courses/{course.slug}/manage/lessons/{lesson.slug}/edit/",
                       f"/quizzes/manage/{quiz.pk}/", f"/quizzes/manage/{quiz.pk}/preview/",
                       f"/quizzes/manage/{quiz.pk}/statistics/", f"/quizzes/manage/{quiz.pk}/responses/",
                       f"/quizzes/manage/{quiz.pk}/regrade/?dry_run=1", "/progress/teaching/",
                       f"/progress/teaching/{course.slug}/gradebook/"],
        "admin": ["/progress/platform/", "/progress/platform/users/"],
    }


def test_main_pages_have_no_serious_or_critical_violations(browser, live_server, site):
    found: list[str] = []
    for role, paths in _pages(site).items():
        context = _context(browser, live_server, None if role == "anonymous" else site[role])
        page = context.new_page()
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, f"{role} {path} -> {response.status}"
            page.wait_for_load_state("networkidle")
            found += _violations(page)
        context.close()
    assert not found, "\n".join(found)


def test_attempt_and_review_pages_have_no_serious_or_critical_violations(browser, live_server, site):
    from quizzes.services import attempts as attempt_services

    attempt = attempt_services.attempt_start(quiz=site["quiz"], user=site["student"])
    context = _context(browser, live_server, site["student"])
    page = context.new_page()
    page.goto(f"/quizzes/attempts/{attempt.pk}/")
    found = _violations(page)
    attempt_services.attempt_submit(attempt=attempt)
    page.goto(f"/quizzes/attempts/{attempt.pk}/review/")
    found += _violations(page)
    context.close()
    assert not found, "\n".join(found)


def _tab_to(page, predicate_js: str, limit: int = 80, key: str = "Tab") -> None:
    """Press Tab until the focused element satisfies the predicate (keyboard only: no clicks)."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!(el && ({predicate_js})); }}"):
            return
    raise AssertionError(f"Tab never reached an element where {predicate_js}")


def test_a_quiz_can_be_taken_with_the_keyboard_alone(browser, live_server, site):
    context = _context(browser, live_server, site["student"], width=390)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"/quizzes/{site['quiz'].pk}/")

    # Start the attempt: Tab to the start button, Enter.
    _tab_to(page, "el.tagName === 'BUTTON' && /start|begin|continue/i.test(el.textContent)")
    page.keyboard.press("Enter")
    page.wait_for_url("**/quizzes/attempts/*/")
    assert page.locator("fieldset, .question").count() >= 1

    # Answer every question from the keyboard: Space picks a radio or box, text fields get typed in.
    answered = 0
    for _ in range(200):
        page.keyboard.press("Tab")
        kind = page.evaluate(
            "() => { const el = document.activeElement; if (!el) return ''; "
            "if (el.tagName === 'BUTTON' && /submit|finish|check/i.test(el.textContent)) return 'submit';"
            "if (el.type === 'radio' || el.type === 'checkbox') return el.checked ? 'done' : 'choice';"
            "if (el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && ['text','number',''].includes(el.type))) "
            "  return el.value ? 'done' : 'text';"
            "if (el.tagName === 'SELECT') return el.selectedIndex > 0 ? 'done' : 'select';"
            "return 'other'; }"
        )
        if kind == "choice":
            page.keyboard.press("Space")
            answered += 1
        elif kind == "text":
            page.keyboard.type("softmax")
            answered += 1
        elif kind == "select":
            page.keyboard.press("ArrowDown")
            answered += 1
        elif kind == "submit":
            break
    else:
        raise AssertionError("Tab never reached the button that finishes the attempt")
    assert answered >= 1
    # The focused element is visible to a sighted keyboard user (an outline or similar ring).
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    box_shadow = page.evaluate("() => getComputedStyle(document.activeElement).boxShadow")
    assert outline != "none" or box_shadow != "none", "the focused button shows no focus ring"
    screenshot(page, "a11y-keyboard-attempt-390")
    page.keyboard.press("Enter")

    # The submit check page, then the final submit, still from the keyboard.
    page.wait_for_url("**/submit/")
    _tab_to(page, "el.tagName === 'BUTTON' && /submit/i.test(el.textContent)")
    page.keyboard.press("Enter")
    page.wait_for_url("**/review/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "a11y-keyboard-review-390")
    context.close()


@pytest.fixture
def generous_lab_rate_limit(settings):
    # the whole browser suite talks from 127.0.0.1: one address, one allowance
    settings.ATTENTION_RATE = "100000/min"


def _lab_updates(page) -> int:
    return int(page.locator("[data-attention-lab]").get_attribute("data-updates") or 0)


def test_the_lab_can_be_used_with_the_keyboard_alone(browser, live_server, attention_worker, generous_lab_rate_limit):
    context = _context(browser, live_server)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/lab/?text=Dogs+chase+cats.")
    page.wait_for_function("() => Number(document.querySelector('[data-attention-lab]').getAttribute('data-updates') || 0) > 0")

    # type into the text box, reached with Tab
    _tab_to(page, "el.id === 'lab-text'")
    page.keyboard.press("Control+End")
    before = _lab_updates(page)
    page.keyboard.type(" quickly", delay=30)
    page.wait_for_function(f"() => Number(document.querySelector('[data-attention-lab]').getAttribute('data-updates') || 0) > {before}")
    expect(page.locator("[data-lab-counter]")).to_contain_text("7 / ")

    # pick another layer with the arrow keys
    _tab_to(page, "el.matches('[data-lab-layer]')")
    page.keyboard.press("ArrowDown")
    assert page.locator("[data-lab-layer]").input_value() == "1"
    # The layer's map is asked for after the last keystroke, so once it is painted no answer is left
    # on its way: the map read below is the final text's. (Picking a row on a map one answer behind
    # must work too: tests/e2e/test_lab.py covers a row that survives the next answer.)
    expect(page.locator("[data-lab-title]")).to_have_text("Layer 2, head 1")

    # move across the heatmap and pick a row
    _tab_to(page, "el.classList.contains('heatmap__canvas')")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    expect(page.locator(".heatmap__readout")).to_contain_text("Query “dogs”")
    page.keyboard.press("Enter")
    expect(page.locator(".heatmap__row")).to_be_visible()
    expect(page.locator(".heatmap__row")).to_contain_text("“dogs” (#1) attends most to:")

    # switch to the step-by-step view: back (Shift+Tab) to the tab list, arrows between the tabs
    _tab_to(page, "el.getAttribute('role') === 'tab'", key="Shift+Tab")
    for _ in range(3):
        if page.evaluate("() => document.activeElement.dataset.labView") == "step":
            break
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(page.locator("#panel-step")).to_be_visible()
    screenshot(page, "a11y-keyboard-lab-1280")
    found = _violations(page)
    context.close()
    assert not found, "\n".join(found)


def test_every_lesson_page_has_no_serious_or_critical_violations(browser, live_server, site):
    """All lessons, not only the first: highlighted code, tables, math and figures differ from lesson to lesson."""
    lessons = list(site["course"].lessons.filter(is_published=True).order_by("position"))
    assert len(lessons) >= 15
    context = _context(browser, live_server, site["student"])
    page = context.new_page()
    found: list[str] = []
    for lesson in lessons:
        assert page.goto(lesson.get_absolute_url()).status == 200
        page.wait_for_load_state("networkidle")
        found += _violations(page)
    context.close()
    assert not found, "\n".join(found)
