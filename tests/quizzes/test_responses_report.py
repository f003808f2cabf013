"""The responses report (issue 12): instructors see what learners typed, grouped, how it scored, and
accept a response in one click, which adds it to the key and leads to the regrade dry run."""
import pytest
from django.urls import reverse

from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def take(quiz, user, response: dict):
    attempt = attempt_start(quiz=quiz, user=user)
    question_id, _ = attempt.layout[0]
    answer_save(attempt=attempt, question_id=question_id, response=response)
    return attempt_submit(attempt=attempt)


@pytest.fixture
def short_quiz(cast, make_quiz):
    quiz = make_quiz(qtypes=["short_answer"])
    take(quiz, cast.student, {"text": "Normalised exponential"})
    take(quiz, cast.classmate, {"text": "normalised-exponential."})
    return quiz


def _url(quiz, name="responses"):
    return reverse(f"quiz_authoring:{name}", args=[quiz.pk, quiz.questions.get().pk])


def test_the_report_groups_what_learners_typed_with_how_it_scored(cast, short_quiz):
    page = client_for(cast.instructor).get(_url(short_quiz)).content.decode()
    assert "2 submitted responses" in page
    assert "Normalised exponential" in page and "also written: normalised-exponential." in page
    assert '<td class="num">2</td>' in page and '<td class="num">0 %</td>' in page
    assert "Accept as right" in page


def test_accepting_a_response_adds_it_and_the_dry_run_follows(cast, short_quiz):
    client = client_for(cast.instructor)
    reply = client.post(_url(short_quiz, "response_accept"), {"response": "Normalised exponential"}, follow=True)
    page = reply.content.decode()
    assert reply.redirect_chain[-1][0].startswith(reverse("quiz_authoring:regrade", args=[short_quiz.pk]))
    assert "Dry run — nothing has changed yet" in page and "2 would change" in page
    spec = short_quiz.questions.get().latest_version.spec
    assert spec["answers"][-1] == {"text": "Normalised exponential", "fraction": 1.0, "feedback": ""}
    # both spellings are now right; accepting again is refused
    again = client.post(_url(short_quiz, "response_accept"), {"response": "normalised-exponential."}, follow=True)
    assert "already gets full marks" in again.content.decode()


def test_a_typed_star_is_accepted_as_a_literal_star(cast, make_quiz):
    quiz = make_quiz(qtypes=["short_answer"])
    take(quiz, cast.student, {"text": "Q*K"})
    client_for(cast.instructor).post(_url(quiz, "response_accept"), {"response": "Q*K"})
    assert quiz.questions.get().latest_version.spec["answers"][-1]["text"] == "Q\\*K"


def test_accepting_a_numeric_response(cast, make_quiz):
    quiz = make_quiz(qtypes=["numeric"])
    take(quiz, cast.student, {"value": "8,0"})
    client_for(cast.instructor).post(_url(quiz, "response_accept"), {"response": "6.5"})
    answer = quiz.questions.get().latest_version.spec["answers"][-1]
    assert (answer["kind"], answer["value"], answer["fraction"]) == ("tolerance", 6.5, 1.0)


def test_choice_questions_are_reported_by_option_text_without_accept(cast, make_quiz):
    quiz = make_quiz(qtypes=["single_choice"])
    choice = next(c for c in quiz.questions.get().latest_version.spec["choices"] if c["text"] == "Tanh")
    take(quiz, cast.student, {"choice": choice["id"]})
    page = client_for(cast.instructor).get(_url(quiz)).content.decode()
    assert "Tanh" in page and "Accept as right" not in page
    refused = client_for(cast.instructor).post(_url(quiz, "response_accept"), {"response": "Tanh"}, follow=True)
    assert "Only short-answer and numeric questions" in refused.content.decode()


@pytest.mark.parametrize("who", ["other_instructor", "student", "other_student"])
def test_only_the_quizs_authors_see_or_accept(cast, short_quiz, who):
    client = client_for(getattr(cast, who))
    assert client.get(_url(short_quiz)).status_code == 404
    assert client.get(reverse("quiz_authoring:responses_first", args=[short_quiz.pk])).status_code == 404
    assert client.post(_url(short_quiz, "response_accept"), {"response": "anything"}).status_code == 404
    assert len(short_quiz.questions.get().latest_version.spec["answers"]) == 2


def test_a_question_of_another_quiz_is_not_found(cast, short_quiz, make_quiz):
    other = make_quiz(qtypes=["short_answer"])
    url = reverse("quiz_authoring:responses", args=[short_quiz.pk, other.questions.get().pk])
    assert client_for(cast.instructor).get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(short_quiz):
    reply = client_for(None).get(_url(short_quiz))
    assert reply.status_code == 404 or "/accounts/login/" in reply.get("Location", "")
