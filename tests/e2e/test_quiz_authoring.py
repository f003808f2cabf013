"""An instructor builds a quiz in the browser (numeric and matching questions, live preview), publishes
it, and an enrolled student sees it; screenshots of the authoring pages at 1280 and 390 px."""
import pytest
from playwright.sync_api import expect

from quizzes.models import Question, Quiz
from tests.e2e.conftest import screenshot
from tests.e2e.test_accessibility import _violations as axe_violations
from tests.factories import DEFAULT_PASSWORD, CourseFactory, LessonFactory, UserFactory, enroll, make_instructor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def course():
    course = CourseFactory(slug="transformers", title="Transformers & Attention")
    LessonFactory(course=course, slug="scaled-dot-product", title="Scaled dot-product attention", position=1,
                  body_markdown="## The scale\n\nDivide by $\\sqrt{d_k}$.\n\n## Shapes\n\n$QK^\\top$ is $n \\times n$.\n")
    make_instructor(username="ines", course=course)
    enroll(UserFactory(username="sam"), course)
    return course


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_an_instructor_builds_a_quiz_with_live_preview_and_a_student_sees_it(page, browser, live_server, course):
    log_in(page, "ines")
    page.goto("/courses/transformers/manage/")
    page.get_by_role("link", name="Quizzes of “Scaled dot-product attention”").click()
    page.get_by_role("link", name="New quiz for this lesson").click()
    page.get_by_label("Title").fill("Scaling and shapes")
    page.get_by_label("Attempts allowed").fill("2")
    page.get_by_label("Pass mark (%)").fill("50")
    page.get_by_role("button", name="Create quiz").click()
    expect(page.get_by_text("Created “Scaling and shapes” as a draft.")).to_be_visible()

    # a numeric question: a typo in the value is reported live, in words, before saving
    page.get_by_role("link", name="Numeric").click()
    page.get_by_label("Question name").fill("Scale")
    page.get_by_label("Question text (Markdown)").fill("By what is each score divided when $d_k = 64$?")
    page.locator("#id_rows-0-value").fill("eight")
    preview = page.locator("#question-preview")
    expect(preview).to_contain_text("A numeric answer needs a number; got “eight”.")
    page.locator("#id_rows-0-value").fill("8")
    page.locator("#id_rows-0-tolerance").fill("0.01")
    expect(preview).not_to_contain_text("Not ready yet")
    expect(preview.locator(".katex")).to_have_count(1)  # the question text's math is typeset
    expect(preview).to_contain_text("Full marks: 8 ± 0.01")
    expect(preview.get_by_label("Your answer (a number)")).to_be_visible()
    screenshot(page, "authoring-numeric-1280")
    page.get_by_role("button", name="Add question").dblclick()
    expect(page.get_by_text("Added question Scale.")).to_be_visible()

    # a matching question with a distractor; the third pair is added in place
    page.get_by_role("link", name="Matching").click()
    page.get_by_label("Question name").fill("Shapes")
    page.get_by_label("Question text (Markdown)").fill("Match each matrix with its shape.")
    page.get_by_role("button", name="+ Add a pair").click()
    for index, (left, right) in enumerate([("Q", "n × d_k"), ("QKᵀ", "n × n"), ("V", "n × d_v")]):
        page.locator(f"#id_rows-{index}-left").fill(left)
        page.locator(f"#id_rows-{index}-right").fill(right)
    page.get_by_label("Distractors").fill("d × d")
    expect(preview.locator("select")).to_have_count(3)
    expect(preview.locator("select").first.locator("option")).to_have_count(5)  # "Choose…" + 3 answers + 1 distractor
    expect(preview).to_contain_text("Q → n × d_k")
    screenshot(page, "authoring-matching-1280")
    page.get_by_role("button", name="Add question").click()
    expect(page.get_by_text("Added question Shapes.")).to_be_visible()

    quiz = Quiz.objects.get(title="Scaling and shapes")
    assert [q.latest_version.qtype for q in Question.objects.filter(quiz=quiz).order_by("position")] == ["numeric", "matching"]
    screenshot(page, "authoring-quiz-1280")

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("“Scaling and shapes” is published")).to_be_visible()
    assert page.js_errors == []

    # every authoring page, on a laptop and on a phone: nothing sticks out sideways
    last = quiz.questions.order_by("position").last()
    pages = [("quiz", f"/quizzes/manage/{quiz.pk}/"), ("settings", f"/quizzes/manage/{quiz.pk}/settings/"),
             ("edit", f"/quizzes/manage/{quiz.pk}/questions/{last.pk}/"), ("preview", f"/quizzes/manage/{quiz.pk}/preview/"),
             ("import", f"/quizzes/manage/{quiz.pk}/import/"), ("grading", f"/quizzes/manage/{quiz.pk}/grading/"),
             ("regrade", f"/quizzes/manage/{quiz.pk}/regrade/"), ("statistics", f"/quizzes/manage/{quiz.pk}/statistics/")]
    # and axe-core finds no serious or critical accessibility problem on them (axe is injected inline,
    # so these contexts bypass the CSP; the flow above ran under it)
    problems: list[str] = []
    for width in (1280, 390):
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900}, bypass_csp=True)
        other = context.new_page()
        log_in(other, "ines")
        for name, path in pages:
            other.goto(path)
            screenshot(other, f"authoring-{name}-{width}")
            assert other.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
            if width == 1280:
                problems += axe_violations(other)
        context.close()
    assert problems == []

    # the student finds the quiz at the end of the lesson and can start it
    student = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}).new_page()
    log_in(student, "sam")
    student.goto(quiz.lesson.get_absolute_url())
    card = student.locator(".lesson-quiz")
    expect(card.get_by_role("heading", name="Scaling and shapes")).to_be_visible()
    card.get_by_role("link", name="Take the quiz").click()
    expect(student.get_by_role("heading", level=1)).to_have_text("Scaling and shapes")
    student.get_by_role("button", name="Start the quiz").click()
    expect(student.get_by_text("By what is each score divided when")).to_be_visible()
    expect(student.locator("select")).to_have_count(3)
    student.context.close()


