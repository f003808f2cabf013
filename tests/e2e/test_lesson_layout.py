"""Every lesson of the real course fits a phone (390 px) and a laptop (1366 px): the page never scrolls
sideways. Wide things (code, tables, display math) scroll inside their own box instead. A full-page
screenshot of each lesson at each width goes to test-artifacts/ for a person to look at."""
import pytest
from django.core.management import call_command

from courses.models import Course
from tests.e2e.test_accessibility import _context
from tests.e2e.conftest import screenshot
from tests.factories import UserFactory, enroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1366)

# The widest element whose right edge leaves the viewport and that no scrolling box contains.
_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = el => { for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p); if (/(auto|scroll|hidden)/.test(s.overflowX) && s.display !== 'inline'
        && p !== document.body
        && p !== document.documentElement) return true; } return false; };
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > width + 1 && !scrolls(el))
      out.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(r.right)}`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, culprits: out.slice(0, 5)};
}"""


@pytest.fixture
def student_and_lessons(db):
    call_command("load_course", verbosity=0)
    course = Course.objects.get(slug="transformers-attention")
    student = UserFactory(username="ada")
    enroll(student, course)
    return student, list(course.lessons.filter(is_published=True).order_by("position"))


def test_no_lesson_scrolls_sideways_on_a_phone_or_a_laptop(browser, live_server, student_and_lessons):
    student, lessons = student_and_lessons
    assert len(lessons) >= 15
    problems = []
    for width in WIDTHS:
        context = _context(browser, live_server, student, width=width)
        page = context.new_page()
        for lesson in lessons:
            assert page.goto(lesson.get_absolute_url()).status == 200
            page.wait_for_load_state("networkidle")
            found = page.evaluate(_OVERFLOW)
            if found["scrollWidth"] > found["width"] + 1:
                problems.append(f"{lesson.slug} at {width} px: page is {found['scrollWidth']} px wide; "
                                f"{found['culprits']}")
            screenshot(page, f"lesson-{lesson.position:02d}-{width}")
        context.close()
    assert not problems, "\n".join(problems)


# Each <text>'s box, in the SVG's own units, must lie inside the viewBox.
_TEXT_OUTSIDE = """() => {
  const svg = document.querySelector('svg'), box = svg.viewBox.baseVal, out = [];
  for (const text of svg.querySelectorAll('text')) {
    if (text.closest('[transform]')) continue;  // rotated labels: their box is not in viewBox units
    const b = text.getBBox();
    if (b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5 || b.y < box.y - 0.5
        || b.y + b.height > box.y + box.height + 0.5)
      out.push(`"${text.textContent}" spans x ${Math.round(b.x)}..${Math.round(b.x + b.width)} of ${box.width}`);
  }
  return out;
}"""


def test_every_course_figure_keeps_its_text_inside_with_dejavu_sans(browser):
    """DejaVu Sans, the usual Linux sans-serif, is wider than Arial: captions sized for Arial got cut off."""
    from django.conf import settings as django_settings

    figures = sorted((django_settings.BASE_DIR / "static" / "courses" / "img").glob("*.svg"))
    assert len(figures) >= 11
    page = browser.new_page()
    problems = []
    for figure in figures:
        svg = figure.read_text(encoding="utf-8").replace('font-family="sans-serif"', 'font-family="DejaVu Sans"')
        assert 'font-family="DejaVu Sans"' in svg, figure.name
        page.set_content(f"<!doctype html><body style='margin:0'>{svg}</body>")
        problems += [f"{figure.name}: {problem}" for problem in page.evaluate(_TEXT_OUTSIDE)]
    page.close()
    assert not problems, "\n".join(problems)
