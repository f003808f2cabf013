"""Overrides through HTTP: the instructor's page (htmx and plain), the API in the OpenAPI schema, and
everyone who must not see or change them (anonymous, students, another course's instructor)."""
from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.overrides.models import LearnerGroup, OverrideAuditEntry, QuizOverride
from quizzes.overrides.services import override_create
from tests.concurrency import run_together
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
API = "/api/quiz-overrides/"


def page_url(quiz):
    return f"/quizzes/manage/{quiz.pk}/overrides/"


def test_the_instructor_adds_edits_and_deletes_an_override_on_the_page(cast, make_quiz):
    quiz = make_quiz(time_limit_minutes=30)
    client = client_for(cast.instructor)
    page = client.get(page_url(quiz)).content.decode()
    assert "student1" in page and "student3" in page and "student2" not in page  # enrolled learners only
    reply = client.post(page_url(quiz), {"new-user": cast.student.pk, "new-time_limit_minutes": "45", "new-reason": "Dyslexia"})
    assert reply.status_code == 302
    override = QuizOverride.objects.get()
    assert (override.user, override.time_limit_minutes, override.created_by) == (cast.student, 45, cast.instructor)
    page = client.get(page_url(quiz)).content.decode()
    assert "45 min" in page and "Dyslexia" in page and "created the override for student1" in page
    client.post(f"{page_url(quiz)}{override.pk}/", {"time_limit_minutes": "60", "reason": "Dyslexia"})
    assert QuizOverride.objects.get().time_limit_minutes == 60
    page = client.get(page_url(quiz)).content.decode()
    assert "time limit (min) 45 → 60" in page
    reply = client.post(f"{page_url(quiz)}{override.pk}/delete/", HTTP_HX_REQUEST="true")
    assert reply.status_code == 200 and 'id="overrides-region"' in reply.content.decode() and "<html" not in reply.content.decode()
    assert not QuizOverride.objects.exists()
    assert list(OverrideAuditEntry.objects.order_by("id").values_list("action", flat=True)) == ["created", "changed", "deleted"]


def test_the_page_form_shows_why_it_refused(cast, make_quiz):
    quiz = make_quiz(opens_at=timezone.now() + timedelta(days=2))
    client = client_for(cast.instructor)
    nothing = client.post(page_url(quiz), {"new-user": cast.student.pk}, HTTP_HX_REQUEST="true")
    assert nothing.status_code == 400 and "changes nothing" in nothing.content.decode()
    dates = client.post(page_url(quiz), {"new-user": cast.student.pk, "new-closes_at": "2000-01-01T10:00"})
    assert "close before it opens" in dates.content.decode()
    stranger = client.post(page_url(quiz), {"new-user": cast.other_student.pk, "new-attempts_allowed": "2"})
    assert "Select a valid choice" in stranger.content.decode()
    huge = client.post(page_url(quiz), {"new-user": cast.student.pk, "new-attempts_allowed": "99999999999999999999"})
    assert huge.status_code == 200 and not QuizOverride.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "student", "other_instructor"])
def test_only_the_courses_instructors_and_staff_reach_the_page(cast, make_quiz, who):
    quiz = make_quiz()
    override = override_create(quiz=quiz, actor=cast.instructor, user=cast.student, attempts_allowed=2, reason="SECRET")
    user = None if who == "anonymous" else getattr(cast, who)
    client = client_for(user)
    assert client.get(page_url(quiz)).status_code in (302, 404)
    assert client.post(page_url(quiz), {"new-user": cast.student.pk, "new-attempts_allowed": "9"}).status_code in (302, 404)
    assert client.post(f"{page_url(quiz)}{override.pk}/delete/").status_code in (302, 404)
    assert client.post(f"{page_url(quiz)}{override.pk}/", {"attempts_allowed": "9"}).status_code in (302, 404)
    assert QuizOverride.objects.get().attempts_allowed == 2
    assert client_for(cast.admin).get(page_url(quiz)).status_code == 200


def test_another_quizs_override_id_is_a_404_on_the_page(cast, make_quiz):
    quiz, other = make_quiz(), make_quiz()
    override = override_create(quiz=other, actor=cast.instructor, user=cast.student, attempts_allowed=2)
    client = client_for(cast.instructor)
    assert client.post(f"{page_url(quiz)}{override.pk}/delete/").status_code == 404
    assert QuizOverride.objects.filter(pk=override.pk).exists()


