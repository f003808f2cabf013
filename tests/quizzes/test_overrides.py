"""Per-learner and per-group overrides: the rule (quizzes.overrides.effective) and every reader honouring it.

Each reader is tested through its public surface: attempt start, the deadline and auto-submit, the
quiz page, the quiz API's my_settings and my_grade, review "after close", the learner's progress page.
"""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from quizzes.grade_visibility import review_visibility
from quizzes.models import Attempt, AttemptState, Quiz
from quizzes.overrides.effective import quiz_settings_for, quiz_settings_for_users
from quizzes.overrides.models import LearnerGroup, OverrideAuditEntry, QuizOverride
from quizzes.overrides.services import override_create, override_delete, override_update
from quizzes.selectors import final_grade_for_user
from quizzes.services.attempts import attempt_start, attempt_submit, attempt_submit_if_overdue
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def group_of(cast, *members, name="Extra time"):
    group = LearnerGroup.objects.create(course=cast.course, name=name)
    group.members.add(*members)
    return group


# --- The rule -------------------------------------------------------------------------------------

def test_without_an_override_the_quiz_settings_apply(cast, make_quiz):
    quiz = make_quiz(time_limit_minutes=30, attempts_allowed=2)
    settings = quiz_settings_for(quiz=quiz, user=cast.student)
    assert (settings.time_limit_minutes, settings.attempts_allowed, settings.overridden_by) == (30, 2, None)


def test_a_learner_override_changes_only_that_learner_and_only_the_fields_it_sets(cast, make_quiz):
    quiz = make_quiz(time_limit_minutes=30, attempts_allowed=2)
    override_create(quiz=quiz, actor=cast.instructor, user=cast.student, time_limit_minutes=45)
    mine = quiz_settings_for(quiz=quiz, user=cast.student)
    assert (mine.time_limit_minutes, mine.attempts_allowed, mine.overridden_by) == (45, 2, "user")
    assert quiz_settings_for(quiz=quiz, user=cast.classmate).time_limit_minutes == 30


def test_the_user_override_beats_groups_and_groups_give_the_most_generous_value(cast, make_quiz):
    now = timezone.now()
    quiz = make_quiz(time_limit_minutes=30, attempts_allowed=1, closes_at=now + timedelta(days=1))
    first = group_of(cast, cast.student, cast.classmate, name="A")
    second = group_of(cast, cast.student, name="B")
    override_create(quiz=quiz, actor=cast.instructor, group=first, time_limit_minutes=40, attempts_allowed=3,
                    closes_at=now + timedelta(days=2))
    override_create(quiz=quiz, actor=cast.instructor, group=second, time_limit_minutes=60, attempts_allowed=2,
                    closes_at=now + timedelta(days=5))
    student = quiz_settings_for(quiz=quiz, user=cast.student)
    assert (student.time_limit_minutes, student.attempts_allowed, student.closes_at) == (60, 3, now + timedelta(days=5))
    assert student.overridden_by == "group"
    assert quiz_settings_for(quiz=quiz, user=cast.classmate).time_limit_minutes == 40
    override_create(quiz=quiz, actor=cast.instructor, user=cast.student, time_limit_minutes=35)
    student = quiz_settings_for(quiz=quiz, user=cast.student)
    # The learner's own field wins even where it is less generous; the fields it leaves empty fall to the groups.
    assert (student.time_limit_minutes, student.attempts_allowed, student.overridden_by) == (35, 3, "user")
    bulk = quiz_settings_for_users(quiz=quiz, user_ids=[cast.student.pk, cast.classmate.pk, cast.other_student.pk])
    assert bulk[cast.student.pk] == student and bulk[cast.classmate.pk].time_limit_minutes == 40
    assert cast.other_student.pk not in bulk


def test_zero_in_a_group_override_means_no_limit_and_beats_every_number(cast, make_quiz):
    quiz = make_quiz(time_limit_minutes=30, attempts_allowed=1)
    override_create(quiz=quiz, actor=cast.instructor, group=group_of(cast, cast.student, name="A"), time_limit_minutes=0, attempts_allowed=0)
    override_create(quiz=quiz, actor=cast.instructor, group=group_of(cast, cast.student, name="B"), time_limit_minutes=90, attempts_allowed=5)
    settings = quiz_settings_for(quiz=quiz, user=cast.student)
    assert (settings.time_limit_minutes, settings.attempts_allowed) == (None, 0)


# --- Every reader honours it ------------------------------------------------------------------------

def test_an_extra_attempt_allows_one_more_start(cast, make_quiz):
    quiz = make_quiz(attempts_allowed=1)
    attempt_submit(attempt=attempt_start(quiz=quiz, user=cast.student))
    with pytest.raises(ValidationError) as refused:
        attempt_start(quiz=quiz, user=cast.student)
    assert refused.value.code == "no_attempts_left"
    override_create(quiz=quiz, actor=cast.instructor, user=cast.student, attempts_allowed=2)
    assert final_grade_for_user(quiz=quiz, user=cast.student).attempts_left == 1
    second = attempt_start(quiz=quiz, user=cast.student)
    assert second.number == 2
    attempt_submit(attempt=second)
    with pytest.raises(ValidationError):
        attempt_start(quiz=quiz, user=cast.student)


