"""Each role's progress view in headless Chromium: charts are drawn, filters work, exports download."""
import csv
import io

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import LessonProgress
from progress.models import EventKind, LearningEvent
from tests.e2e.conftest import screenshot
from tests.progress.conftest import book, make_attempt  # noqa: F401  (the fixture and its helper)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def downloaded_rows(download) -> list[list[str]]:
    text = open(download.path(), encoding="utf-8-sig").read()
    return list(csv.reader(io.StringIO(text)))


def test_student_sees_progress_grades_and_the_next_step(page, live_server, book):
    cast = book.cast
    LessonProgress.objects.create(user=cast.student, lesson=cast.lesson, last_viewed_at=timezone.now(), completed_at=timezone.now())
    log_in(page, live_server, cast.student)
    page.goto("/")
    page.get_by_role("link", name="My learning").click()
    card = page.locator(".learning-card")
    expect(card.get_by_role("heading", name="Attention 101")).to_be_visible()
    expect(card.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "50")
    expect(card.locator(".grade--passed")).to_contain_text("80%")
    expect(card.locator(".grade--failed")).to_contain_text("45%")
    screenshot(page, "my-learning-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "my-learning-phone")
    card.get_by_role("link", name="Start lesson 3: Second lesson →").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Second lesson")
    assert page.js_errors == []


def test_instructor_filters_sorts_drills_down_and_exports_the_gradebook(page, live_server, book):
    cast = book.cast
    log_in(page, live_server, cast.instructor)
    page.goto("/")
    page.get_by_role("link", name="Teaching").click()
    page.get_by_role("link", name="Gradebook").first.click()
    rows = page.locator(".gradebook__table tbody tr")
    expect(rows).to_have_count(3)
    # htmx swaps the table in place when the filter changes
    page.get_by_label("Status").select_option("not_started")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Zoe Zero")
    assert "status=not_started" in page.url
    page.get_by_label("Status").select_option("")
    expect(rows).to_have_count(3)
    page.get_by_role("link", name="Average", exact=True).click()
    expect(rows.first).to_contain_text("student3")  # 50 % before 62.5 %
    page.get_by_role("link", name="Average", exact=True).click()
    expect(rows.first).to_contain_text("student1")
    screenshot(page, "gradebook-desktop")
    # Filtering keeps the order chosen, and the export follows what the table shows.
    page.get_by_label("Status").select_option("failed")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("student1")
    assert "sort=-average" in page.url

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export gradebook (CSV)").click()
    header, *data = downloaded_rows(download_info.value)
    assert header[:3] == ["username", "name", "email"] and [row[0] for row in data] == ["student1", "student3"]

    page.get_by_role("link", name="student1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("student1")
    expect(page.locator(".attempt-card")).to_have_count(4)
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "learner-drilldown-phone")
    assert page.js_errors == []


def test_instructor_quiz_report_draws_the_histogram_and_item_chart(page, live_server, book, make_quiz):
    from tests.factories import UserFactory

    quiz = make_quiz(qtypes=["single_choice", "true_false"], title="Two questions")
    for index, fractions in enumerate([(1, 1), (1, 0), (0, 0), (1, 1), (0, 1)]):
        make_attempt(quiz=quiz, user=UserFactory(username=f"extra{index}"), fractions=list(fractions))
    log_in(page, live_server, book.cast.instructor)
    page.goto(f"/progress/teaching/quizzes/{quiz.pk}/")
    histogram = page.locator('[data-chart="histogram"] .chart__svg--wide')
    expect(histogram).to_be_visible()
    assert histogram.locator("rect.chart__bar").count() == 10
    expect(page.locator('[data-chart="items"] .chart__svg--wide .chart__point-label')).to_have_text("Q1, Q2")  # same statistics: one dot
    expect(page.get_by_role("link", name="Regrade…")).to_have_attribute("href", f"/quizzes/manage/{quiz.pk}/regrade/")
    page.locator('[data-chart="histogram"] summary').click()
    expect(page.locator('[data-chart="histogram"] table')).to_be_visible()
    screenshot(page, "quiz-report-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator('[data-chart="histogram"] .chart__svg--narrow')).to_be_visible()
    expect(histogram).to_be_hidden()
    screenshot(page, "quiz-report-phone")
    assert page.js_errors == []


def test_admin_dashboard_draws_charts_filters_by_date_and_exports(page, live_server, book):
    cast = book.cast
    LearningEvent.objects.create(kind=EventKind.LAB_USED, user=cast.student, count=4)
    log_in(page, live_server, cast.admin)
    page.goto("/")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Platform dashboard")
    for slug in ("enrollments", "active", "funnel", "pass-rates", "lab"):
        expect(page.locator(f'[data-chart="{slug}"] .chart__svg--wide').first).to_be_visible()
    assert page.locator('[data-chart="enrollments"] .chart__svg--wide rect.chart__bar').count() == 30
    expect(page.locator(".kpi").filter(has_text="Lab sessions")).to_contain_text("4")
    screenshot(page, "platform-desktop")

    with page.expect_download() as download_info:
        page.locator('[data-chart="pass-rates"]').get_by_role("link", name="Export CSV").click()
    header, *data = downloaded_rows(download_info.value)
    assert header == ["course", "quiz", "learners_graded", "learners_passed", "pass_rate_percent"]
    assert ["Attention 101", "Highest quiz", "2", "1", "50.0"] in data

    page.get_by_label("From", exact=True).fill("2026-01-01")
    page.get_by_label("To", exact=True).fill("2026-01-07")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".filters .meta")).to_contain_text("1 Jan 2026 – 7 Jan 2026")
    assert page.locator('[data-chart="enrollments"] .chart__svg--wide rect.chart__bar').count() == 7
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator('[data-chart="enrollments"] .chart__svg--narrow')).to_be_visible()
    screenshot(page, "platform-phone")
    assert page.js_errors == []


def test_admin_makes_someone_an_instructor_of_a_course(page, live_server, book):
    cast = book.cast
    log_in(page, live_server, cast.admin)
    page.goto("/progress/platform/users/")
    page.get_by_label("Find someone").fill("student4")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Roles…").click()
    page.get_by_label("Attention 101").check()
    page.get_by_role("button", name="Save roles").click()
    expect(page.get_by_text("Saved the roles of Zoe Zero.")).to_be_visible()
    assert cast.course.instructors.filter(username="student4").exists()
    screenshot(page, "user-roles-desktop")
    assert page.js_errors == []
