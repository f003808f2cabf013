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
