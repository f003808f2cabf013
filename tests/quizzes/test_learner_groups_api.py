"""Learner groups through the API (the subjects of group overrides) and the audit of membership changes,
tried as their instructor, as everyone who must not see or change them, and with bad input."""
import json
from datetime import timedelta

import pytest

from quizzes.overrides.group_services import MAX_MEMBERS, group_save
from quizzes.overrides.models import LearnerGroup, OverrideAuditEntry, QuizOverride
from quizzes.overrides.services import override_create
from quizzes.services.attempts import attempt_start
from tests.concurrency import run_together
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
API = "/api/learner-groups/"


def post(client, url, data, method="post"):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_an_instructor_creates_renames_and_deletes_a_group_through_the_api(cast):
    client = client_for(cast.instructor)
    reply = post(client, API, {"course": cast.course.slug, "name": "Extra time", "members": [cast.student.pk, cast.classmate.pk]})
    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert (body["course"], body["name"], sorted(body["members"])) == (cast.course.slug, "Extra time", sorted([cast.student.pk, cast.classmate.pk]))
    assert [g["name"] for g in client.get(API, {"course": cast.course.slug}).json()["results"]] == ["Extra time"]
    assert client.get(API, {"course": cast.other_course.slug}).json()["results"] == []

    renamed = post(client, f"{API}{body['id']}/", {"name": "Accommodations"}, method="patch")
    assert renamed.status_code == 200 and renamed.json()["name"] == "Accommodations"
    assert sorted(renamed.json()["members"]) == sorted([cast.student.pk, cast.classmate.pk])  # a rename keeps the members
    assert client.delete(f"{API}{body['id']}/").status_code == 204
    assert not LearnerGroup.objects.exists()


def test_the_api_is_in_the_openapi_schema(cast):
    schema = client_for(cast.instructor).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert {"/api/learner-groups/", "/api/learner-groups/{id}/"} <= set(schema["paths"])
    assert "post" in schema["paths"]["/api/learner-groups/"] and "patch" in schema["paths"]["/api/learner-groups/{id}/"]


def test_nobody_else_sees_or_changes_a_group(cast):
    group = group_save(course_id=cast.course.pk, actor=cast.instructor, name="Extra time", member_ids=[cast.student.pk])
    for user in (cast.student, cast.other_instructor, cast.other_student):
        client = client_for(user)
        assert client.get(API).json()["results"] == [], user
        assert client.get(f"{API}{group.pk}/").status_code == 404
        assert post(client, f"{API}{group.pk}/", {"name": "Mine", "members": []}, method="put").status_code == 404
        assert client.delete(f"{API}{group.pk}/").status_code == 404
        assert post(client, API, {"course": cast.course.slug, "name": "Sneaky", "members": []}).status_code == 404
    assert client_for(None).get(API).status_code in (401, 403)
    assert list(LearnerGroup.objects.values_list("name", flat=True)) == ["Extra time"]
    assert list(group.members.all()) == [cast.student]
    assert client_for(cast.admin).get(f"{API}{group.pk}/").status_code == 200  # staff see every course's


def test_only_enrolled_learners_can_be_members(cast):
    client = client_for(cast.instructor)
    for stranger in (cast.other_student.pk, cast.other_instructor.pk, 2**62):
        reply = post(client, API, {"course": cast.course.slug, "name": "G", "members": [cast.student.pk, stranger]})
        assert reply.status_code == 400 and reply.json()["code"] == "not_enrolled", reply.content
    assert not LearnerGroup.objects.exists()


