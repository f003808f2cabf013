"""Attempt services: start, autosave, submit exactly once, deadlines and auto-submit, grading methods, essays."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from quizzes.domain.grading import right_item_id
from quizzes.models import Answer, Attempt, AttemptState
from quizzes.selectors import final_grade_for_user
from quizzes.services.attempts import (
    answer_save,
    attempt_start,
    attempt_submit,
    attempt_submit_if_overdue,
    attempts_submit_overdue,
    essay_grade,
)
from quizzes.services.questions import question_delete, question_update
from tests.conftest import QUESTION_SPECS

pytestmark = pytest.mark.django_db

ALL_TYPES = list(QUESTION_SPECS)
RIGHT = {
    "single_choice": {"choice": "b"},
    "multiple_response": {"choices": ["a", "b"]},
    "true_false": {"value": True},
    "short_answer": {"text": "  SecretSoftmax "},
    "numeric": {"value": "8"},
    "matching": {"pairs": {"a": right_item_id("n by d_k"), "b": right_item_id("n by n")}},
    "essay": {"text": "Because the dot products grow with d_k."},
}


def answer_all(attempt, responses_by_qtype):
    for question_id, version_id in attempt.layout:
        qtype = attempt.answers.get(question_id=question_id).version.qtype
        if qtype in responses_by_qtype:
            answer_save(attempt=attempt, question_id=question_id, response=responses_by_qtype[qtype])


def test_start_freezes_the_layout_and_a_second_start_returns_the_same_attempt(cast, make_quiz):
    quiz = make_quiz(qtypes=ALL_TYPES)
    first = attempt_start(quiz=quiz, user=cast.student)
    again = attempt_start(quiz=quiz, user=cast.student)
    assert again.pk == first.pk
    assert [q for q, _ in first.layout] == list(quiz.questions.order_by("position").values_list("id", flat=True))
    assert first.max_marks == 8.0  # six 1-mark questions and a 2-mark essay
    assert Attempt.objects.filter(quiz=quiz, user=cast.student).count() == 1


def test_editing_a_question_after_start_does_not_change_the_running_attempt(cast, make_quiz):
    quiz = make_quiz()
    attempt = attempt_start(quiz=quiz, user=cast.student)
    question = quiz.questions.get()
    changed = dict(QUESTION_SPECS["single_choice"], text="A new wording")
    new_version = question_update(question=question, spec=changed, user=cast.instructor)
    assert new_version.number == 2  # the first version is in use, so it is kept as it was
    attempt.refresh_from_db()
    assert attempt.layout[0][1] != new_version.id


def test_start_is_refused_to_the_unenrolled_outside_dates_and_past_the_attempt_limit(cast, make_quiz):
    quiz = make_quiz(attempts_allowed=1)
    with pytest.raises(ValidationError) as refused:
        attempt_start(quiz=quiz, user=cast.other_student)
    assert refused.value.code == "not_allowed"
    attempt_submit(attempt=attempt_start(quiz=quiz, user=cast.student))
    with pytest.raises(ValidationError) as refused:
        attempt_start(quiz=quiz, user=cast.student)
    assert refused.value.code == "no_attempts_left"
    later = make_quiz(opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError, match="opens on"):
        attempt_start(quiz=later, user=cast.student)
    closed = make_quiz(opens_at=timezone.now() - timedelta(days=2), closes_at=timezone.now() - timedelta(days=1))
    with pytest.raises(ValidationError, match="closed"):
        attempt_start(quiz=closed, user=cast.student)


def test_shuffled_questions_keep_their_order_within_one_attempt(cast, make_quiz):
    quiz = make_quiz(qtypes=ALL_TYPES, shuffle_questions=True)
    attempt = attempt_start(quiz=quiz, user=cast.student)
    assert sorted(q for q, _ in attempt.layout) == sorted(quiz.questions.values_list("id", flat=True))
    assert Attempt.objects.get(pk=attempt.pk).layout == attempt.layout


def test_right_answers_to_every_type_score_full_marks_and_the_essay_awaits_grading(cast, make_quiz):
    quiz = make_quiz(qtypes=ALL_TYPES)
    attempt = attempt_start(quiz=quiz, user=cast.student)
    answer_all(attempt, RIGHT)
    attempt = attempt_submit(attempt=attempt)
    assert attempt.state == AttemptState.SUBMITTED
    assert attempt.marks == pytest.approx(6.0)
    assert attempt.needs_grading
    states = dict(attempt.answers.values_list("version__spec__qtype", "state"))
    assert states.pop("essay") == "needs_grading"
    assert set(states.values()) == {"correct"}
    grade = final_grade_for_user(quiz=quiz, user=cast.student)
    assert grade.percent is None and grade.awaiting_grading  # no grade until the essay is graded

    essay = attempt.answers.get(version__spec__qtype="essay")
    essay_grade(answer=essay, fraction=0.5, comment="Half there.", grader=cast.instructor)
    attempt.refresh_from_db()
    assert not attempt.needs_grading
    assert attempt.marks == pytest.approx(7.0)
    grade = final_grade_for_user(quiz=quiz, user=cast.student)
    assert grade.percent == pytest.approx(87.5) and grade.passed


def test_partial_and_negative_credit(cast, make_quiz):
    quiz = make_quiz(qtypes=["multiple_response", "short_answer", "numeric", "matching"])
    attempt = attempt_start(quiz=quiz, user=cast.student)
    answer_all(attempt, {
        "multiple_response": {"choices": ["a", "c"]},  # 50 % - 100 % floors at 0
        "short_answer": {"text": "secretsoftie"},  # the wildcard answer: 50 %
        "numeric": {"value": "8.5"},  # in the 7..9 range: 50 %
        "matching": {"pairs": {"a": right_item_id("n by d_k"), "b": right_item_id("d by d")}},  # one of two
    })
    attempt = attempt_submit(attempt=attempt)
    fractions = dict(attempt.answers.values_list("version__spec__qtype", "fraction"))
    assert fractions == {"multiple_response": 0.0, "short_answer": 0.5, "numeric": 0.5, "matching": 0.5}
    assert attempt.marks == pytest.approx(1.5)


def test_autosave_keeps_the_last_answer_and_refuses_foreign_questions(cast, make_quiz):
    quiz = make_quiz(qtypes=["single_choice", "short_answer"])
    attempt = attempt_start(quiz=quiz, user=cast.student)
    question_id = attempt.layout[0][0]
    answer_save(attempt=attempt, question_id=question_id, response={"choice": "a"})
    answer_save(attempt=attempt, question_id=question_id, response={"choice": "b"})
    assert Answer.objects.get(attempt=attempt, question_id=question_id).response == {"choice": "b"}
    with pytest.raises(ValidationError) as refused:
        answer_save(attempt=attempt, question_id=999_999, response={"choice": "a"})
    assert refused.value.code == "unknown_question"
    with pytest.raises(ValidationError) as refused:
        answer_save(attempt=attempt, question_id=question_id, response={"choice": ["a", "b"]})
    assert refused.value.code == "bad_response"


def test_submitting_twice_grades_once(cast, make_quiz):
    quiz = make_quiz(qtypes=["single_choice"])
    attempt = attempt_start(quiz=quiz, user=cast.student)
    answer_all(attempt, RIGHT)
    first = attempt_submit(attempt=attempt)
    Answer.objects.filter(attempt=attempt).update(marks=123)  # a second grading would overwrite this
    second = attempt_submit(attempt=attempt)
    assert second.submitted_at == first.submitted_at
    assert Answer.objects.get(attempt=attempt).marks == 123
    with pytest.raises(ValidationError) as refused:
        answer_save(attempt=attempt, question_id=attempt.layout[0][0], response={"choice": "a"})
    assert refused.value.code == "submitted"


def test_time_limit_sets_a_deadline_capped_by_the_closing_time(cast, make_quiz):
    closes = timezone.now() + timedelta(minutes=5)
    quiz = make_quiz(time_limit_minutes=30, closes_at=closes)
    attempt = attempt_start(quiz=quiz, user=cast.student)
    assert attempt.deadline == closes
    unlimited = attempt_start(quiz=make_quiz(), user=cast.student)
    assert unlimited.deadline is None


def test_a_save_after_the_deadline_is_refused_and_the_attempt_is_submitted_with_what_was_saved(cast, make_quiz):
    quiz = make_quiz(qtypes=["single_choice", "short_answer"], time_limit_minutes=10)
    attempt = attempt_start(quiz=quiz, user=cast.student)
    first, second = (q for q, _ in attempt.layout)
    answer_save(attempt=attempt, question_id=first, response={"choice": "b"})
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    attempt.refresh_from_db()
    with pytest.raises(ValidationError, match="Time is up") as refused:
        answer_save(attempt=attempt, question_id=second, response={"text": "secretsoftmax"})
    assert refused.value.code == "deadline_passed"
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED and attempt.auto_submitted
    assert attempt.marks == 1.0  # the answer saved in time counts, the late one does not
    assert Answer.objects.get(attempt=attempt, question_id=second).response == {}


def test_overdue_attempts_are_submitted_lazily_and_by_the_sweep(cast, make_quiz):
    quiz = make_quiz(time_limit_minutes=1)
    lazy = attempt_start(quiz=quiz, user=cast.student)
    swept = attempt_start(quiz=quiz, user=cast.classmate)
    on_time = attempt_start(quiz=make_quiz(time_limit_minutes=60), user=cast.student)
    Attempt.objects.filter(pk__in=[lazy.pk, swept.pk]).update(deadline=timezone.now() - timedelta(seconds=30))
    lazy.refresh_from_db()
    assert attempt_submit_if_overdue(attempt=lazy).state == AttemptState.SUBMITTED
    call_command("submit_overdue_attempts", stdout=open("/dev/null", "w"))
    swept.refresh_from_db()
    on_time.refresh_from_db()
    assert swept.state == AttemptState.SUBMITTED and swept.auto_submitted
    assert on_time.state == AttemptState.IN_PROGRESS
    assert attempts_submit_overdue() == 0


@pytest.mark.parametrize(
    ("method", "expected"), [("highest", 100.0), ("average", 50.0), ("first", 0.0), ("last", 50.0)]
)
def test_grading_methods(cast, make_quiz, method, expected):
    quiz = make_quiz(qtypes=["single_choice", "true_false"], grading_method=method, attempts_allowed=3)
    for responses in ({}, RIGHT, {"single_choice": {"choice": "b"}}):  # 0 %, 100 %, 50 %
        attempt = attempt_start(quiz=quiz, user=cast.student)
        answer_all(attempt, responses)
        attempt_submit(attempt=attempt)
    grade = final_grade_for_user(quiz=quiz, user=cast.student)
    assert grade.percent == pytest.approx(expected)
    assert grade.passed == (expected >= 60)
    assert (grade.attempts_used, grade.attempts_left, grade.method) == (3, 0, method)


def test_unlimited_attempts_and_no_grade_before_any_submission(cast, make_quiz):
    quiz = make_quiz()
    grade = final_grade_for_user(quiz=quiz, user=cast.student)
    assert (grade.percent, grade.passed, grade.attempts_used, grade.attempts_left) == (None, None, 0, None)


def test_deleted_questions_stay_in_old_attempts_and_leave_new_ones(cast, make_quiz):
    quiz = make_quiz(qtypes=["single_choice", "true_false"])
    old = attempt_start(quiz=quiz, user=cast.student)
    attempt_submit(attempt=old)
    question = quiz.questions.order_by("position").first()
    question_delete(question=question)
    question.refresh_from_db()
    assert question.is_deleted  # answered, so kept for the old attempt
    new = attempt_start(quiz=quiz, user=cast.student)
    assert [q for q, _ in new.layout] == [quiz.questions.order_by("position").last().id]
    assert len(Attempt.objects.get(pk=old.pk).layout) == 2


def test_an_instructor_cannot_grade_an_essay_out_of_range(cast, make_quiz):
    quiz = make_quiz(qtypes=["essay"])
    attempt = attempt_start(quiz=quiz, user=cast.student)
    answer_all(attempt, RIGHT)
    attempt_submit(attempt=attempt)
    with pytest.raises(ValidationError):
        essay_grade(answer=attempt.answers.get(), fraction=1.5, comment="", grader=cast.instructor)
