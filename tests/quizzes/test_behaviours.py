"""Quiz behaviours through the services: checks, tries, hints, penalties, submission and regrade."""
import pytest
from django.core.exceptions import ValidationError

from quizzes.behaviours import all_behaviours, behaviour_for
from quizzes.domain import spec_from_json
from quizzes.models import Answer, Attempt
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
from quizzes.services.checks import answer_check
from quizzes.services.questions import question_update
from quizzes.services.regrade import quiz_regrade
from tests.conftest import QUESTION_SPECS
from tests.quizzes.behaviour_setup import HINTS, OTHER_WRONG, RIGHT, WRONG, hinted_quiz

pytestmark = pytest.mark.django_db

SPEC = spec_from_json(dict(QUESTION_SPECS["single_choice"], hints=HINTS, penalty=0.25))


def _answer(attempt):
    return Answer.objects.get(attempt=attempt, question_id=attempt.layout[-1][0])


def _check(attempt, response):
    return answer_check(attempt=attempt, question_id=attempt.layout[-1][0], response=response)


# --- the rules, without a database -----------------------------------------------------------------

@pytest.mark.parametrize("fractions, final, expected", [
    ([1.0], None, (0, 1.0)),  # right first time: full marks
    ([0.0, 1.0], None, (1, 0.75)),  # one wrong try costs the penalty
    ([0.0, 0.0, 1.0], None, (2, 0.5)),
    ([0.0, 0.0, 0.0], None, (2, 0.0)),  # the last try finishes the question, wrong or not
    ([0.5, 0.0, 0.5], None, (2, 0.0)),  # partly right is a wrong try while tries remain; clamped at 0
    ([0.0], 1.0, (None, 0.75)),  # still open at submission: graded less the wrong tries so far
    ([], 1.0, (None, 1.0)),
    ([0.0], None, (None, None)),  # nothing to grade at submission
])
def test_interactive_counts_tries_as_moodle_does(fractions, final, expected):
    outcome = behaviour_for("interactive").outcome(SPEC, fractions, final)
    assert (outcome.finished_at, outcome.fraction) == expected


def test_immediate_counts_its_one_check_without_penalty_and_deferred_counts_none():
    assert behaviour_for("immediate").outcome(SPEC, [0.5], 1.0).fraction == 0.5
    assert behaviour_for("immediate").outcome(SPEC, [], 1.0).finished_at is None
    assert behaviour_for("deferred").outcome(SPEC, [0.0, 1.0], 0.0).fraction == 0.0


def test_hints_are_earned_one_wrong_try_at_a_time():
    interactive = behaviour_for("interactive")
    assert [interactive.hint_after(SPEC, n) for n in range(4)] == ["", HINTS[0], HINTS[1], ""]
    assert all(b.hint_after(SPEC, 1) == "" for b in all_behaviours() if b.name != "interactive")


def test_every_behaviour_is_a_quiz_choice_and_unknown_names_are_refused():
    from quizzes.models import Behaviour
    assert {b.name for b in all_behaviours()} == set(Behaviour.values)
    with pytest.raises(KeyError):
        behaviour_for("adaptive")


# --- checks through the service --------------------------------------------------------------------

def test_interactive_wrong_then_right_earns_the_mark_less_one_penalty(cast, make_quiz):
    attempt = attempt_start(quiz=hinted_quiz(make_quiz, cast, behaviour="interactive"), user=cast.student)
    first = _check(attempt, WRONG)
    assert (first.finished, len(first.tries), first.marks, first.state) == (False, 1, None, "")
    second = _check(attempt, RIGHT)
    assert second.finished and second.state == "correct" and second.marks == pytest.approx(0.75)
    with pytest.raises(ValidationError) as refused:
        _check(attempt, RIGHT)
    assert refused.value.code == "finished"
    with pytest.raises(ValidationError) as refused:
        answer_save(attempt=attempt, question_id=attempt.layout[-1][0], response=WRONG)
    assert refused.value.code == "finished"
    submitted = attempt_submit(attempt=attempt)
    assert submitted.marks == pytest.approx(0.75)  # the finished check's mark is kept on submission
    assert _answer(attempt).response == RIGHT


def test_interactive_last_wrong_try_finishes_with_nothing(cast, make_quiz):
    attempt = attempt_start(quiz=hinted_quiz(make_quiz, cast, behaviour="interactive"), user=cast.student)
    for response in (WRONG, OTHER_WRONG, WRONG):
        answer = _check(attempt, response)
    assert answer.finished and answer.marks == 0.0 and len(answer.tries) == len(HINTS) + 1


