"""Item statistics against hand-computed numbers, the CSV (UTF-8, one header, formula-safe), essay grading."""
import csv
import io

import pytest
from django.urls import reverse

from quizzes.models import Attempt
from quizzes.selectors_reports import quiz_statistics
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
from quizzes.services.questions import question_create
from tests.conftest import QUESTION_SPECS, client_for
from tests.factories import UserFactory, enroll

pytestmark = pytest.mark.django_db


def take(quiz, user, picks: list[str]) -> Attempt:
    attempt = attempt_start(quiz=quiz, user=user)
    for (question_id, _), pick in zip(attempt.layout, picks):
        answer_save(attempt=attempt, question_id=question_id, response={"choice": pick})
    return attempt_submit(attempt=attempt)


@pytest.fixture
def answered(cast, make_quiz):
    """Three single-choice questions (right answer "b"), four students scoring 3, 2, 1 and 0."""
    quiz = make_quiz(qtypes=["single_choice"] * 3)
    students = [cast.student, cast.classmate]
    for name in ("student4", "student5"):
        students.append(UserFactory(username=name))
        enroll(students[-1], cast.course)
    for student, picks in zip(students, [["b", "b", "b"], ["b", "b", "a"], ["b", "a", "a"], ["a", "c", "a"]]):
        take(quiz, student, picks)
    return quiz, students


def test_item_statistics_match_hand_computed_numbers(answered):
    quiz, _ = answered
    stats = quiz_statistics(quiz=quiz)
    q1, q2, q3 = stats.questions
    # facility = mean score: 3/4, 2/4, 1/4
    assert [q.facility for q in stats.questions] == pytest.approx([75.0, 50.0, 25.0])
    # population SD of (1,1,1,0) = sqrt(.75 * .25)
    assert q1.standard_deviation == pytest.approx(43.30127, abs=1e-4)
    assert q2.standard_deviation == pytest.approx(50.0)
    # Q1 against the rest (mean of Q2, Q3 = 1, .5, 0, 0): cov .09375 / (.4330127 * .4145781) = .522233
    assert q1.discrimination == pytest.approx(52.2233, abs=1e-3)
    assert q1.discriminative_efficiency == pytest.approx(100.0)
    # choices of Q1: three picked b (right), one picked a
    assert [(c.label, c.count, round(c.percent)) for c in q1.choices] == [("ReLU", 1, 25), ("Softmax", 3, 75), ("Tanh", 0, 0)]
    assert [c.right for c in q1.choices] == [False, True, False]
    test = stats.test
    assert test.attempts == 4
    assert (test.mean, test.median) == (pytest.approx(50.0), pytest.approx(50.0))
    assert test.standard_deviation == pytest.approx(37.26780, abs=1e-4)  # totals 100, 66.7, 33.3, 0 %
    # alpha = 3/2 * (1 - (.1875 + .25 + .1875) / 1.25) = .75
    assert test.cronbach_alpha == pytest.approx(75.0)
    assert [count for _, count in test.histogram] == [1, 0, 0, 1, 0, 0, 1, 0, 0, 1]


def test_first_attempts_by_default_all_attempts_as_an_option(cast, answered):
    quiz, students = answered
    take(quiz, students[0], ["a", "a", "a"])  # student1 tries again and gets everything wrong
    assert quiz_statistics(quiz=quiz).test.attempts == 4
    assert quiz_statistics(quiz=quiz).questions[0].facility == pytest.approx(75.0)
    everything = quiz_statistics(quiz=quiz, which="all")
    assert everything.test.attempts == 5 and everything.questions[0].facility == pytest.approx(60.0)
    page = client_for(cast.instructor).get(reverse("quiz_authoring:statistics", args=[quiz.pk]) + "?attempts=all").content.decode()
    assert "60.0 %" in page and "all submitted attempts" in page


def test_the_statistics_page_shows_the_table_and_histogram(cast, answered):
    quiz, _ = answered
    page = client_for(cast.instructor).get(reverse("quiz_authoring:statistics", args=[quiz.pk])).content.decode()
    assert "75.0 %" in page and "52.2" in page and "histogram__bar" in page and "Internal consistency" in page


