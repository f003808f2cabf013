"""Who sees which progress page and API: two students, two instructors, an admin and an anonymous visitor."""
import pytest
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "student", "other_student", "instructor", "other_instructor", "admin"]


def _user(cast, role):
    return None if role == "anonymous" else getattr(cast, role)


def _course_urls(book):
    slug, quiz = book.cast.course.slug, book.quiz_high.pk
    return [
        reverse("progress:gradebook", args=[slug]),
        reverse("progress:gradebook_csv", args=[slug]),
        reverse("progress:responses_csv", args=[slug]),
        reverse("progress:learner_detail", args=[slug, book.cast.student.pk]),
        reverse("progress:lesson_report", args=[slug]),
        reverse("progress:lesson_report_csv", args=[slug]),
        reverse("progress:quiz_report", args=[quiz]),
        reverse("progress:quiz_report_csv", args=[quiz]),
    ]




@pytest.mark.parametrize("role, expected", [
    ("anonymous", 302), ("student", 404), ("other_student", 404), ("instructor", 200), ("other_instructor", 404), ("admin", 200),
])
def test_course_reports_are_for_the_course_instructors_and_admins(book, role, expected):
    client = client_for(_user(book.cast, role))
    for url in _course_urls(book):
        response = client.get(url)
        assert response.status_code == expected, (url, role, response.status_code)
        if expected == 302:
            assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role, expected", [
    ("anonymous", 302), ("student", 404), ("other_student", 404), ("instructor", 404), ("other_instructor", 404), ("admin", 200),
])
def test_platform_pages_are_for_admins_only(book, role, expected):
    client = client_for(_user(book.cast, role))
    urls = [reverse("progress:platform"), reverse("progress:users"), reverse("progress:user_roles", args=[book.cast.student.pk]),
            reverse("progress:platform_csv", args=["funnel"])]
    for url in urls:
        assert client.get(url).status_code == expected, (url, role)
    assert client.post(reverse("progress:user_roles", args=[book.cast.student.pk]), {"courses": [book.cast.course.pk]}).status_code in (
        (302,) if role in ("admin", "anonymous") else (404,)
    )
    assert book.cast.course.instructors.filter(pk=book.cast.student.pk).exists() == (role == "admin")


@pytest.mark.parametrize("role, expected", [
    ("anonymous", 302), ("student", 404), ("other_student", 404), ("instructor", 200), ("other_instructor", 200), ("admin", 200),
])
def test_teaching_overview_lists_only_the_courses_one_teaches(book, role, expected):
    response = client_for(_user(book.cast, role)).get(reverse("progress:teaching"))
    assert response.status_code == expected
    if expected == 200:
        text = response.content.decode()
        assert ("Attention 101" in text) == (role in ("instructor", "admin"))
        assert ("Other course" in text) == (role in ("other_instructor", "admin"))


def test_my_learning_shows_only_my_own_courses(book):
    cast = book.cast
    assert client_for(None).get(reverse("progress:my_learning")).status_code == 302
    mine = client_for(cast.student).get(reverse("progress:my_learning")).content.decode()
    assert "Attention 101" in mine and "80%" in mine and "45%" in mine
    other = client_for(cast.other_student).get(reverse("progress:my_learning")).content.decode()
    assert "Attention 101" not in other and "not enrolled in any course" in other
    assert client_for(cast.student).get(reverse("progress:course_progress", args=[cast.course.slug])).status_code == 200
    assert client_for(cast.other_student).get(reverse("progress:course_progress", args=[cast.course.slug])).status_code == 404


def test_a_learner_from_another_course_is_not_found_in_the_drill_down(book):
    url = reverse("progress:learner_detail", args=[book.cast.course.slug, book.cast.other_student.pk])
    assert client_for(book.cast.instructor).get(url).status_code == 404


# --- API ---------------------------------------------------------------------------------------------

def test_api_my_learning_is_the_callers_own(book):
    url = reverse("progress_api:me")
    assert client_for(None).get(url).status_code in (401, 403)
    data = client_for(book.cast.student).get(url).json()
    [course] = data["courses"]
    grades = {quiz["title"]: quiz for lesson in course["lessons"] for quiz in lesson["quizzes"]}
    assert grades["Highest quiz"]["percent"] == pytest.approx(80) and grades["Highest quiz"]["passed"] is True
    assert grades["Average quiz"]["state"] == "failed" and grades["Average quiz"]["attempts_left"] is None
    assert client_for(book.cast.other_student).get(url).json() == {"courses": []}


@pytest.mark.parametrize("role, expected", [
    ("anonymous", 403), ("student", 404), ("other_student", 404), ("instructor", 200), ("other_instructor", 404), ("admin", 200),
])
def test_api_gradebook_per_object_permissions(book, role, expected):
    response = client_for(_user(book.cast, role)).get(reverse("progress_api:gradebook", args=[book.cast.course.slug]))
    assert response.status_code == expected
    if expected == 200:
        data = response.json()
        assert data["count"] == 3 and [quiz["title"] for quiz in data["quizzes"]] == ["Highest quiz", "Average quiz"]
        student1 = next(row for row in data["results"] if row["username"] == "student1")
        assert student1["average"] == pytest.approx(62.5) and student1["status"] == "failed"


def test_api_gradebook_filters(book):
    client = client_for(book.cast.instructor)
    url = reverse("progress_api:gradebook", args=[book.cast.course.slug])
    assert [row["username"] for row in client.get(url, {"status": "not_started"}).json()["results"]] == ["student4"]
    assert [row["username"] for row in client.get(url, {"sort": "-average"}).json()["results"]] == ["student1", "student3", "student4"]


@pytest.mark.parametrize("role, expected", [
    ("anonymous", 403), ("student", 403), ("other_student", 403), ("instructor", 403), ("other_instructor", 403), ("admin", 200),
])
def test_api_platform_is_for_admins(book, role, expected):
    response = client_for(_user(book.cast, role)).get(reverse("progress_api:platform"))
    assert response.status_code == expected
    if expected == 200:
        data = response.json()
        assert len(data["enrollments_per_day"]) == 30
        funnel = next(row for row in data["funnel"] if row["course"] == book.cast.course.slug)
        assert funnel["enrolled"] == 3 and funnel["started"] == 2


def test_schema_documents_the_progress_api(db):
    schema = client_for(None).get(reverse("api-schema")).content.decode()
    for path in ("/api/learning/me/", "/api/learning/courses/{course_slug}/gradebook/", "/api/learning/platform/"):
        assert path in schema


def test_gradebook_answers_htmx_with_the_table_and_history_restores_with_the_page(book):
    client = client_for(book.cast.instructor)
    url = reverse("progress:gradebook", args=[book.cast.course.slug])
    fragment = client.get(url, {"status": "not_started"}, HTTP_HX_REQUEST="true").content.decode()
    assert '<section id="gradebook"' in fragment and "<html" not in fragment
    assert "Zoe Zero" in fragment and "student1" not in fragment
    restored = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true").content.decode()
    assert "<html" in restored


def test_course_page_lists_every_lesson_and_quiz_with_its_state(book):
    text = client_for(book.cast.student).get(reverse("progress:course_progress", args=[book.cast.course.slug])).content.decode()
    for expected in ("Intro", "Second lesson", "Quiz: Highest quiz", "Quiz: Average quiz", "80%", "45%", "1 left", "Not started"):
        assert expected in text
    assert "Draft lesson" not in text
