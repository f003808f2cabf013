"""Learner groups for group overrides, managed by the course's instructors from a quiz's Overrides tab."""
from datetime import timedelta

import pytest

from quizzes.overrides.models import LearnerGroup, OverrideAuditEntry, QuizOverride
from quizzes.overrides.services import override_create
from quizzes.services.attempts import attempt_start
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def groups_url(quiz, tail="new/"):
    return f"/quizzes/manage/{quiz.pk}/overrides/groups/{tail}"


def test_an_instructor_makes_a_group_of_enrolled_learners_and_gives_it_extra_time(cast, make_quiz):
    quiz = make_quiz(time_limit_minutes=20)
    client = client_for(cast.instructor)
    form = client.get(groups_url(quiz)).content.decode()
    assert "student1" in form and "student3" in form and "student2" not in form
    reply = client.post(groups_url(quiz), {"name": "Extra time", "members": [cast.student.pk, cast.classmate.pk]})
    assert reply.status_code == 302
    group = LearnerGroup.objects.get()
    assert (group.course, set(group.members.all())) == (cast.course, {cast.student, cast.classmate})
    assert "Extra time" in client.get(f"/quizzes/manage/{quiz.pk}/overrides/").content.decode()
    client.post(f"/quizzes/manage/{quiz.pk}/overrides/", {"new-group": group.pk, "new-time_limit_minutes": "30"})
    attempt = attempt_start(quiz=quiz, user=cast.classmate)
    assert attempt.deadline - attempt.started_at > timedelta(minutes=29)


def test_leaving_a_group_during_an_attempt_moves_its_deadline_back(cast, make_quiz):
    quiz = make_quiz(time_limit_minutes=20)
    group = LearnerGroup.objects.create(course=cast.course, name="Extra time")
    group.members.add(cast.student)
    override_create(quiz=quiz, actor=cast.instructor, group=group, time_limit_minutes=40)
    attempt = attempt_start(quiz=quiz, user=cast.student)
    assert attempt.deadline - attempt.started_at > timedelta(minutes=39)
    client_for(cast.instructor).post(groups_url(quiz, f"{group.pk}/"), {"name": "Extra time", "members": []})
    attempt.refresh_from_db()
    assert attempt.deadline == attempt.started_at + timedelta(minutes=20)


def test_group_names_are_unique_per_course_and_members_must_be_enrolled(cast, make_quiz):
    quiz = make_quiz()
    LearnerGroup.objects.create(course=cast.course, name="A")
    client = client_for(cast.instructor)
    assert "already has a group" in client.post(groups_url(quiz), {"name": "A"}).content.decode()
    assert "Select a valid choice" in client.post(groups_url(quiz), {"name": "B", "members": [cast.other_student.pk]}).content.decode()
    assert "Give the group a name" in client.post(groups_url(quiz), {"name": "\x01\x02 "}).content.decode()
    assert "field__error" in client.post(groups_url(quiz), {"name": "A\x00"}).content.decode()
    assert LearnerGroup.objects.count() == 1


def test_deleting_a_group_deletes_its_overrides_with_audit_entries(cast, make_quiz):
    quiz = make_quiz()
    group = LearnerGroup.objects.create(course=cast.course, name="A")
    override_create(quiz=quiz, actor=cast.instructor, group=group, attempts_allowed=3)
    assert client_for(cast.instructor).post(groups_url(quiz, f"{group.pk}/delete/")).status_code == 302
    assert not LearnerGroup.objects.exists() and not QuizOverride.objects.exists()
    assert list(OverrideAuditEntry.objects.values_list("action", flat=True)) == ["deleted", "created"]


@pytest.mark.parametrize("who", ["student", "other_instructor"])
def test_others_cannot_see_or_change_a_courses_groups(cast, make_quiz, who):
    quiz = make_quiz()
    group = LearnerGroup.objects.create(course=cast.course, name="A")
    client = client_for(getattr(cast, who))
    assert client.get(groups_url(quiz, f"{group.pk}/")).status_code == 404
    assert client.post(groups_url(quiz), {"name": "Mine", "members": [cast.student.pk]}).status_code == 404
    assert client.post(groups_url(quiz, f"{group.pk}/delete/")).status_code == 404
    assert list(LearnerGroup.objects.values_list("name", flat=True)) == ["A"]


def test_another_courses_group_id_is_a_404_even_for_an_instructor_of_both(cast, make_quiz):
    quiz = make_quiz()
    foreign = LearnerGroup.objects.create(course=cast.other_course, name="Theirs")
    assert client_for(cast.admin).get(groups_url(quiz, f"{foreign.pk}/")).status_code == 404
    assert client_for(cast.admin).post(groups_url(quiz, f"{foreign.pk}/delete/")).status_code == 404
    assert LearnerGroup.objects.filter(pk=foreign.pk).exists()
