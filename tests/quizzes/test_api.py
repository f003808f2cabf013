"""The quiz API with the whole cast: two students, two instructors, an admin, anonymous."""
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from quizzes.models import Answer, Attempt, AttemptState, Question
from quizzes.services.questions import question_create
from tests.conftest import QUESTION_SPECS
from tests.quiz_ids import pick


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def ids(reply):
    data = reply.json()
    return sorted(item["id"] for item in data.get("results", data))


@pytest.fixture
def quiz(make_quiz):
    return make_quiz(qtypes=["single_choice", "numeric", "matching", "essay"])


def test_quiz_list_is_scoped_to_who_may_take_or_author_it(cast, quiz, make_quiz):
    draft = make_quiz(is_published=False)
    assert api().get("/api/quizzes/").status_code in (401, 403)
    assert ids(api(cast.student).get("/api/quizzes/")) == [quiz.pk]
    assert ids(api(cast.classmate).get("/api/quizzes/")) == [quiz.pk]
    assert ids(api(cast.other_student).get("/api/quizzes/")) == []  # not enrolled
    assert ids(api(cast.instructor).get("/api/quizzes/")) == [quiz.pk, draft.pk]
    assert ids(api(cast.other_instructor).get("/api/quizzes/")) == []
    assert ids(api(cast.admin).get("/api/quizzes/")) == [quiz.pk, draft.pk]
    assert api(cast.student).get(f"/api/quizzes/{draft.pk}/").status_code == 404
    assert api(cast.other_student).get(f"/api/quizzes/{quiz.pk}/").status_code == 404
    detail = api(cast.student).get(f"/api/quizzes/{quiz.pk}/").json()
    assert detail["question_count"] == 4 and detail["my_grade"]["attempts_used"] == 0
    assert ids(api(cast.student).get("/api/quizzes/?lesson=intro")) == [quiz.pk]
    assert ids(api(cast.student).get("/api/quizzes/?lesson=nope")) == []


def test_a_student_takes_a_quiz_through_the_api(cast, quiz):
    client = api(cast.student)
    started = client.post(f"/api/quizzes/{quiz.pk}/start/")
    assert started.status_code == 201
    attempt = started.json()
    again = client.post(f"/api/quizzes/{quiz.pk}/start/")
    assert again.status_code == 200 and again.json()["id"] == attempt["id"]  # the open one, not a second
    questions = {q["public"]["qtype"]: q for q in attempt["questions"]}
    assert "SECRET" not in json.dumps(attempt)
    answers = {
        "single_choice": {"choice": pick(questions["single_choice"]["public"], "Softmax")},
        "numeric": {"value": "8"},
        "matching": {"pairs": {pick(questions["matching"]["public"], "Q"): pick(questions["matching"]["public"], "n by d_k"),
                               pick(questions["matching"]["public"], "Scores"): pick(questions["matching"]["public"], "d by d")}},
        "essay": {"text": "Because dot products grow with d_k."},
    }
    for qtype, response in answers.items():
        reply = client.post(f"/api/attempts/{attempt['id']}/answers/",
                            {"question": questions[qtype]["question"], "response": response}, format="json")
        assert reply.status_code == 200, reply.content
    # the last save wins
    client.post(f"/api/attempts/{attempt['id']}/answers/",
                {"question": questions["numeric"]["question"], "response": {"value": "7"}}, format="json")
    client.post(f"/api/attempts/{attempt['id']}/answers/",
                {"question": questions["numeric"]["question"], "response": {"value": "8"}}, format="json")
    current = client.get(f"/api/attempts/{attempt['id']}/").json()
    assert {q["public"]["qtype"]: q["response"] for q in current["questions"]} == answers
    assert current["revealed"] == [] and "marks" not in current
    assert client.get(f"/api/attempts/{attempt['id']}/review/").status_code == 409

    submitted = client.post(f"/api/attempts/{attempt['id']}/submit/").json()
    assert submitted["state"] == "submitted" and submitted["needs_grading"] is True
    assert submitted["marks"] == pytest.approx(1 + 1 + 0.5)  # essay (2 marks) awaits grading
    by_type = {q["public"]["qtype"]: q for q in submitted["questions"]}
    assert by_type["single_choice"]["state"] == "correct"
    assert by_type["single_choice"]["feedback"] == ["SECRET-FB-softmax"]
    assert by_type["single_choice"]["right_answer"] == answers["single_choice"]  # in this attempt's ids
    assert by_type["single_choice"]["explanation"] == "SECRET-EX-single"
    assert by_type["single_choice"]["lesson_section"] is None  # no "(See: Lesson › Section)" in it
    assert by_type["matching"]["state"] == "partial"
    assert by_type["essay"]["state"] == "needs_grading"
    # a second submit changes nothing
    assert client.post(f"/api/attempts/{attempt['id']}/submit/").json()["submitted_at"] == submitted["submitted_at"]
    late = client.post(f"/api/attempts/{attempt['id']}/answers/",
                       {"question": questions["numeric"]["question"], "response": {"value": "1"}}, format="json")
    assert late.status_code == 409 and late.json()["code"] == "submitted"


