"""The reading position: the lesson page posts the heading in view; "Continue" links land on that section.
Anything but one of the lesson's own heading ids, from an enrolled learner with a CSRF token, stores nothing."""
import pytest
from django.test import Client
from django.urls import reverse

from courses.models import LessonProgress
from courses.services import lesson_view_record
from tests.conftest import client_for
from tests.factories import LessonFactory

pytestmark = pytest.mark.django_db

BODY = "## Queries and keys\n\nText.\n\n### Scaling\n\nMore.\n\n## Values\n\nEnd.\n"


@pytest.fixture
def reading(cast):
    cast.lesson.body_markdown = BODY
    from courses.markdown import render_markdown_with_toc

    cast.lesson.body_html, cast.lesson.body_toc = render_markdown_with_toc(BODY)
    cast.lesson.save()
    return cast


def position_url(lesson) -> str:
    return reverse("courses:lesson_position", args=[lesson.course.slug, lesson.slug])


def stored_section(user, lesson) -> str | None:
    return LessonProgress.objects.filter(user=user, lesson=lesson).values_list("last_section", flat=True).first()


def test_an_enrolled_learners_lesson_page_carries_the_position_script(reading):
    page = client_for(reading.student).get(reading.lesson.get_absolute_url()).content.decode()
    assert f'data-position-url="{position_url(reading.lesson)}"' in page and "js/lesson_position.js" in page


def test_the_section_is_saved_and_every_continue_link_lands_on_it(reading):
    client = client_for(reading.student)
    assert client.post(position_url(reading.lesson), {"section": "scaling"}).status_code == 204  # a nested heading
    assert stored_section(reading.student, reading.lesson) == "scaling"
    target = f'{reading.lesson.get_absolute_url()}#scaling'
    assert f'href="{target}">Continue where you left off' in client.get(reading.course.get_absolute_url()).content.decode()
    assert f'href="{target}">Continue where you left off' in client.get("/").content.decode()
    my_learning = client.get(reverse("progress:my_learning")).content.decode()
    assert f'href="{target}">Continue lesson 1' in my_learning


def test_a_heading_edited_away_sends_continue_to_the_top_of_the_lesson(reading):
    client = client_for(reading.student)
    client.post(position_url(reading.lesson), {"section": "values"})
    reading.lesson.body_markdown = "No headings any more.\n"  # save() renders the contents list anew
    reading.lesson.save()
    page = client.get(reading.course.get_absolute_url()).content.decode()
    assert f'href="{reading.lesson.get_absolute_url()}">Continue where you left off' in page


@pytest.mark.parametrize(
    "section",
    ["other-lessons-heading", "no-such-heading", "", "values" * 40, "values\x00", "scal\u202eing", "values\n"],
    ids=["another-lesson", "unknown", "empty", "huge", "nul", "bidi", "newline"],
)
def test_anything_but_this_lessons_heading_is_refused_and_nothing_stored(reading, section):
    LessonFactory(course=reading.course, slug="second", body_markdown="## Other lessons heading\n")
    lesson_view_record(user=reading.student, lesson=reading.lesson)
    response = client_for(reading.student).post(position_url(reading.lesson), {"section": section})
    assert response.status_code == 400
    assert stored_section(reading.student, reading.lesson) == ""


def test_a_guest_an_outsider_and_a_forged_request_store_nothing(reading):
    assert client_for(None).post(position_url(reading.lesson), {"section": "values"}).status_code == 403
    assert client_for(reading.other_student).post(position_url(reading.lesson), {"section": "values"}).status_code == 404
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(reading.student)
    assert forged.post(position_url(reading.lesson), {"section": "values"}).status_code == 403
    assert client_for(reading.student).get(position_url(reading.lesson)).status_code == 405
    assert not LessonProgress.objects.filter(last_section="values").exists()
    assert client_for(reading.student).post(position_url(reading.draft), {"section": "section"}).status_code == 404


def test_a_real_csrf_token_from_the_page_is_accepted(reading):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reading.student)
    client.get(reading.lesson.get_absolute_url())
    token = client.cookies["csrftoken"].value
    assert client.post(position_url(reading.lesson), {"section": "values", "csrfmiddlewaretoken": token}).status_code == 204
    assert stored_section(reading.student, reading.lesson) == "values"


def test_a_late_report_from_a_lesson_left_behind_does_not_change_which_lesson_continue_opens(reading):
    second = LessonFactory(course=reading.course, slug="second", position=3, body_markdown="## Later\n")
    client = client_for(reading.student)
    client.get(reading.lesson.get_absolute_url())
    client.get(second.get_absolute_url())
    assert client.post(position_url(reading.lesson), {"section": "values"}).status_code == 204  # the page's last beacon
    page = client.get(reading.course.get_absolute_url()).content.decode()
    assert f'href="{second.get_absolute_url()}">Continue where you left off' in page
