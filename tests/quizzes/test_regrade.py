"""Regrade: a dry run lists whose marks would change and by how much, touching nothing; applying
updates the grades and records who regraded when."""
import pytest
from django.urls import reverse

from quizzes.models import Attempt, RegradeRun
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit, essay_grade
from quizzes.services.questions import question_update
from quizzes.services.regrade import quiz_regrade
from tests.conftest import QUESTION_SPECS, client_for

pytestmark = pytest.mark.django_db


def take(quiz, user, responses: dict) -> Attempt:
    attempt = attempt_start(quiz=quiz, user=user)
    for question_id, _ in attempt.layout:
        qtype = attempt.answers.get(question_id=question_id).version.qtype
        if qtype in responses:
            answer_save(attempt=attempt, question_id=question_id, response=responses[qtype])
    return attempt_submit(attempt=attempt)


@pytest.fixture
def fixed_key(cast, make_quiz):
    """Two students took a quiz whose single-choice key was wrong ("b"); the teacher then made "a" right."""
    quiz = make_quiz(qtypes=["single_choice", "essay"])
    picked_a = take(quiz, cast.student, {"single_choice": {"choice": "a"}, "essay": {"text": "Because variance grows."}})
    picked_b = take(quiz, cast.classmate, {"single_choice": {"choice": "b"}, "essay": {"text": "No idea."}})
    essay = picked_a.answers.get(version__spec__qtype="essay")
    essay_grade(answer=essay, fraction=0.75, comment="Good", grader=cast.instructor)
    question = quiz.questions.get(position=1)
    fixed = dict(QUESTION_SPECS["single_choice"])
    fixed["choices"] = [dict(c, fraction=1.0 if c["id"] == "a" else 0.0) for c in fixed["choices"]]
    question_update(question=question, spec=fixed, user=cast.instructor)
    return quiz, picked_a, picked_b


def test_the_dry_run_reports_changes_and_changes_nothing(cast, fixed_key):
    quiz, picked_a, picked_b = fixed_key
    report = quiz_regrade(quiz=quiz, user=cast.instructor, dry_run=True)
    assert report.attempts_checked == 2
    changes = {change.user.username: (change.old_marks, change.new_marks, change.delta) for change in report.changes}
    # student1: 0 + 1.5 (essay, kept) -> 1 + 1.5; student3: 1 + ungraded essay -> 0
    assert changes == {"student1": (1.5, 2.5, 1.0), "student3": (1.0, 0.0, -1.0)}
    picked_a.refresh_from_db()
    assert picked_a.marks == 1.5 and picked_a.answers.get(version__spec__qtype="single_choice").version.number == 1
    assert not RegradeRun.objects.exists()


def test_applying_updates_grades_keeps_the_teachers_essay_grade_and_records_who_and_when(cast, fixed_key):
    quiz, picked_a, picked_b = fixed_key
    report = quiz_regrade(quiz=quiz, user=cast.instructor, dry_run=False)
    picked_a.refresh_from_db()
    picked_b.refresh_from_db()
    assert (picked_a.marks, picked_b.marks) == (2.5, 0.0)
    answer = picked_a.answers.get(version__spec__qtype__in=["single_choice"])
    assert answer.version.number == 2 and answer.state == "correct"
    assert picked_a.answers.get(version__spec__qtype="essay").grader_comment == "Good"
    run = report.run
    assert run.run_by == cast.instructor and run.run_at is not None
    assert {c["user"]: c["delta"] for c in run.changes} == {"student1": 1.0, "student3": -1.0}
    # a second regrade finds nothing left to change
    assert quiz_regrade(quiz=quiz, user=cast.instructor, dry_run=True).changes == []


def test_the_regrade_page_shows_the_dry_run_then_applies_and_shows_who_regraded(cast, fixed_key):
    quiz, picked_a, _ = fixed_key
    client = client_for(cast.instructor)
    url = reverse("quiz_authoring:regrade", args=[quiz.pk])
    before = client.get(url).content.decode()
    assert "Edited since students answered them" in before
    assert "2 attempts graded on version 1; the latest is version 2." in before
    dry = client.post(url, {"action": "dry_run"}).content.decode()
    assert "Dry run — nothing has changed yet" in dry
    assert "student1" in dry and "+1" in dry and "student3" in dry and "-1" in dry
    picked_a.refresh_from_db()
    assert picked_a.marks == 1.5
    applied = client.post(url, {"action": "apply"}, follow=True).content.decode()
    assert "Regraded 2 attempts; 2 changed." in applied
    assert "by teacher1" in applied and "student1 +1" in applied
    assert "Every submitted attempt was graded on the latest version" in applied
    picked_a.refresh_from_db()
    assert picked_a.marks == 2.5
    # the student's own page reflects the new grade
    assert client_for(cast.student).get(quiz.get_absolute_url()).status_code == 200