def test_an_open_interactive_question_is_graded_on_submit_less_its_wrong_tries(cast, make_quiz):
    attempt = attempt_start(quiz=hinted_quiz(make_quiz, cast, behaviour="interactive"), user=cast.student)
    _check(attempt, WRONG)
    answer_save(attempt=attempt, question_id=attempt.layout[-1][0], response=RIGHT)  # never checked again
    assert attempt_submit(attempt=attempt).marks == pytest.approx(0.75)


def test_immediate_allows_one_check_and_no_penalty(cast, make_quiz):
    attempt = attempt_start(quiz=hinted_quiz(make_quiz, cast, behaviour="immediate"), user=cast.student)
    answer = _check(attempt, WRONG)
    assert answer.finished and answer.marks == 0.0 and answer.state == "incorrect"
    with pytest.raises(ValidationError) as refused:
        _check(attempt, RIGHT)
    assert refused.value.code == "finished"
    assert attempt_submit(attempt=attempt).marks == 0.0


def test_deferred_quizzes_and_essays_have_no_check(cast, make_quiz):
    deferred = attempt_start(quiz=hinted_quiz(make_quiz, cast, behaviour="deferred"), user=cast.student)
    with pytest.raises(ValidationError) as refused:
        _check(deferred, RIGHT)
    assert refused.value.code == "not_checkable" and _answer(deferred).tries == []
    essay_quiz = make_quiz(qtypes=["essay"], behaviour="interactive")
    essay_attempt = attempt_start(quiz=essay_quiz, user=cast.classmate)
    with pytest.raises(ValidationError) as refused:
        _check(essay_attempt, {"text": "Because."})
    assert refused.value.code == "not_checkable"


@pytest.mark.parametrize("response, code", [({}, "no_answer"), ({"choice": ["b"]}, "bad_response"),
                                            ("b", "bad_response"), ({"choice": "x" * 60_000}, "too_long")])
def test_a_check_without_a_usable_answer_uses_no_try(cast, make_quiz, response, code):
    attempt = attempt_start(quiz=hinted_quiz(make_quiz, cast, behaviour="interactive"), user=cast.student)
    with pytest.raises(ValidationError) as refused:
        _check(attempt, response)
    assert refused.value.code == code
    assert _answer(attempt).tries == []


def test_no_check_on_a_submitted_attempt_or_a_question_outside_it(cast, make_quiz):
    attempt = attempt_start(quiz=hinted_quiz(make_quiz, cast, behaviour="interactive"), user=cast.student)
    with pytest.raises(ValidationError) as refused:
        answer_check(attempt=attempt, question_id=10**9, response=RIGHT)
    assert refused.value.code == "unknown_question"
    attempt_submit(attempt=attempt)
    with pytest.raises(ValidationError) as refused:
        _check(attempt, RIGHT)
    assert refused.value.code == "submitted"
    assert _answer(attempt).tries == []


def test_regrade_replays_the_tries_with_penalties_and_keeps_human_grades(cast, make_quiz):
    quiz = hinted_quiz(make_quiz, cast, behaviour="interactive")
    attempt = attempt_start(quiz=quiz, user=cast.student)
    _check(attempt, WRONG)
    _check(attempt, OTHER_WRONG)
    _check(attempt, RIGHT)
    attempt_submit(attempt=attempt)
    assert Attempt.objects.get(pk=attempt.pk).marks == pytest.approx(0.5)
    # ReLU (the first try) becomes right as well: the question was finished at its first try.
    question = quiz.questions.get()
    spec = question.latest_version.spec
    choices = [dict(c, fraction=1.0) if c["id"] == "a" else c for c in spec["choices"]]
    question_update(question=question, spec=dict(spec, choices=choices), user=cast.instructor)
    report = quiz_regrade(quiz=quiz, user=cast.instructor, dry_run=False)
    assert [round(c.new_marks, 6) for c in report.changes] == [1.0]
    # A person's grade is kept by the next regrade.
    from quizzes.services.attempts import essay_grade
    essay_grade(answer=_answer(attempt), fraction=0.1, comment="", grader=cast.instructor)
    assert quiz_regrade(quiz=quiz, user=cast.instructor, dry_run=True).changes == []
    assert Attempt.objects.get(pk=attempt.pk).marks == pytest.approx(0.1)
