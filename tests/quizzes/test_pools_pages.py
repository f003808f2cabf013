"""Random slots through HTTP: the editor's pages and the API, as every member of the cast and as an attacker."""
import json

import pytest
from django.urls import reverse

from quizzes.models import RandomSlot
from quizzes.pools.services import SlotInput, random_slot_create
from tests.conftest import client_for
from tests.factories import LessonFactory
from tests.quizzes.pool_setup import make_bank

pytestmark = pytest.mark.django_db
API = "/api/quiz-random-slots/"


@pytest.fixture
def banked(cast, make_quiz):
    bank = make_bank(lesson=cast.lesson, user=cast.instructor, count=6)
    return make_quiz(), bank


def test_an_instructor_adds_edits_and_removes_a_slot_from_the_quiz_editor(cast, banked):
    quiz, _ = banked
    client = client_for(cast.instructor)
    form = client.get(reverse("quiz_authoring:random_slot_create", args=[quiz.pk]))
    assert form.status_code == 200 and 'id="pool-count"' in form.content.decode()
    assert '<option value="softmax">' in form.content.decode()  # the course's tags are suggested
    added = client.post(reverse("quiz_authoring:random_slot_create", args=[quiz.pk]),
                        {"draw_count": "2", "lesson": str(cast.lesson.pk), "category": "", "tag": "softmax"})
    assert added.status_code == 302
    slot = RandomSlot.objects.get(quiz=quiz)
    editor = client.get(reverse("quiz_authoring:quiz", args=[quiz.pk])).content.decode()
    assert "Draw 2 questions" in editor and "6 questions match now" in editor and "1 question + 2 drawn at random" in editor
    client.post(reverse("quiz_authoring:random_slot_edit", args=[quiz.pk, slot.pk]), {"draw_count": "4", "tag": "softmax"})
    slot.refresh_from_db()
    assert slot.draw_count == 4 and slot.lesson_id is None
    client.post(reverse("quiz_authoring:random_slot_delete", args=[quiz.pk, slot.pk]))
    assert not RandomSlot.objects.filter(quiz=quiz).exists()


