"""The quiz load benchmark's pieces (bench/quiz_bench_lib.py) against the real pages and database:
a simulated student can read the attempt page and autosave every question type, and the lost-answer
count finds an answer that is missing or differs from what was acknowledged."""
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from courses.models import Course, Enrollment, Lesson
from quizzes.models import Answer, Attempt, AttemptState, Quiz
from quizzes.services.importing import quiz_import_text
from tests.conftest import client_for
from tests.factories import UserFactory

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from quiz_bench_lib import QUIZ_MARKDOWN, answer_for, answers_check, question_fields  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_quiz() -> Quiz:
    course = Course.objects.create(slug="quizbench", title="Quiz bench", is_published=True)
    lesson = Lesson.objects.create(course=course, slug="bench-lesson", title="Bench lesson", position=1, is_published=True)
    quiz = Quiz.objects.create(lesson=lesson, slug="bench-quiz", title="Bench quiz", is_published=True)
    quiz_import_text(quiz=quiz, text=QUIZ_MARKDOWN, fmt="markdown", user=None)
    return quiz


def take_the_quiz(quiz: Quiz, username: str) -> dict:
    """What one Locust user does, through Django's test client; returns its record."""
    student = UserFactory(username=username)
    Enrollment.objects.create(user=student, course=quiz.lesson.course)
    client = client_for(student)
    start = client.post(reverse("quizzes:attempt_start", args=[quiz.pk]))
    assert start.status_code == 302
    attempt_id = int(start["Location"].rstrip("/").rsplit("/", 1)[-1])
    page = client.get(start["Location"]).content.decode()
    record = {"user": username, "attempt": attempt_id, "saves": [], "submitted": False}
    questions = question_fields(page)
    assert len(questions) == 10
    for question, save_url, chunk in questions:
        data = answer_for(chunk, f"{username}-q{question}")
        assert data, f"no input found for question {question}"
        saved = client.post(save_url, data, HTTP_HX_REQUEST="true")
        ok = saved.status_code == 200 and "Saved at" in saved.content.decode()
        assert ok, saved.content
        record["saves"].append({"question": question, "data": data, "acknowledged": ok})
    submitted = client.post(reverse("quizzes:attempt_submit", args=[attempt_id]))
    record["submitted"] = submitted.status_code == 302 and "/review/" in submitted["Location"]
    return record


def test_a_simulated_student_answers_every_question_type_and_nothing_is_lost(bench_quiz):
    record = take_the_quiz(bench_quiz, "quizbench000")
    qtypes = {answer.version.spec["qtype"] for answer in Answer.objects.filter(attempt_id=record["attempt"])}
    assert qtypes == {"single_choice", "multiple_response", "true_false", "short_answer", "numeric", "matching", "essay"}
    result = answers_check([record])
    assert result["problems"] == []
    assert (result["answers_expected"], result["answers_kept"], result["lost"]) == (10, 10, 0)
    assert result["attempts_submitted_in_db"] == result["attempts_submitted_by_client"] == 1
    # every answer was saved (not left at the empty row attempt_start creates) and graded on submit
    assert Answer.objects.filter(attempt_id=record["attempt"], saved_at__isnull=False).exclude(state="").count() == 10


def test_the_count_finds_a_changed_a_missing_and_an_ungraded_answer(bench_quiz):
    records = [take_the_quiz(bench_quiz, f"quizbench{n:03d}") for n in range(3)]
    first, second, third = (Answer.objects.filter(attempt_id=r["attempt"]).order_by("id") for r in records)
    changed = first.first()
    changed.response = {"text": "something the student never sent"}
    changed.save()
    second.filter(pk=second.last().pk).update(saved_at=None)  # as if the save had never reached the row
    third.filter(pk=third.first().pk).update(state="")  # submitted, but this answer was never graded
    result = answers_check(records)
    assert result["lost"] == 3 and result["answers_kept"] == 27
    assert len(result["problems"]) == 3


def test_an_unacknowledged_save_is_not_counted_and_an_unsubmitted_attempt_is_reported(bench_quiz):
    record = take_the_quiz(bench_quiz, "quizbench000")
    record["saves"][0]["acknowledged"] = False
    Attempt.objects.filter(pk=record["attempt"]).update(state=AttemptState.IN_PROGRESS)
    result = answers_check([record])
    assert (result["saves_sent"], result["saves_acknowledged"], result["answers_expected"]) == (10, 9, 9)
    assert result["attempts_submitted_in_db"] == 0
    assert any("submit acknowledged" in problem for problem in result["problems"])
