"""Open lessons: a course with open_lessons lets anyone read its published lessons (pages and API), never its
drafts or quizzes; "Sign up to enroll" creates the account and enrolls, back on the lesson."""
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from courses.models import Course, Enrollment, LessonProgress
from tests.conftest import client_for
from tests.factories import LessonFactory

pytestmark = pytest.mark.django_db


def lesson_url(lesson) -> str:
    return reverse("courses:lesson_detail", args=[lesson.course.slug, lesson.slug])


@pytest.fixture
def open_course(cast):
    Course.objects.filter(pk=cast.course.pk).update(open_lessons=True)
    cast.course.refresh_from_db()
    return cast


def test_a_guest_reads_an_open_lesson_with_a_sign_up_call_and_leaves_no_progress(open_course):
    response = client_for(None).get(lesson_url(open_course.lesson))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Attention is" in page
    signup = f"{reverse('signup')}?next={lesson_url(open_course.lesson)}&amp;enroll=attention-101"
    assert f'href="{signup}">Sign up to enroll' in page
    assert "Mark lesson complete" not in page and "data-position-url" not in page
    assert not LessonProgress.objects.exists()


def test_an_account_without_enrollment_reads_an_open_lesson_but_keeps_no_progress(open_course):
    page = client_for(open_course.other_student).get(lesson_url(open_course.lesson)).content.decode()
    assert "Enroll — it’s free" in page and "Mark lesson complete" not in page
    assert not LessonProgress.objects.filter(user=open_course.other_student).exists()
    completion = reverse("courses:lesson_completion", args=[open_course.course.slug, open_course.lesson.slug])
    assert client_for(open_course.other_student).post(completion, {"completed": "1"}).status_code == 404


def test_enrolling_from_an_open_lesson_returns_to_it(open_course):
    url = lesson_url(open_course.lesson)
    response = client_for(open_course.other_student).post(
        reverse("courses:enroll", args=[open_course.course.slug]), {"next": url}
    )
    assert response["Location"] == url
    elsewhere = client_for(open_course.classmate).post(
        reverse("courses:enroll", args=[open_course.course.slug]), {"next": "https://evil.example/"}
    )
    assert elsewhere["Location"] != "https://evil.example/"


def test_drafts_closed_courses_and_unpublished_courses_stay_shut_to_guests(open_course):
    guest = client_for(None)
    assert guest.get(lesson_url(open_course.draft))["Location"].startswith(reverse("login"))
    closed = LessonFactory(course=open_course.other_course, slug="closed")
    assert guest.get(lesson_url(closed))["Location"].startswith(reverse("login"))
    Course.objects.filter(pk=open_course.course.pk).update(is_published=False)
    assert guest.get(lesson_url(open_course.lesson)).status_code == 404


def test_a_guest_sees_a_quiz_only_as_a_sign_in_link(open_course, make_quiz):
    quiz = make_quiz(qtypes=("single_choice",))
    page = client_for(None).get(lesson_url(open_course.lesson)).content.decode()
    assert "Sign in to take this quiz" in page
    assert "Which function normalises scores?" not in page and "SECRET" not in page
    assert "Take the quiz" not in page
    assert client_for(None).get(quiz.get_absolute_url())["Location"].startswith(reverse("login"))


def test_the_api_follows_the_same_rule(open_course):
    guest = APIClient()
    listed = [row["slug"] for row in guest.get("/api/lessons/", {"course": "attention-101"}).json()["results"]]
    assert listed == ["intro"]
    body = guest.get(f"/api/lessons/{open_course.lesson.pk}/").json()
    assert "Attention is" in body["body_html"]
    assert guest.get(f"/api/lessons/{open_course.draft.pk}/").status_code in (403, 404)
    closed = LessonFactory(course=open_course.other_course, slug="closed")
    assert guest.get(f"/api/lessons/{closed.pk}/").status_code == 403
    assert guest.post(f"/api/lessons/{open_course.lesson.pk}/completion/", {"completed": True}).status_code in (401, 403)


def test_signing_up_to_enroll_creates_the_account_enrolls_and_lands_on_the_lesson(open_course):
    url = lesson_url(open_course.lesson)
    client = client_for(None)
    form = client.get(reverse("signup"), {"next": url, "enroll": "attention-101"}).content.decode()
    assert 'name="enroll" value="attention-101"' in form
    response = client.post(
        reverse("signup"),
        {
            "username": "newcomer", "email": "newcomer@example.com",
            "password1": "a-Long-pass-phrase-9", "password2": "a-Long-pass-phrase-9",
            "next": url, "enroll": "attention-101",
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    assert Enrollment.objects.filter(user__username="newcomer", course=open_course.course).exists()
    page = client.get(url).content.decode()
    assert "Mark lesson complete" in page and "You are enrolled in Attention 101" in page


def test_signing_up_with_an_unknown_or_unpublished_course_enrolls_in_nothing(open_course):
    Course.objects.filter(pk=open_course.other_course.pk).update(is_published=False)
    for slug in ("other-course", "no-such-course", "x" * 500):
        username = f"new{len(slug)}{slug[:3]}"
        client_for(None).post(
            reverse("signup"),
            {"username": username, "email": f"{username}@example.com", "password1": "a-Long-pass-phrase-9",
             "password2": "a-Long-pass-phrase-9", "enroll": slug},
        )
        assert not Enrollment.objects.filter(user__username=username).exists()


def test_the_course_page_links_open_lessons_for_guests_and_signing_up_there_enrolls(open_course):
    page = client_for(None).get(open_course.course.get_absolute_url()).content.decode()
    assert f'<a href="{lesson_url(open_course.lesson)}">Intro</a>' in page
    assert "read the first lesson" in page and "Draft lesson" not in page
    assert "enroll=attention-101" in page
    Course.objects.filter(pk=open_course.course.pk).update(open_lessons=False)
    closed = client_for(None).get(open_course.course.get_absolute_url()).content.decode()
    assert f'<a href="{lesson_url(open_course.lesson)}">' not in closed and "read the first lesson" not in closed
