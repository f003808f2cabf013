"""Quiz open and close times read in the learner's own time zone (issue 12): the page carries UTC as
<time datetime> with a "UTC" fallback text, and static/js/local_time.js shows the local time."""
from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from quizzes.models import Quiz
from tests.conftest import client_for
from tests.e2e.test_quiz_taking import PASSWORD
from tests.factories import CourseFactory, LessonFactory, UserFactory, enroll

OPENS = datetime(2030, 3, 1, 23, 30, tzinfo=timezone.utc)  # 08:30 on 2 March in Tokyo (UTC+9)


@pytest.fixture
def quiz(db):
    lesson = LessonFactory(course=CourseFactory(slug="times"), slug="l", title="Lesson", position=1)
    quiz = Quiz.objects.create(lesson=lesson, slug="q", title="Timed quiz", is_published=True, opens_at=OPENS)
    student = UserFactory(username="ada")
    student.set_password(PASSWORD)
    student.save()
    enroll(student, lesson.course)
    return quiz


@pytest.mark.django_db
def test_without_javascript_the_page_says_utc(quiz):
    page = client_for(quiz.lesson.course.enrollments.get().user).get(quiz.get_absolute_url()).content.decode()
    assert '<time datetime="2030-03-01T23:30:00+00:00" data-local-time="datetime">1 Mar 2030, 23:30 UTC</time>' in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_browser_shows_the_learners_local_time(browser, live_server, quiz):
    context = browser.new_context(base_url=live_server.url, timezone_id="Asia/Tokyo", locale="en-GB")
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(quiz.get_absolute_url())
    opens = page.locator("time[data-local-time]").first
    expect(opens).to_contain_text("2 Mar 2030")
    expect(opens).to_contain_text("08:30")
    expect(opens).to_have_attribute("title", "1 Mar 2030, 23:30 UTC")
    context.close()
