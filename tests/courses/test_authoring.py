"""Instructors edit lessons with a live preview, reorder and publish them; nobody else can."""
import pytest
from django.urls import reverse

from courses.models import Lesson
from tests.conftest import client_for
from tests.factories import LessonFactory

pytestmark = pytest.mark.django_db


def edit_url(lesson) -> str:
    return reverse("courses:lesson_edit", args=[lesson.course.slug, lesson.slug])


def test_an_instructor_saves_an_edit_and_students_see_it(cast):
    client = client_for(cast.instructor)
    response = client.post(
        edit_url(cast.lesson),
        {"title": "Intro, revised", "summary": "New", "body_markdown": "## Fresh\n\n$a+b$", "expected_revision": 1},
    )
    assert response.status_code == 302
    lesson = Lesson.objects.get(pk=cast.lesson.pk)
    assert lesson.title == "Intro, revised" and lesson.revision == 2 and lesson.updated_by == cast.instructor
    page = client_for(cast.student).get(lesson.get_absolute_url()).content.decode()
    assert '<h2 id="fresh">Fresh</h2>' in page


def test_a_stale_form_does_not_overwrite_a_newer_edit(cast):
    client = client_for(cast.instructor)
    form = {"title": "T", "summary": "", "body_markdown": "first save", "expected_revision": 1}
    client.post(edit_url(cast.lesson), form)
    response = client.post(edit_url(cast.lesson), {**form, "body_markdown": "stale tab"})
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    assert "stale tab" in response.content.decode()  # the author's text is still in the form, not lost
    assert Lesson.objects.get(pk=cast.lesson.pk).body_markdown == "first save"


def test_live_preview_renders_sanitised_markdown(cast):
    url = reverse("courses:lesson_preview", args=[cast.course.slug, cast.lesson.slug])
    html = client_for(cast.instructor).post(url, {"body_markdown": "**bold** <script>x()</script>"}).content.decode()
    assert "<strong>bold</strong>" in html and "<script" not in html


def test_reordering_moves_a_lesson_and_renumbers(cast):
    third = LessonFactory(course=cast.course, slug="third", position=3)
    url = reverse("courses:lesson_move", args=[cast.course.slug, third.slug])
    client_for(cast.instructor).post(url, {"direction": "up"})
    order = list(cast.course.lessons.order_by("position").values_list("slug", flat=True))
    assert order == ["intro", "third", "draft"]
    assert list(cast.course.lessons.order_by("position").values_list("position", flat=True)) == [1, 2, 3]


def test_publishing_a_draft_shows_it_to_students(cast):
    url = reverse("courses:lesson_publish", args=[cast.course.slug, cast.draft.slug])
    client_for(cast.instructor).post(url, {"publish": "1"})
    assert client_for(cast.student).get(cast.draft.get_absolute_url()).status_code == 200
    client_for(cast.instructor).post(url, {"publish": "0"})
    assert client_for(cast.student).get(cast.draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "student", "other_instructor"])
def test_authoring_is_refused_to_everyone_else(cast, who):
    user = None if who == "anonymous" else getattr(cast, who)
    client = client_for(user)
    assert client.get(reverse("courses:manage", args=[cast.course.slug])).status_code == 404
    assert client.get(edit_url(cast.lesson)).status_code == 404
    form = {"title": "hacked", "summary": "", "body_markdown": "hacked", "expected_revision": 1}
    assert client.post(edit_url(cast.lesson), form).status_code == 404
    assert client.post(reverse("courses:lesson_publish", args=[cast.course.slug, cast.draft.slug]), {"publish": "1"}).status_code == 404
    assert client.post(reverse("courses:lesson_move", args=[cast.course.slug, cast.lesson.slug]), {"direction": "down"}).status_code == 404
    lesson = Lesson.objects.get(pk=cast.lesson.pk)
    assert lesson.title == "Intro" and lesson.position == 1
    assert not Lesson.objects.get(pk=cast.draft.pk).is_published


def test_only_admins_assign_instructors(cast):
    url = reverse("courses:instructors", args=[cast.course.slug])
    assert client_for(cast.instructor).post(url, {"username": "student2"}).status_code == 404
    response = client_for(cast.admin).post(url, {"username": "student2"})
    assert response.status_code == 302
    assert cast.course.instructors.filter(username="student2").exists()
    assert cast.other_student.groups.filter(name="Instructors").exists()
    page = client_for(cast.admin).post(url, {"username": "nobody"}).content.decode()
    assert "No account is called “nobody”" in page
    client_for(cast.admin).post(url, {"remove": cast.other_student.pk})
    assert not cast.course.instructors.filter(username="student2").exists()


def test_admins_author_every_course(cast):
    assert client_for(cast.admin).get(reverse("courses:manage", args=[cast.other_course.slug])).status_code == 200