# --- a person's decision survives a regrade (issue 12) ---------------------------------------------


def _essay_quiz_graded_full_marks(cast, make_quiz):
    """Seven marks of automatic questions plus an essay worth 1 that the teacher graded 1/1: 7/7."""
    quiz = make_quiz(qtypes=["single_choice", "essay"])
    essay_question = quiz.questions.get(position=2)
    question_update(question=essay_question, spec=dict(QUESTION_SPECS["essay"], default_mark=1.0), user=cast.instructor)
    single = quiz.questions.get(position=1)
    question_update(question=single, spec=dict(QUESTION_SPECS["single_choice"], default_mark=6.0), user=cast.instructor)
    attempt = take(quiz, cast.student, {"single_choice": {"choice": "b"}, "essay": {"text": "Variance grows with d_k."}})
    essay_grade(answer=attempt.answers.get(question=essay_question), fraction=1.0, comment="Full marks", grader=cast.instructor)
    attempt.refresh_from_db()
    assert (attempt.marks, attempt.max_marks) == (7.0, 7.0)
    return quiz, attempt, essay_question


def test_raising_an_essays_mark_rescales_the_teachers_grade_and_a_second_dry_run_is_empty(cast, make_quiz):
    # given an essay graded 1/1 in an attempt of 7/7
    quiz, attempt, essay_question = _essay_quiz_graded_full_marks(cast, make_quiz)
    # when the essay's mark is raised to 5
    question_update(question=essay_question, spec=dict(QUESTION_SPECS["essay"], default_mark=5.0), user=cast.instructor)
    dry = quiz_regrade(quiz=quiz, user=cast.instructor, dry_run=True)
    # then the dry run says 7/7 -> 11/11 and names the kept, rescaled grade
    [change] = dry.changes
    assert (change.old_marks, change.old_max, change.new_marks, change.new_max) == (7.0, 7.0, 11.0, 11.0)
    [kept] = change.kept
    assert (kept.fraction, kept.old_marks, kept.new_marks, kept.grader) == (1.0, 1.0, 5.0, cast.instructor.username)
    applied = quiz_regrade(quiz=quiz, user=cast.instructor, dry_run=False)
    attempt.refresh_from_db()
    assert (attempt.marks, attempt.max_marks, attempt.percent) == (11.0, 11.0, 100.0)
    essay = attempt.answers.get(question=essay_question)
    assert (essay.fraction, essay.marks, essay.grader_comment, essay.graded_by) == (1.0, 5.0, "Full marks", cast.instructor)
    # the log says whose grade was kept
    assert applied.run.changes[0]["kept"][0]["new_marks"] == 5.0
    # and the regrade is idempotent
    assert quiz_regrade(quiz=quiz, user=cast.instructor, dry_run=True).changes == []


def test_the_dry_run_page_shows_the_kept_grade(cast, make_quiz):
    quiz, _, essay_question = _essay_quiz_graded_full_marks(cast, make_quiz)
    question_update(question=essay_question, spec=dict(QUESTION_SPECS["essay"], default_mark=5.0), user=cast.instructor)
    page = client_for(cast.instructor).post(reverse("quiz_authoring:regrade", args=[quiz.pk]), {"action": "dry_run"})
    html = page.content.decode()
    assert "7 / 7" in html and "11 / 11" in html
    assert f"Kept {cast.instructor.username}’s grade" in html and "rescaled from 1 to 5 / 5" in html


def test_a_manual_override_of_a_numeric_answer_survives_regrade(cast, make_quiz):
    # given a numeric answer 7.5 scored 0.5 automatically, then accepted by the teacher as right
    quiz = make_quiz(qtypes=["numeric"])
    attempt = take(quiz, cast.student, {"numeric": {"value": "7.5"}})
    answer = attempt.answers.get()
    assert answer.fraction == 0.5
    essay_grade(answer=answer, fraction=1.0, comment="manual override: accepted", grader=cast.instructor)
    # when the question is edited (its feedback) and the quiz regraded
    question = quiz.questions.get()
    edited = dict(QUESTION_SPECS["numeric"], general_feedback="Eight, since 8 × 8 = 64.")
    question_update(question=question, spec=edited, user=cast.instructor)
    assert quiz_regrade(quiz=quiz, user=cast.instructor, dry_run=True).changes == []
    quiz_regrade(quiz=quiz, user=cast.instructor, dry_run=False)
    # then the override and its comment stand together
    answer.refresh_from_db()
    attempt.refresh_from_db()
    assert (answer.fraction, answer.state, answer.grader_comment) == (1.0, "correct", "manual override: accepted")
    assert answer.version.number == 2
    assert attempt.marks == attempt.max_marks
    assert quiz_regrade(quiz=quiz, user=cast.instructor, dry_run=True).changes == []