def test_extra_time_moves_the_deadline_and_the_auto_submit(cast, make_quiz):
    quiz = make_quiz(time_limit_minutes=30)
    override_create(quiz=quiz, actor=cast.instructor, user=cast.student, time_limit_minutes=45)
    attempt = attempt_start(quiz=quiz, user=cast.student)
    assert abs((attempt.deadline - attempt.started_at) - timedelta(minutes=45)) < timedelta(seconds=1)
    classmate = attempt_start(quiz=quiz, user=cast.classmate)
    assert abs((classmate.deadline - classmate.started_at) - timedelta(minutes=30)) < timedelta(seconds=1)
    # 35 minutes in: the classmate's time is up, the student's is not.
    Attempt.objects.filter(pk__in=[attempt.pk, classmate.pk]).update(started_at=timezone.now() - timedelta(minutes=35))
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(minutes=10))
    Attempt.objects.filter(pk=classmate.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    assert attempt_submit_if_overdue(attempt=Attempt.objects.get(pk=attempt.pk)).state == AttemptState.IN_PROGRESS
    assert attempt_submit_if_overdue(attempt=Attempt.objects.get(pk=classmate.pk)).auto_submitted


def test_extra_time_given_during_an_attempt_moves_its_deadline_and_deleting_it_moves_it_back(cast, make_quiz):
    quiz = make_quiz(time_limit_minutes=30)
    attempt = attempt_start(quiz=quiz, user=cast.student)
    override = override_create(quiz=quiz, actor=cast.instructor, user=cast.student, time_limit_minutes=60)
    attempt.refresh_from_db()
    assert attempt.deadline == attempt.started_at + timedelta(minutes=60)
    override_delete(override=override, actor=cast.instructor)
    attempt.refresh_from_db()
    assert attempt.deadline == attempt.started_at + timedelta(minutes=30)


def test_a_later_close_lets_that_learner_start_and_save_after_the_quiz_closed_while_others_cannot(cast, make_quiz):
    now = timezone.now()
    quiz = make_quiz(opens_at=now - timedelta(days=2), closes_at=now - timedelta(hours=1))
    with pytest.raises(ValidationError) as refused:
        attempt_start(quiz=quiz, user=cast.student)
    assert refused.value.code == "closed"
    override_create(quiz=quiz, actor=cast.instructor, user=cast.student, closes_at=now + timedelta(days=1), reason="Was ill")
    attempt = attempt_start(quiz=quiz, user=cast.student)
    assert attempt.deadline == now + timedelta(days=1)  # capped by their own close, not the quiz's
    assert attempt_submit(attempt=attempt).state == AttemptState.SUBMITTED
    with pytest.raises(ValidationError):
        attempt_start(quiz=quiz, user=cast.classmate)


def test_an_override_opening_later_keeps_the_quiz_shut_for_that_learner(cast, make_quiz):
    quiz = make_quiz()
    override_create(quiz=quiz, actor=cast.instructor, user=cast.student, opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        attempt_start(quiz=quiz, user=cast.student)
    assert refused.value.code == "not_open_yet"


def test_review_after_close_waits_for_the_learners_own_close(cast, make_quiz):
    now = timezone.now()
    quiz = make_quiz(opens_at=now - timedelta(days=2), closes_at=now + timedelta(hours=1))
    only_after_close = {time: time == "after_close" for time in ("immediately", "later", "after_close")}
    Quiz.objects.filter(pk=quiz.pk).update(review_options={"correctness": only_after_close, "marks": only_after_close})
    quiz.refresh_from_db()
    attempts = {user: attempt_submit(attempt=attempt_start(quiz=quiz, user=user)) for user in (cast.student, cast.classmate)}
    override_create(quiz=quiz, actor=cast.instructor, user=cast.student, closes_at=now + timedelta(days=3))
    later = now + timedelta(hours=2)  # the quiz closed for the classmate, not for the student
    assert "correctness" in review_visibility(attempt=attempts[cast.classmate], user=cast.classmate, now=later)
    assert review_visibility(attempt=attempts[cast.student], user=cast.student, now=later) == set()


def test_the_quiz_page_and_the_api_show_the_learner_their_own_deadline_and_attempts(cast, make_quiz):
    closes = timezone.now() + timedelta(days=1)
    quiz = make_quiz(time_limit_minutes=30, attempts_allowed=1, closes_at=closes)
    override_create(quiz=quiz, actor=cast.instructor, user=cast.student, time_limit_minutes=45, attempts_allowed=3,
                    closes_at=closes + timedelta(days=2), reason="SECRET-REASON accommodation")
    page = client_for(cast.student).get(quiz.get_absolute_url()).content.decode()
    assert "45 minutes" in page and "3 allowed · 3 left" in page and "adjusted these settings for you" in page
    assert "SECRET-REASON" not in page
    other = client_for(cast.classmate).get(quiz.get_absolute_url()).content.decode()
    assert "30 minutes" in other and "adjusted" not in other
    body = client_for(cast.student).get(f"/api/quizzes/{quiz.pk}/").json()
    assert body["my_settings"]["time_limit_minutes"] == 45 and body["my_settings"]["overridden_by"] == "user"
    assert body["my_grade"]["attempts_left"] == 3
    assert body["time_limit_minutes"] == 30  # the quiz's own value stays what the quiz says
    assert "SECRET-REASON" not in str(body)


def test_my_learning_shows_the_extra_attempts(cast, make_quiz):
    quiz = make_quiz(attempts_allowed=1)
    attempt_submit(attempt=attempt_start(quiz=quiz, user=cast.student))
    override_create(quiz=quiz, actor=cast.instructor, user=cast.student, attempts_allowed=3)
    page = client_for(cast.student).get("/progress/").content.decode()
    assert "2 attempts left" in page


# --- Writes: rules, attackers, audit -----------------------------------------------------------------

@pytest.mark.parametrize("values, code", [
    ({}, "empty_override"),
    ({"time_limit_minutes": -1}, "out_of_range"),
    ({"time_limit_minutes": 10**9}, "out_of_range"),
    ({"attempts_allowed": 101}, "out_of_range"),
    ({"attempts_allowed": True}, "out_of_range"),
    ({"attempts_allowed": "3"}, "out_of_range"),
    ({"closes_at": "tomorrow"}, "invalid"),
    ({"reason": ["x"], "attempts_allowed": 2}, "invalid"),
    ({"reason": "x" * 1001, "attempts_allowed": 2}, "too_long"),
])
def test_bad_values_are_refused_with_a_code(cast, make_quiz, values, code):
    quiz = make_quiz()
    with pytest.raises(ValidationError) as refused:
        override_create(quiz=quiz, actor=cast.instructor, user=cast.student, **values)
    codes = [e.code for errors in refused.value.error_dict.values() for e in errors] if hasattr(refused.value, "error_dict") else [refused.value.code]
    assert code in codes
    assert not QuizOverride.objects.exists() and not OverrideAuditEntry.objects.exists()


def test_closing_before_opening_is_refused_against_the_quizs_own_dates_too(cast, make_quiz):
    now = timezone.now()
    quiz = make_quiz(opens_at=now + timedelta(days=2))
    with pytest.raises(ValidationError) as refused:
        override_create(quiz=quiz, actor=cast.instructor, user=cast.student, closes_at=now + timedelta(days=1))
    assert refused.value.error_dict["closes_at"][0].code == "closes_before_opens"
    with pytest.raises(ValidationError):
        override_create(quiz=quiz, actor=cast.instructor, user=cast.student, opens_at=now + timedelta(days=3), closes_at=now + timedelta(days=3))


def test_an_override_is_only_for_an_enrolled_learner_or_a_group_of_the_course(cast, make_quiz):
    quiz = make_quiz()
    with pytest.raises(ValidationError) as refused:
        override_create(quiz=quiz, actor=cast.instructor, user=cast.other_student, attempts_allowed=2)
    assert refused.value.error_dict["user"][0].code == "not_enrolled"
    foreign = LearnerGroup.objects.create(course=cast.other_course, name="Theirs")
    with pytest.raises(ValidationError):
        override_create(quiz=quiz, actor=cast.instructor, group=foreign, attempts_allowed=2)
    with pytest.raises(ValidationError) as both:
        override_create(quiz=quiz, actor=cast.instructor, user=cast.student, group=group_of(cast, cast.student), attempts_allowed=2)
    assert both.value.code == "user_xor_group"


def test_a_second_override_for_the_same_learner_is_refused(cast, make_quiz):
    quiz = make_quiz()
    override_create(quiz=quiz, actor=cast.instructor, user=cast.student, attempts_allowed=2)
    with pytest.raises(ValidationError) as refused:
        override_create(quiz=quiz, actor=cast.instructor, user=cast.student, attempts_allowed=3)
    assert refused.value.code == "duplicate"
    assert QuizOverride.objects.count() == 1 and OverrideAuditEntry.objects.count() == 1


def test_every_create_change_and_delete_is_in_the_audit_trail_with_before_and_after(cast, make_quiz):
    quiz = make_quiz(time_limit_minutes=30)
    override = override_create(quiz=quiz, actor=cast.instructor, user=cast.student, time_limit_minutes=45, reason="Dyslexia")
    override_update(override=override, actor=cast.admin, time_limit_minutes=60, reason="Dyslexia")
    override_update(override=override, actor=cast.admin, time_limit_minutes=60, reason="Dyslexia")  # no change, no entry
    override_delete(override=override, actor=cast.instructor)
    entries = list(OverrideAuditEntry.objects.order_by("id"))
    assert [(e.action, e.actor) for e in entries] == [("created", cast.instructor), ("changed", cast.admin), ("deleted", cast.instructor)]
    assert entries[0].before == {} and entries[0].after["time_limit_minutes"] == 45
    assert (entries[1].before["time_limit_minutes"], entries[1].after["time_limit_minutes"]) == (45, 60)
    assert entries[1].changes == [("time limit (min)", "45", "60")]
    assert entries[2].after == {} and entries[2].subject == "student1"
    assert not QuizOverride.objects.exists()
