"""Moodle XML on the import page, on a phone and by keyboard: a refused file names its line and imports
nothing, a good one previews then imports, and "Download Moodle XML" downloads a file that reads back."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from quizzes.domain.moodle_xml_reading import parse_moodle_xml
from quizzes.models import Quiz
from tests.e2e.conftest import screenshot
from tests.e2e import test_quiz_authoring as authoring

course = authoring.course  # the course, lesson and instructor "ines" of the authoring browser tests
log_in = authoring.log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parents[1] / "quizzes" / "fixtures" / "moodle_sample.xml"


def test_an_instructor_imports_moodle_xml_on_a_phone_by_keyboard_and_downloads_it_back(page, course, tmp_path):
    quiz = Quiz.objects.create(lesson=course.lessons.get(), slug="from-moodle", title="From Moodle")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "ines")
    page.goto(f"/quizzes/manage/{quiz.pk}/import/")

    # a file with one fraction Moodle does not allow: refused, its line named, nothing imported
    broken = tmp_path / "broken.xml"
    text = SAMPLE.read_text(encoding="utf-8")
    broken.write_text(text.replace('fraction="50" format="moodle_auto_format">\n      <text>soft*',
                                   'fraction="37" format="moodle_auto_format">\n      <text>soft*'), encoding="utf-8")
    page.get_by_label("File").set_input_files(str(broken))
    page.get_by_role("button", name="Preview the import").focus()
    page.keyboard.press("Enter")
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text('fraction="37"')
    expect(errors).to_contain_text("Nothing was imported")
    screenshot(page, "moodlexml-import-refused-390")
    assert not quiz.questions.exists()

    # the good file: a preview of seven questions, then the import, all by keyboard
    page.goto(f"/quizzes/manage/{quiz.pk}/import/")
    page.get_by_label("File").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Preview the import").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Ready to import 7 questions")).to_be_visible()
    screenshot(page, "moodlexml-import-preview-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the wide table scrolls in its own box
    page.get_by_role("button", name="Import 7 questions").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Imported 7 questions into “From Moodle”.")).to_be_visible()
    assert quiz.questions.count() == 7

    # nothing on the page is wider than the phone
    page.goto(f"/quizzes/manage/{quiz.pk}/import/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    link = page.get_by_role("link", name="Download Moodle XML")
    link.focus()
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "scaled-dot-product-from-moodle.xml"
    written = Path(download.value.path()).read_text(encoding="utf-8")
    assert len(parse_moodle_xml(written)) == 7
    screenshot(page, "moodlexml-export-links-390")
    assert page.js_errors == []
