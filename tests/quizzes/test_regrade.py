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