def test_the_csv_is_utf8_with_one_header_row_and_no_formulas(cast, answered):
    quiz, _ = answered
    evil = dict(QUESTION_SPECS["single_choice"], title="=HYPERLINK(\"http://x\",\"Ünïcode\")")
    question_create(quiz=quiz, spec=evil, user=cast.instructor)
    minus = dict(QUESTION_SPECS["single_choice"], title="-2+3 @sum")
    minus["choices"] = [dict(c, text="+cmd|' /C calc'!A0" if c["id"] == "a" else c["text"]) for c in minus["choices"]]
    question_create(quiz=quiz, spec=minus, user=cast.instructor)
    response = client_for(cast.instructor).get(reverse("quiz_authoring:statistics_csv", args=[quiz.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith("\ufeff".encode())  # the BOM every export carries
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Number", "Question"] and rows[0][5] == "Facility index (%)"
    assert sum(1 for row in rows if row[0] == "Number") == 1 and len(rows) == 6
    assert rows[1][1] == "SECRET-TITLE-single" and float(rows[1][5]) == 75.0
    assert rows[4][1] == "'=HYPERLINK(\"http://x\",\"Ünïcode\")"
    assert rows[5][1] == "'-2+3 @sum"
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@")), cell


def test_essays_are_graded_from_the_queue_and_the_attempt_leaves_awaiting_grading(cast, make_quiz):
    quiz = make_quiz(qtypes=["essay", "true_false"])
    attempt = attempt_start(quiz=quiz, user=cast.student)
    essay_id, tf_id = [q for q, _ in attempt.layout]
    answer_save(attempt=attempt, question_id=essay_id, response={"text": "Dot products grow with d_k, so softmax saturates."})
    answer_save(attempt=attempt, question_id=tf_id, response={"value": True})
    attempt = attempt_submit(attempt=attempt)
    assert attempt.needs_grading and attempt.marks == 1.0
    client = client_for(cast.instructor)
    queue_url = reverse("quiz_authoring:essay_queue", args=[quiz.pk])
    page = client.get(queue_url).content.decode()
    assert "Dot products grow with d_k, so softmax saturates." in page and "SECRET-GRADER-info" in page
    answer = attempt.answers.get(question_id=essay_id)
    grade_url = reverse("quiz_authoring:essay_grade", args=[quiz.pk, answer.pk])
    # out of range: refused next to the field, the comment kept
    bad = client.post(grade_url, {f"a{answer.pk}-marks": "5", f"a{answer.pk}-comment": "Nice use of variance"})
    assert bad.status_code == 400
    assert "Give between 0 and 2 marks; got 5." in bad.content.decode() and "Nice use of variance" in bad.content.decode()
    good = client.post(grade_url, {f"a{answer.pk}-marks": "1,5", f"a{answer.pk}-comment": "Nice use of variance"}, follow=True)
    assert "Graded student1’s answer: 1.5 / 2." in good.content.decode()
    assert "No essays are waiting" in good.content.decode()
    attempt.refresh_from_db()
    answer.refresh_from_db()
    assert not attempt.needs_grading and attempt.marks == 2.5
    assert (answer.marks, answer.grader_comment, answer.graded_by) == (1.5, "Nice use of variance", cast.instructor)
    review = client_for(cast.student).get(reverse("quizzes:attempt_review", args=[attempt.pk])).content.decode()
    assert "Awaiting grading" not in review and "Nice use of variance" in review
    # someone else's answer cannot be graded through this quiz, and students cannot grade at all
    assert client_for(cast.student).post(grade_url, {f"a{answer.pk}-marks": "2"}).status_code == 404
    assert client_for(cast.other_instructor).get(queue_url).status_code == 404


def test_typed_answers_are_counted_like_choices(cast, make_quiz):
    quiz = make_quiz(qtypes=["numeric", "short_answer"])
    for user, (number, word) in zip([cast.student, cast.classmate], [("8", "SecretSoftmax"), ("8.0", "sigmoid")]):
        attempt = attempt_start(quiz=quiz, user=user)
        numeric_id, short_id = [q for q, _ in attempt.layout]
        answer_save(attempt=attempt, question_id=numeric_id, response={"value": number})
        answer_save(attempt=attempt, question_id=short_id, response={"text": word})
        attempt_submit(attempt=attempt)
    numeric, short = quiz_statistics(quiz=quiz).questions
    assert [(c.label, c.count, c.right) for c in numeric.choices] == [("8", 1, True), ("8.0", 1, True)]
    assert [(c.label, round(c.percent), c.right) for c in short.choices] == [("SecretSoftmax", 50, True), ("sigmoid", 50, False)]