def test_other_peoples_attempts_are_404_for_students_and_other_instructors(cast, quiz):
    attempt = api(cast.student).post(f"/api/quizzes/{quiz.pk}/start/").json()
    question = attempt["questions"][0]["question"]
    url = f"/api/attempts/{attempt['id']}/"
    for user in (cast.classmate, cast.other_student, cast.other_instructor):
        client = api(user)
        assert client.get(url).status_code == 404
        assert client.get(url + "review/").status_code == 404
        assert client.post(url + "answers/", {"question": question, "response": {"choice": "a"}}, format="json").status_code == 404
        assert client.post(url + "submit/").status_code == 404
        assert attempt["id"] not in ids(client.get("/api/attempts/"))
    assert api().get(url).status_code in (401, 403)
    assert Attempt.objects.get(pk=attempt["id"]).state == AttemptState.IN_PROGRESS
    # the course's instructor and the admin may read it, but not answer or submit it
    for user in (cast.instructor, cast.admin):
        assert api(user).get(url).status_code == 200
        assert api(user).post(url + "submit/").status_code == 404
    assert Attempt.objects.get(pk=attempt["id"]).state == AttemptState.IN_PROGRESS


def test_start_is_refused_with_a_reason(cast, make_quiz):
    closed = make_quiz(closes_at=timezone.now() - timedelta(days=1), opens_at=timezone.now() - timedelta(days=2))
    reply = api(cast.student).post(f"/api/quizzes/{closed.pk}/start/")
    assert reply.status_code == 409 and reply.json()["code"] == "closed"
    once = make_quiz(attempts_allowed=1)
    client = api(cast.student)
    attempt = client.post(f"/api/quizzes/{once.pk}/start/").json()
    client.post(f"/api/attempts/{attempt['id']}/submit/")
    assert client.post(f"/api/quizzes/{once.pk}/start/").json()["code"] == "no_attempts_left"
    assert api(cast.other_student).post(f"/api/quizzes/{once.pk}/start/").status_code == 404
    assert api(cast.instructor).post(f"/api/quizzes/{once.pk}/start/").status_code == 404


def test_a_bad_answer_is_a_400_that_says_why(cast, quiz):
    client = api(cast.student)
    attempt = client.post(f"/api/quizzes/{quiz.pk}/start/").json()
    single = next(q for q in attempt["questions"] if q["public"]["qtype"] == "single_choice")
    reply = client.post(f"/api/attempts/{attempt['id']}/answers/", {"question": single["question"], "response": {"choice": ["a"]}}, format="json")
    assert reply.status_code == 400 and "does not fit the question" in reply.json()["detail"]
    reply = client.post(f"/api/attempts/{attempt['id']}/answers/", {"question": 999999, "response": {}}, format="json")
    assert reply.status_code == 400


