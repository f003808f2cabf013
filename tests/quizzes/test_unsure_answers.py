"""A learner's "not sure" mark: set on the page (autosave, the no-JavaScript form, just before a Check)
and through the API, it sends a question answered right to the review queue too; it never changes a
grade, and bad values are refused with nothing stored."""
import json

import pytest
from rest_framework.test import APIClient

from quizzes.models import Answer, Quiz
from quizzes.review.models import ReviewCard
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def by_type(attempt) -> dict[str, int]:
    return {attempt.answers.get(question_id=q).version.qtype: q for q, _ in attempt.layout}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_right_answer_marked_not_sure_on_the_page_enters_the_review_queue_and_keeps_its_mark(cast, make_quiz):
    quiz = make_quiz(qtypes=["numeric", "true_false"])
    attempt = attempt_start(quiz=quiz, user=cast.student)
    ids = by_type(attempt)
    client = client_for(cast.student)
    page = client.get(attempt.get_absolute_url()).content.decode()
    assert page.count('name="q%d-unsure"' % ids["numeric"]) == 1 and "Not sure" in page
    save = f"/quizzes/attempts/{attempt.pk}/answers/{ids['numeric']}/"
    reply = client.post(save, {f"q{ids['numeric']}-text": "8", f"q{ids['numeric']}-present": "1",
                               f"q{ids['numeric']}-unsure-shown": "1", f"q{ids['numeric']}-unsure": "1"}, HTTP_HX_REQUEST="true")
    assert reply.status_code == 200
    assert Answer.objects.get(attempt=attempt, question_id=ids["numeric"]).unsure
    assert 'value="1" data-unsure checked' in client.get(attempt.get_absolute_url()).content.decode()  # shown again after a reload
    answer_save(attempt=attempt, question_id=ids["true_false"], response={"value": True})  # right, and sure

    submitted = attempt_submit(attempt=attempt)
    assert (submitted.marks, submitted.max_marks) == (2, 2)  # "not sure" never costs a mark
    assert set(ReviewCard.objects.filter(user=cast.student).values_list("question_id", flat=True)) == {ids["numeric"]}


def test_an_autosave_without_the_box_leaves_the_mark_and_one_without_the_tick_clears_it(cast, make_quiz):
    quiz = make_quiz(qtypes=["numeric"])
    attempt = attempt_start(quiz=quiz, user=cast.student)
    question = by_type(attempt)["numeric"]
    client, save = client_for(cast.student), f"/quizzes/attempts/{attempt.pk}/answers/{question}/"
    client.post(save, {f"q{question}-text": "8", f"q{question}-unsure-shown": "1", f"q{question}-unsure": "1"})
    client.post(save, {f"q{question}-text": "9"})  # an older page without the box: the mark stays
    assert Answer.objects.get(attempt=attempt, question_id=question).unsure
    client.post(save, {f"q{question}-text": "9", f"q{question}-unsure-shown": "1"})  # unticked
    assert not Answer.objects.get(attempt=attempt, question_id=question).unsure


def test_the_no_javascript_form_and_a_check_keep_the_tick(cast, make_quiz):
    quiz = make_quiz(qtypes=["numeric", "single_choice"])
    Quiz.objects.filter(pk=quiz.pk).update(behaviour="immediate")
    attempt = attempt_start(quiz=quiz, user=cast.student)
    ids = by_type(attempt)
    client = client_for(cast.student)
    numeric, choice = ids["numeric"], ids["single_choice"]
    form = {f"q{numeric}-text": "8", f"q{numeric}-present": "1", f"q{numeric}-unsure-shown": "1", f"q{numeric}-unsure": "1",
            f"q{choice}-present": "1", f"q{choice}-unsure-shown": "1"}
    assert client.post(f"/quizzes/attempts/{attempt.pk}/finish/", form).status_code == 302
    assert Answer.objects.get(attempt=attempt, question_id=numeric).unsure
    assert not Answer.objects.get(attempt=attempt, question_id=choice).unsure
    # Ticked, then Check at once (its autosave not sent yet): the finished question keeps the tick.
    check = client.post(f"/quizzes/attempts/{attempt.pk}/answers/{numeric}/check/",
                        {f"q{numeric}-text": "8", f"q{numeric}-unsure-shown": "1"}, HTTP_HX_REQUEST="true")
    assert check.status_code == 200 and Answer.objects.get(attempt=attempt, question_id=numeric).finished
    assert not Answer.objects.get(attempt=attempt, question_id=numeric).unsure  # this Check's form had it unticked


def test_the_api_takes_and_returns_the_mark_and_refuses_bad_values(cast, make_quiz):
    quiz = make_quiz(qtypes=["numeric", "essay"])
    client = api(cast.student)
    attempt = client.post(f"/api/quizzes/{quiz.pk}/start/").json()
    questions = {q["public"]["qtype"]: q["question"] for q in attempt["questions"]}
    url = f"/api/attempts/{attempt['id']}/answers/"
    for bad in ("maybe", [True], {"x": 1}, None, 2):
        reply = client.post(url, {"question": questions["numeric"], "response": {"value": "8"}, "unsure": bad}, format="json")
        assert reply.status_code == 400 and "unsure" in reply.json(), (bad, reply.content)
    assert not Answer.objects.filter(attempt_id=attempt["id"], question_id=questions["numeric"], saved_at__isnull=False).exists()
    assert client.post(url, {"question": questions["numeric"], "response": {"value": "8"}, "unsure": True}, format="json").status_code == 200
    assert client.post(url, {"question": questions["essay"], "response": {"text": "Hmm."}, "unsure": True}, format="json").status_code == 200
    current = client.get(f"/api/attempts/{attempt['id']}/").json()
    assert {q["question"]: q["unsure"] for q in current["questions"]} == {questions["numeric"]: True, questions["essay"]: True}
    client.post(url, {"question": questions["numeric"], "response": {"value": "8"}}, format="json")  # left out: unchanged
    assert Answer.objects.get(attempt_id=attempt["id"], question_id=questions["numeric"]).unsure
    client.post(f"/api/attempts/{attempt['id']}/submit/")
    # The essay waits for a person and a review cannot grade it: only the numeric question is queued.
    assert list(ReviewCard.objects.filter(user=cast.student).values_list("question_id", flat=True)) == [questions["numeric"]]
    schema = json.dumps(client.get("/api/schema/", HTTP_ACCEPT="application/json").json())
    assert "Not sure" in schema


def test_nobody_else_can_mark_a_learners_answer(cast, make_quiz):
    quiz = make_quiz(qtypes=["numeric"])
    attempt = attempt_start(quiz=quiz, user=cast.student)
    question = by_type(attempt)["numeric"]
    for user in (cast.classmate, cast.instructor):
        reply = api(user).post(f"/api/attempts/{attempt.pk}/answers/", {"question": question, "response": {}, "unsure": True}, format="json")
        assert reply.status_code == 404
        page = client_for(user).post(f"/quizzes/attempts/{attempt.pk}/answers/{question}/", {f"q{question}-unsure-shown": "1", f"q{question}-unsure": "1"})
        assert page.status_code == 404
    assert not Answer.objects.get(attempt=attempt, question_id=question).unsure


def test_essays_show_no_box(cast, make_quiz):
    attempt = attempt_start(quiz=make_quiz(qtypes=["essay"]), user=cast.student)
    assert "-unsure" not in client_for(cast.student).get(attempt.get_absolute_url()).content.decode()