def test_an_instructor_imports_a_gift_file_after_seeing_the_preview(page, course, tmp_path):
    quiz = Quiz.objects.create(lesson=course.lessons.get(), slug="imported", title="Imported")
    gift = tmp_path / "week1.gift"
    gift.write_text("::Scale::By what is each score divided when $d_k$ \\= 64? {#8:0}\n\n"
                    "::Rows::Each row of the attention weights sums to one. {T}\n", encoding="utf-8")
    log_in(page, "ines")
    page.goto(f"/quizzes/manage/{quiz.pk}/import/")
    page.get_by_label("File").set_input_files(str(gift))
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_text("Ready to import 2 questions")).to_be_visible()
    assert not quiz.questions.exists()
    screenshot(page, "authoring-import-preview-1280")
    page.get_by_role("button", name="Import 2 questions").click()
    expect(page.get_by_text("Imported 2 questions into “Imported”.")).to_be_visible()
    expect(page.locator(".question-table tbody tr")).to_have_count(2)


def test_an_unsaved_question_survives_a_closed_tab(page, course):
    quiz = Quiz.objects.create(lesson=course.lessons.get(), slug="drafty", title="Drafty")
    log_in(page, "ines")
    page.goto(f"/quizzes/manage/{quiz.pk}/questions/new/matching/")
    page.get_by_label("Question name").fill("Shapes")
    page.get_by_label("Question text (Markdown)").fill("Match each matrix with its shape.")
    page.get_by_role("button", name="+ Add a pair").click()
    page.get_by_role("button", name="+ Add a pair").click()
    page.locator("#id_rows-0-left").fill("Q")
    page.locator("#id_rows-0-right").fill("n × d_k")
    page.locator("#id_rows-4-left").fill("V")
    page.locator("#id_rows-4-right").fill("n × d_v")
    expect(page.get_by_text("Unsaved changes (kept in this browser)")).to_be_visible()
    # the tab goes away; a new visit offers the draft back, added rows included
    page.goto(f"/quizzes/manage/{quiz.pk}/questions/new/matching/")
    expect(page.get_by_label("Question name")).to_have_value("")
    page.get_by_role("button", name="Restore your unsaved draft").click()
    expect(page.get_by_label("Question name")).to_have_value("Shapes")
    expect(page.locator("#id_rows-4-left")).to_have_value("V")
    preview = page.locator("#question-preview")
    expect(preview).to_contain_text("Match each matrix with its shape.")
    expect(preview.locator("select")).to_have_count(2)
    assert not quiz.questions.exists() and page.js_errors == []
