"""A learner's path through a course: catalogue, enrollment, reading in order, completion, resuming."""
import pytest
from django.urls import reverse

from courses.models import Enrollment, LessonProgress
from tests.conftest import client_for
from tests.factories import LessonFactory, UserFactory

pytestmark = pytest.mark.django_db


def lesson_url(lesson) -> str:
    return reverse("courses:lesson_detail", args=[lesson.course.slug, lesson.slug])


def test_catalogue_lists_published_courses_only(cast):
    cast.other_course.is_published = False
    cast.other_course.save()
    page = client_for(None).get("/").content.decode()
    assert "Attention 101" in page
    assert "Other course" not in page


def test_enrolling_twice_keeps_one_enrollment_and_opens_the_first_lesson(cast):
    client = client_for(cast.other_student)
    url = reverse("courses:enroll", args=[cast.course.slug])
    first = client.post(url)
    second = client.post(url)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == lesson_url(cast.lesson)
    assert Enrollment.objects.filter(user=cast.other_student, course=cast.course).count() == 1


def test_a_lesson_needs_enrollment_and_drafts_stay_hidden(cast):
    assert client_for(cast.other_student).get(lesson_url(cast.lesson))["Location"] == cast.course.get_absolute_url()
    assert client_for(cast.student).get(lesson_url(cast.lesson)).status_code == 200
    assert client_for(cast.student).get(lesson_url(cast.draft)).status_code == 404
    assert "Draft lesson" not in client_for(cast.student).get(cast.course.get_absolute_url()).content.decode()
    assert client_for(cast.instructor).get(lesson_url(cast.draft)).status_code == 200


def test_previous_and_next_follow_the_course_order(cast):
    second = LessonFactory(course=cast.course, slug="second", title="Second", position=3)
    third = LessonFactory(course=cast.course, slug="third", title="Third", position=4)
    page = client_for(cast.student).get(lesson_url(second)).content.decode()
    assert f'rel="prev" href="{lesson_url(cast.lesson)}"' in page  # the draft in between is skipped
    assert f'rel="next" href="{lesson_url(third)}"' in page


def test_marking_complete_moves_the_progress_bar(cast):
    LessonFactory(course=cast.course, slug="second", title="Second", position=3)
    client = client_for(cast.student)
    url = reverse("courses:lesson_completion", args=[cast.course.slug, cast.lesson.slug])
    fragment = client.post(url, {"completed": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'aria-valuenow="50"' in fragment
    assert "You completed this lesson" in fragment
    assert LessonProgress.objects.get(user=cast.student, lesson=cast.lesson).completed_at is not None
    fragment = client.post(url, {"completed": "0"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'aria-valuenow="0"' in fragment


def test_completing_twice_keeps_the_first_completion_time(cast):
    client = client_for(cast.student)
    url = reverse("courses:lesson_completion", args=[cast.course.slug, cast.lesson.slug])
    client.post(url)
    first = LessonProgress.objects.get(user=cast.student, lesson=cast.lesson).completed_at
    client.post(url)
    assert LessonProgress.objects.get(user=cast.student, lesson=cast.lesson).completed_at == first


def test_the_course_page_offers_to_continue_where_you_left_off(cast):
    second = LessonFactory(course=cast.course, slug="second", title="Second", position=3)
    client = client_for(cast.student)
    client.get(lesson_url(cast.lesson))
    client.get(lesson_url(second))
    page = client.get(cast.course.get_absolute_url()).content.decode()
    assert "Continue where you left off" in page
    assert f'href="{lesson_url(second)}">Continue where you left off' in page
    assert "Continue where you left off" in client.get("/").content.decode()


def test_anonymous_visitors_are_sent_to_log_in(cast):
    response = client_for(None).get(lesson_url(cast.lesson))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client_for(None).post(reverse("courses:enroll", args=[cast.course.slug])).status_code == 302
    assert not Enrollment.objects.filter(course=cast.course).exclude(user__in=[cast.student, cast.classmate]).exists()


def test_glossary_links_terms_to_their_lesson(cast):
    cast.course.glossary_terms.create(term="Query", definition="What a token looks for.", lesson=cast.lesson)
    page = client_for(None).get(reverse("courses:glossary", args=[cast.course.slug])).content.decode()
    assert "Query" in page and lesson_url(cast.lesson) in page


def test_unenrolling_keeps_progress(cast):
    client = client_for(cast.student)
    client.post(reverse("courses:lesson_completion", args=[cast.course.slug, cast.lesson.slug]))
    client.post(reverse("courses:unenroll", args=[cast.course.slug]))
    assert not Enrollment.objects.filter(user=cast.student).exists()
    assert LessonProgress.objects.filter(user=cast.student, completed_at__isnull=False).exists()
