"""The courses API: scoped querysets, per-object permissions, and the OpenAPI schema and docs."""
import pytest
from rest_framework.test import APIClient

from courses.models import Enrollment, LessonProgress

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_anyone_lists_published_courses(cast):
    cast.other_course.is_published = False
    cast.other_course.save()
    slugs = [c["slug"] for c in api_for(None).get("/api/courses/").json()["results"]]
    assert slugs == ["attention-101"]
    # the other course's instructor still sees their unpublished course
    slugs = {c["slug"] for c in api_for(cast.other_instructor).get("/api/courses/").json()["results"]}
    assert slugs == {"attention-101", "other-course"}


@pytest.mark.parametrize(
    "who, status",
    [("anonymous", 403), ("other_student", 403), ("student", 200), ("instructor", 200), ("other_instructor", 403), ("admin", 200)],
)
def test_lesson_bodies_only_for_enrolled_learners_and_authors(cast, who, status):
    user = None if who == "anonymous" else getattr(cast, who)
    response = api_for(user).get(f"/api/lessons/{cast.lesson.pk}/")
    assert response.status_code == status
    if status == 200:
        assert "<h2" in response.json()["body_html"]


@pytest.mark.parametrize("who, visible", [("student", False), ("other_instructor", False), ("instructor", True), ("admin", True)])
def test_drafts_are_invisible_through_the_api(cast, who, visible):
    client = api_for(getattr(cast, who))
    slugs = [lesson["slug"] for lesson in client.get("/api/lessons/?course=attention-101").json()["results"]]
    assert ("draft" in slugs) is visible
    assert (client.get(f"/api/lessons/{cast.draft.pk}/").status_code == 200) is visible


def test_enrollments_are_private_and_idempotent(cast):
    client = api_for(cast.other_student)
    assert client.post("/api/enrollments/", {"course": "attention-101"}, format="json").status_code == 201
    assert client.post("/api/enrollments/", {"course": "attention-101"}, format="json").status_code == 201
    assert Enrollment.objects.filter(user=cast.other_student).count() == 1
    mine = client.get("/api/enrollments/").json()["results"]
    assert [e["course"] for e in mine] == ["attention-101"]
    students_enrollment = Enrollment.objects.get(user=cast.student)
    assert client.get(f"/api/enrollments/{students_enrollment.pk}/").status_code == 404  # IDOR refused
    assert client.delete(f"/api/enrollments/{students_enrollment.pk}/").status_code == 404
    assert Enrollment.objects.filter(pk=students_enrollment.pk).exists()
    assert api_for(None).get("/api/enrollments/").status_code == 403


def test_completion_and_progress(cast):
    client = api_for(cast.student)
    response = client.post(f"/api/lessons/{cast.lesson.pk}/completion/", {"completed": True}, format="json")
    assert response.status_code == 200 and response.json()["completed"] is True
    progress = client.get("/api/courses/attention-101/progress/").json()
    assert progress == {"course": "attention-101", "lessons_total": 1, "lessons_completed": 1, "percent": 100, "next_lesson": None}
    record = LessonProgress.objects.get(user=cast.student)
    assert api_for(cast.other_student).get(f"/api/progress/{record.pk}/").status_code == 404
    assert api_for(cast.other_student).post(f"/api/lessons/{cast.lesson.pk}/completion/", {}, format="json").status_code == 403


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "openapi: 3" in text and "/api/lessons/{id}/completion/" in text
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower() and "unpkg" not in docs.lower()