@pytest.mark.parametrize("change", [
    {"name": {"x": 1}}, {"name": ["a"]}, {"name": None}, {"name": ""}, {"name": "\u0000\u0007 "}, {"name": "x" * 101},
    {"members": "1,2"}, {"members": [[1]]}, {"members": [True]}, {"members": [1.5]}, {"members": [-1]}, {"members": [2**63]},
    {"members": [{"id": 1}]}, {"members": None}, {"course": ["attention-101"]}, {"course": "../other-course"},
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_stored(cast, change):
    data = {"course": cast.course.slug, "name": "Extra time", "members": [], **change}
    reply = post(client_for(cast.instructor), API, data)
    assert reply.status_code in (400, 404), reply.content
    assert reply["Content-Type"].startswith("application/json")
    assert not LearnerGroup.objects.exists()


def test_too_many_members_are_refused_before_any_query_grows_with_them(cast):
    reply = post(client_for(cast.instructor), API, {"course": cast.course.slug, "name": "All", "members": list(range(1, MAX_MEMBERS + 2))})
    assert reply.status_code == 400 and "members" in reply.json()


def test_control_characters_are_removed_from_the_name_and_nul_is_refused(cast):
    client = client_for(cast.instructor)
    refused = post(client, API, {"course": cast.course.slug, "name": "Extra\u0000 time", "members": []})
    assert refused.status_code == 400 and "NUL" in refused.json()["detail"]  # the one JSON reader refuses it
    reply = post(client, API, {"course": cast.course.slug, "name": "Extra\u0007 time\u001b", "members": []})
    assert reply.status_code == 201 and reply.json()["name"] == "Extra time"


def test_a_name_the_course_already_uses_is_a_409_even_when_two_creates_race(cast):
    client = client_for(cast.instructor)
    data = {"course": cast.course.slug, "name": "Extra time", "members": []}
    assert post(client, API, data).status_code == 201
    again = post(client, API, data)
    assert again.status_code == 409 and again.json()["code"] == "duplicate"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_creates_of_one_name_leave_one_group(cast):
    def create():
        return group_save(course_id=cast.course.pk, actor=cast.instructor, name="Same", member_ids=[])

    results = run_together([create, create])
    assert sum(isinstance(result, LearnerGroup) for result in results) == 1, results
    assert LearnerGroup.objects.count() == 1


def test_a_membership_change_is_audited_on_each_quiz_with_a_group_override_and_moves_deadlines(cast, make_quiz):
    quiz, other_quiz = make_quiz(time_limit_minutes=20), make_quiz(time_limit_minutes=20)
    make_quiz(time_limit_minutes=20)  # no override: its audit trail stays empty
    client = client_for(cast.instructor)
    group = post(client, API, {"course": cast.course.slug, "name": "Extra time", "members": [cast.student.pk]}).json()
    for each in (quiz, other_quiz):
        override_create(quiz=each, actor=cast.instructor, group=LearnerGroup.objects.get(), time_limit_minutes=40)
    attempt = attempt_start(quiz=quiz, user=cast.classmate)
    assert attempt.deadline - attempt.started_at < timedelta(minutes=21)

    reply = post(client, f"{API}{group['id']}/", {"members": [cast.classmate.pk]}, method="patch")
    assert reply.status_code == 200
    entries = OverrideAuditEntry.objects.filter(action="members")
    assert sorted(entries.values_list("quiz_id", flat=True)) == sorted([quiz.pk, other_quiz.pk])  # not plain_quiz
    entry = entries.get(quiz=quiz)
    assert (entry.actor, entry.members_joined, entry.members_left) == (cast.instructor, ["student3"], ["student1"])
    attempt.refresh_from_db()
    assert attempt.deadline - attempt.started_at > timedelta(minutes=39)  # joined during the attempt: the extra time counts

    page = client.get(f"/quizzes/manage/{quiz.pk}/overrides/").content.decode()
    assert "changed the members of group Extra time:" in page and "joined student3; left student1" in page
    audit = client.get("/api/quiz-override-audit/", {"quiz": quiz.pk}).json()["results"]
    assert audit[0]["action"] == "members" and audit[0]["after"] == {"members": ["student3"]}

    # Saving the same members again, or only renaming, writes no membership entry.
    post(client, f"{API}{group['id']}/", {"name": "Accommodations", "members": [cast.classmate.pk]}, method="put")
    assert OverrideAuditEntry.objects.filter(action="members").count() == 2


def test_deleting_a_group_through_the_api_deletes_its_overrides_with_an_audit_entry(cast, make_quiz):
    quiz = make_quiz()
    group = group_save(course_id=cast.course.pk, actor=cast.instructor, name="Extra time", member_ids=[cast.student.pk])
    override_create(quiz=quiz, actor=cast.instructor, group=group, attempts_allowed=3)
    assert client_for(cast.instructor).delete(f"{API}{group.pk}/").status_code == 204
    assert not QuizOverride.objects.exists()
    assert OverrideAuditEntry.objects.filter(action="deleted", quiz=quiz).count() == 1


def test_the_group_page_audits_membership_changes_too(cast, make_quiz):
    quiz = make_quiz()
    group = group_save(course_id=cast.course.pk, actor=cast.instructor, name="Extra time", member_ids=[cast.student.pk])
    override_create(quiz=quiz, actor=cast.instructor, group=group, attempts_allowed=3)
    client = client_for(cast.instructor)
    reply = client.post(f"/quizzes/manage/{quiz.pk}/overrides/groups/{group.pk}/", {"name": "Extra time", "members": [cast.student.pk, cast.classmate.pk]})
    assert reply.status_code == 302
    assert OverrideAuditEntry.objects.get(action="members").members_joined == ["student3"]
    duplicate = client.post(f"/quizzes/manage/{quiz.pk}/overrides/groups/new/", {"name": "Extra time", "members": []})
    assert duplicate.status_code == 200 and "already has a group with that name" in duplicate.content.decode()
