"""The dashboards run a fixed number of SQL queries, however many learners there are."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from progress.models import EventKind, LearningEvent
from tests.conftest import client_for
from tests.factories import UserFactory, enroll

from .conftest import make_attempt

pytestmark = pytest.mark.django_db


def _add_learners(cast, quizzes, count: int) -> None:
    for index in range(count):
        user = UserFactory(username=f"crowd{index}", first_name="Crowd", last_name=str(index))
        enroll(user, cast.course)
        for quiz in quizzes:
            make_attempt(quiz=quiz, user=user, percent=(index * 17) % 101)
        LearningEvent.objects.create(kind=EventKind.LESSON_VIEWED, user=user, course=cast.course, lesson=cast.lesson)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.fixture
def urls(book):
    slug = book.cast.course.slug
    return [
        reverse("progress:gradebook", args=[slug]),
        reverse("progress:gradebook", args=[slug]) + "?sort=-average&status=failed",
        reverse("progress:quiz_report", args=[book.quiz_high.pk]),
        reverse("progress:lesson_report", args=[slug]),
        reverse("progress:platform"),
        reverse("progress:gradebook_csv", args=[slug]),
        reverse("progress:learner_detail", args=[slug, book.cast.student.pk]),
        reverse("progress_api:gradebook", args=[slug]),
        reverse("progress_api:platform"),
    ]


def test_query_count_does_not_grow_with_learners(book, urls, django_assert_max_num_queries):
    client = client_for(book.cast.admin)
    quizzes = [book.quiz_high, book.quiz_avg]
    _add_learners(book.cast, quizzes, 5)
    small = {url: _queries(client, url) for url in urls}
    _add_learners(book.cast, quizzes, 45)  # now 50 more learners than the fixture's own
    for url in urls:
        with django_assert_max_num_queries(small[url]):
            assert client.get(url).status_code == 200
    assert max(small.values()) <= 20


def test_my_learning_query_count_does_not_grow_with_courses_or_attempts(book, django_assert_max_num_queries):
    client = client_for(book.cast.student)
    url = reverse("progress:my_learning")
    baseline = _queries(client, url)
    for _ in range(5):
        make_attempt(quiz=book.quiz_avg, user=book.cast.student, percent=10)
    enroll(book.cast.student, book.cast.other_course)
    with django_assert_max_num_queries(baseline):
        assert client.get(url).status_code == 200