def test_the_api_creates_lists_changes_and_deletes_with_an_audit_trail(cast, make_quiz):
    quiz = make_quiz(time_limit_minutes=30)
    client = client_for(cast.instructor)
    created = client.post(API, {"quiz": quiz.pk, "user": cast.student.pk, "time_limit_minutes": 45, "reason": "ADHD"},
                          content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["time_limit_minutes"], body["subject"], body["created_by"]) == (45, "student1", "teacher1")
    assert [o["id"] for o in client.get(f"{API}?quiz={quiz.pk}").json()["results"]] == [body["id"]]
    changed = client.patch(f"{API}{body['id']}/", {"attempts_allowed": 4}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["time_limit_minutes"] == 45 and changed.json()["attempts_allowed"] == 4
    assert client.delete(f"{API}{body['id']}/").status_code == 204
    audit = client.get(f"/api/quiz-override-audit/?quiz={quiz.pk}").json()["results"]
    assert [entry["action"] for entry in audit] == ["deleted", "changed", "created"]


@pytest.mark.parametrize("payload, field", [
    ({"time_limit_minutes": -5}, "time_limit_minutes"),
    ({"time_limit_minutes": 10**12}, "time_limit_minutes"),
    ({"attempts_allowed": "many"}, "attempts_allowed"),
    ({"attempts_allowed": True}, "attempts_allowed"),
    ({"closes_at": "not a date"}, "closes_at"),
    ({"reason": "x" * 5000, "attempts_allowed": 2}, "reason"),
    ({"user": "1 OR 1=1", "attempts_allowed": 2}, "user"),
    ({"user": 10**30, "attempts_allowed": 2}, "user"),
    ({"attempts_allowed": 2, "closes_at": "2000-01-01T00:00:00Z", "opens_at": "2001-01-01T00:00:00Z"}, None),
])
def test_the_api_refuses_wrong_types_and_ranges(cast, make_quiz, payload, field):
    quiz = make_quiz()
    data = {"quiz": quiz.pk, "user": cast.student.pk, **payload}
    reply = client_for(cast.instructor).post(API, data, content_type="application/json")
    assert reply.status_code == 400, reply.content
    if field:
        assert field in reply.json()
    assert not QuizOverride.objects.exists()


def test_the_api_refuses_learners_and_groups_outside_the_course_alike(cast, make_quiz):
    quiz = make_quiz()
    client = client_for(cast.instructor)
    for user_id in (cast.other_student.pk, cast.other_instructor.pk, 987654):
        reply = client.post(API, {"quiz": quiz.pk, "user": user_id, "attempts_allowed": 2}, content_type="application/json")
        assert reply.status_code == 400 and reply.json()["code"] == "not_enrolled"
    foreign = LearnerGroup.objects.create(course=cast.other_course, name="Theirs")
    reply = client.post(API, {"quiz": quiz.pk, "group": foreign.pk, "attempts_allowed": 2}, content_type="application/json")
    assert reply.status_code == 400 and reply.json()["code"] == "other_course"
    both = client.post(API, {"quiz": quiz.pk, "attempts_allowed": 2}, content_type="application/json")
    assert both.status_code == 400 and both.json()["code"] == "user_xor_group"


@pytest.mark.parametrize("who", ["student", "classmate", "other_instructor"])
def test_learners_and_other_instructors_neither_see_nor_change_overrides(cast, make_quiz, who):
    quiz = make_quiz()
    override = override_create(quiz=quiz, actor=cast.instructor, user=cast.student, attempts_allowed=2, reason="SECRET-REASON")
    client = client_for(getattr(cast, who))
    assert client.get(API).json()["results"] == []
    assert client.get(f"{API}{override.pk}/").status_code == 404
    assert client.patch(f"{API}{override.pk}/", {"attempts_allowed": 50}, content_type="application/json").status_code == 404
    assert client.delete(f"{API}{override.pk}/").status_code == 404
    assert client.get("/api/quiz-override-audit/").json()["results"] == []
    created = client.post(API, {"quiz": quiz.pk, "user": getattr(cast, who).pk, "attempts_allowed": 50}, content_type="application/json")
    assert created.status_code == 404
    assert QuizOverride.objects.get().attempts_allowed == 2 and QuizOverride.objects.count() == 1
    assert client_for(None).get(API).status_code in (401, 403)


def test_staff_manage_any_courses_overrides(cast, make_quiz):
    quiz = make_quiz()
    reply = client_for(cast.admin).post(API, {"quiz": quiz.pk, "user": cast.student.pk, "attempts_allowed": 3}, content_type="application/json")
    assert reply.status_code == 201


def test_a_duplicate_through_the_api_is_a_409(cast, make_quiz):
    quiz = make_quiz()
    client = client_for(cast.instructor)
    data = {"quiz": quiz.pk, "user": cast.student.pk, "attempts_allowed": 3}
    assert client.post(API, data, content_type="application/json").status_code == 201
    again = client.post(API, data, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "duplicate"


def test_the_schema_lists_the_override_endpoints(cast):
    schema = client_for(cast.admin).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert {"/api/quiz-overrides/", "/api/quiz-overrides/{id}/", "/api/quiz-override-audit/"} <= set(schema["paths"])
    assert "my_settings" in schema["components"]["schemas"]["Quiz"]["properties"]


def test_the_gradebook_marks_learners_with_an_override(cast, make_quiz):
    quiz = make_quiz()
    override_create(quiz=quiz, actor=cast.instructor, user=cast.student, attempts_allowed=3)
    page = client_for(cast.instructor).get(f"/progress/teaching/{cast.course.slug}/gradebook/").content.decode()
    row_student = page[page.index(">student1<"):page.index(">student1<") + 400]
    row_classmate = page[page.index(">student3<"):page.index(">student3<") + 400]
    assert "override</span>" in row_student and "override</span>" not in row_classmate


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_creates_leave_one_override_and_one_audit_entry(cast, make_quiz):
    quiz = make_quiz()

    def create():
        return override_create(quiz=quiz, actor=cast.instructor, user=cast.student, attempts_allowed=3)

    results = run_together([create, create])
    assert sum(isinstance(result, QuizOverride) for result in results) == 1, results
    assert QuizOverride.objects.count() == 1 and OverrideAuditEntry.objects.count() == 1