def test_the_form_explains_a_pool_that_is_too_small_and_keeps_what_was_typed(cast, banked):
    quiz, _ = banked
    response = client_for(cast.instructor).post(reverse("quiz_authoring:random_slot_create", args=[quiz.pk]),
                                                {"draw_count": "7", "tag": "softmax"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Only 6 questions match this filter; draw at most 6 or widen the filter." in html
    assert 'value="softmax"' in html and not RandomSlot.objects.exists()


def test_the_live_count_follows_the_filter(cast, banked):
    quiz, _ = banked
    client = client_for(cast.instructor)
    url = reverse("quiz_authoring:random_slot_count", args=[quiz.pk])
    assert "<strong class=\"pool-count__n\">6</strong> questions match" in client.get(url, {"tag": "softmax", "draw_count": "3"}).content.decode()
    short = client.get(url, {"tag": "softmax", "draw_count": "9"}).content.decode()
    assert "fewer than the 9 to draw" in short
    assert ">0</strong>" in client.get(url, {"tag": "nothing-has-this"}).content.decode()
    assert ">0</strong>" in client.get(url, {"lesson": "9" * 40}).content.decode()


@pytest.mark.parametrize("who", [None, "student", "other_student", "other_instructor"])
def test_nobody_but_the_courses_instructors_and_staff_reaches_the_slot_pages(cast, banked, who):
    quiz, _ = banked
    slot = random_slot_create(quiz=quiz, data=SlotInput(draw_count=1))
    client = client_for(getattr(cast, who) if who else None)
    urls = [reverse("quiz_authoring:random_slot_create", args=[quiz.pk]),
            reverse("quiz_authoring:random_slot_edit", args=[quiz.pk, slot.pk]),
            reverse("quiz_authoring:random_slot_count", args=[quiz.pk]) + "?tag=softmax"]
    assert all(client.get(url).status_code in (302, 404) for url in urls)
    assert client.post(reverse("quiz_authoring:random_slot_delete", args=[quiz.pk, slot.pk])).status_code in (302, 404)
    assert client.post(urls[0], {"draw_count": "1"}).status_code in (302, 404)
    assert RandomSlot.objects.filter(quiz=quiz).count() == 1
    assert client.get(API).status_code in (200, 403) and slot.pk not in [s["id"] for s in _results(client.get(API))]
    assert client.get(f"{API}{slot.pk}/").status_code in (403, 404)
    assert client.get(f"{API}pool-count/?quiz={quiz.pk}").status_code in (403, 404)
    created = client.post(API, {"quiz": quiz.pk, "draw_count": 1}, content_type="application/json")
    assert created.status_code in (403, 404) and RandomSlot.objects.count() == 1


def _results(response):
    if response.status_code != 200:
        return []
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


def test_a_slot_of_another_quiz_is_a_404_on_this_quizs_pages(cast, banked, make_quiz):
    quiz, _ = banked
    other = make_quiz()
    slot = random_slot_create(quiz=other, data=SlotInput(draw_count=1))
    client = client_for(cast.instructor)
    assert client.get(reverse("quiz_authoring:random_slot_edit", args=[quiz.pk, slot.pk])).status_code == 404
    assert client.post(reverse("quiz_authoring:random_slot_delete", args=[quiz.pk, slot.pk])).status_code == 404


@pytest.mark.parametrize("who", ["instructor", "admin"])
def test_the_api_adds_reads_changes_and_removes_slots(cast, banked, who):
    quiz, _ = banked
    client = client_for(getattr(cast, who))
    created = client.post(API, {"quiz": quiz.pk, "draw_count": 2, "tag": "softmax"}, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["available"] == 6 and body["lesson"] is None and body["position"] == 1
    changed = client.patch(f"{API}{body['id']}/", {"draw_count": 3}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["draw_count"] == 3 and changed.json()["tag"] == "softmax"
    assert [s["id"] for s in _results(client.get(f"{API}?quiz={quiz.pk}"))] == [body["id"]]
    assert client.get(f"{API}pool-count/?quiz={quiz.pk}&tag=SoftMax").json() == {"available": 6}
    assert client.delete(f"{API}{body['id']}/").status_code == 204 and not RandomSlot.objects.exists()


@pytest.mark.parametrize("payload, field", [
    ({"draw_count": 0}, "draw_count"), ({"draw_count": -3}, "draw_count"), ({"draw_count": 10**30}, "draw_count"),
    ({"draw_count": 2.5}, "draw_count"), ({"draw_count": "two"}, "draw_count"), ({"draw_count": None}, "draw_count"),
    ({"draw_count": 7, "tag": "softmax"}, "draw_count"), ({"draw_count": 1, "lesson": 10**30}, "lesson"),
    ({"draw_count": 1, "tag": "x" * 51}, "tag"), ({"draw_count": 1, "category": ["a"]}, "category"),
])
def test_the_api_refuses_bad_slots_with_the_field_at_fault(cast, banked, payload, field):
    quiz, _ = banked
    response = client_for(cast.instructor).post(API, {"quiz": quiz.pk, **payload}, content_type="application/json")
    assert response.status_code == 400 and field in response.json()
    assert not RandomSlot.objects.exists()


def test_the_api_refuses_another_courses_lesson_quiz_and_tag(cast, banked):
    quiz, _ = banked
    foreign = LessonFactory(course=cast.other_course, slug="foreign")
    foreign_bank = make_bank(lesson=foreign, user=cast.other_instructor, count=3, tags=("foreign-tag",))
    client = client_for(cast.instructor)
    lesson = client.post(API, {"quiz": quiz.pk, "draw_count": 1, "lesson": foreign.pk}, content_type="application/json")
    assert lesson.status_code == 400 and lesson.json()["lesson"] == ["Choose a lesson of this course."]
    other_quiz = client.post(API, {"quiz": foreign_bank.pk, "draw_count": 1}, content_type="application/json")
    assert other_quiz.status_code == 404
    tag = client.post(API, {"quiz": quiz.pk, "draw_count": 1, "tag": "foreign-tag"}, content_type="application/json")
    assert tag.status_code == 400 and "Only 0 questions match" in json.dumps(tag.json())
    assert client.get(f"{API}pool-count/?quiz={foreign_bank.pk}").status_code == 404
    assert not RandomSlot.objects.exists()


def test_a_quiz_of_random_questions_only_can_be_published_and_shows_its_question_count(cast, make_quiz):
    make_bank(lesson=cast.lesson, user=cast.instructor, count=3)
    quiz = make_quiz(qtypes=(), is_published=False)
    random_slot_create(quiz=quiz, data=SlotInput(draw_count=2))
    client_for(cast.instructor).post(reverse("quiz_authoring:quiz_publish", args=[quiz.pk]), {"publish": "1"})
    quiz.refresh_from_db()
    assert quiz.is_published
    listed = client_for(cast.student).get(f"/api/quizzes/{quiz.pk}/").json()
    assert listed["question_count"] == 2