def test_review_options_apply_to_the_api(cast, make_quiz):
    options = {item: {"immediately": item == "marks", "later": False, "after_close": False}
               for item in ["correctness", "marks", "feedback", "general_feedback", "right_answer"]}
    quiz = make_quiz(qtypes=["single_choice"], review_options=options)
    client = api(cast.student)
    attempt = client.post(f"/api/quizzes/{quiz.pk}/start/").json()
    first = attempt["questions"][0]
    client.post(f"/api/attempts/{attempt['id']}/answers/",
                {"question": first["question"], "response": {"choice": pick(first["public"], "ReLU")}}, format="json")
    review = client.post(f"/api/attempts/{attempt['id']}/submit/").json()
    assert review["revealed"] == ["marks"] and review["marks"] == 0
    assert "SECRET" not in json.dumps(review)
    assert not {"state", "feedback", "right_answer", "general_feedback"} & set(review["questions"][0])
    # the instructor sees everything
    full = api(cast.instructor).get(f"/api/attempts/{attempt['id']}/review/").json()
    assert full["questions"][0]["right_answer"] == {"choice": pick(first["public"], "Softmax")}


def test_the_review_links_the_explanation_to_its_lesson_section(cast, make_quiz):
    cast.lesson.body_markdown = "## Why scale\n\nBecause.\n"
    cast.lesson.save()
    quiz = make_quiz(qtypes=[])
    question_create(quiz=quiz, spec={**QUESTION_SPECS["true_false"], "general_feedback": "Yes. (See: Intro › Why scale)"}, user=None)
    client = api(cast.student)
    attempt = client.post(f"/api/quizzes/{quiz.pk}/start/").json()
    review = client.post(f"/api/attempts/{attempt['id']}/submit/").json()
    assert review["questions"][0]["lesson_section"] == {"name": "Why scale", "url": cast.lesson.get_absolute_url() + "#why-scale"}


def test_questions_are_for_the_courses_instructors_only(cast, quiz):
    url = f"/api/quiz-questions/?quiz={quiz.pk}"
    assert len(api(cast.instructor).get(url).json()["results"]) == 4
    assert len(api(cast.admin).get(url).json()["results"]) == 4
    for user in (cast.student, cast.classmate, cast.other_instructor):
        assert api(user).get(url).json()["results"] == []
    question = Question.objects.filter(quiz=quiz).first()
    assert api(cast.student).get(f"/api/quiz-questions/{question.pk}/").status_code == 404
    assert api().get(f"/api/quiz-questions/{question.pk}/").status_code in (401, 403)
    detail = api(cast.instructor).get(f"/api/quiz-questions/{question.pk}/").json()
    assert detail["spec"]["choices"][1]["fraction"] == 1.0


def test_instructors_create_edit_and_delete_questions_with_versions(cast, quiz):
    client = api(cast.instructor)
    spec = dict(QUESTION_SPECS["true_false"], title="New one")
    created = client.post("/api/quiz-questions/", {"quiz": quiz.pk, "spec": spec}, format="json")
    assert created.status_code == 201 and created.json()["version"] == 1
    bad = client.post("/api/quiz-questions/", {"quiz": quiz.pk, "spec": {**QUESTION_SPECS["numeric"], "answers": [
        {"kind": "tolerance", "value": "abc", "tolerance": 0}]}}, format="json")
    assert bad.status_code == 400 and "a numeric answer needs a number; got 'abc'" in json.dumps(bad.json())
    foreign = api(cast.other_instructor).post("/api/quiz-questions/", {"quiz": quiz.pk, "spec": spec}, format="json")
    assert foreign.status_code == 404
    # an answered question gets a new version; the attempt keeps the old one
    question = Question.objects.filter(quiz=quiz).order_by("position").first()
    attempt = api(cast.student).post(f"/api/quizzes/{quiz.pk}/start/").json()
    edited = client.put(f"/api/quiz-questions/{question.pk}/", {"spec": {**QUESTION_SPECS["single_choice"], "text": "Changed?"}}, format="json")
    assert edited.status_code == 200 and edited.json()["version"] == 2
    assert Answer.objects.get(attempt_id=attempt["id"], question=question).version.number == 1
    assert api(cast.other_instructor).delete(f"/api/quiz-questions/{question.pk}/").status_code == 404
    assert client.delete(f"/api/quiz-questions/{question.pk}/").status_code == 204
    assert Question.objects.get(pk=question.pk).is_deleted


def test_the_quiz_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    for path in ("/api/quizzes/", "/api/quizzes/{id}/start/", "/api/attempts/{id}/answers/",
                 "/api/attempts/{id}/submit/", "/api/attempts/{id}/review/", "/api/quiz-questions/"):
        assert path in schema["paths"], path
