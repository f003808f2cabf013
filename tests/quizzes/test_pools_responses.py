"""The responses report lists the questions a quiz's random slots drew from a bank, with the responses given
in that quiz's attempts only, and a typed response to one can be accepted from there."""
import pytest
from django.urls import reverse

from quizzes.models import Quiz
from quizzes.pools.models import DrawnQuestion
from quizzes.pools.services import SlotInput, random_slot_create
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
from quizzes.services.questions import question_create
from tests.conftest import QUESTION_SPECS, client_for
from tests.factories import UserFactory, enroll

pytestmark = pytest.mark.django_db


def _take(quiz, user, text: str):
    """Answer every question of a fresh attempt with `text` (choices get "b")."""
    attempt = attempt_start(quiz=quiz, user=user)
    for question_id, _ in attempt.layout:
        question = quiz.questions.filter(pk=question_id).first()
        response = {"choice": "b"} if question is not None else {"text": text}
        answer_save(attempt=attempt, question_id=question_id, response=response)
    return attempt_submit(attempt=attempt)


@pytest.fixture
def bank(cast):
    bank = Quiz.objects.create(lesson=cast.draft, slug="bank", title="Typed bank", is_published=False)
    question_create(quiz=bank, spec=dict(QUESTION_SPECS["short_answer"], title="Typed one", tags=["typed"]), user=cast.instructor)
    return bank


@pytest.fixture
def two_quizzes(cast, make_quiz, bank):
    """Two quizzes drawing the bank's one question: two learners answer in the first, one in the second."""
    first, second = make_quiz(), make_quiz()
    for quiz in (first, second):
        random_slot_create(quiz=quiz, data=SlotInput(draw_count=1, tag="typed"))
    _take(first, cast.student, "Normalised exponential")
    _take(first, cast.classmate, "normalised exponential")
    _take(second, enroll(UserFactory(username="third"), cast.course).user, "Only in the second quiz")
    return first, second


def _url(quiz, question, name="responses"):
    return reverse(f"quiz_authoring:{name}", args=[quiz.pk, question.pk])


def test_the_report_lists_the_drawn_question_with_this_quizs_responses(cast, bank, two_quizzes):
    first, _ = two_quizzes
    drawn = bank.questions.get()
    page = client_for(cast.instructor).get(_url(first, drawn)).content.decode()
    assert "Typed one" in page and "Drawn by a random slot from “Typed bank”" in page
    assert "2 submitted responses" in page and "Normalised exponential" in page
    assert "Only in the second quiz" not in page
    assert _url(first, drawn) in page and _url(first, first.questions.get()) in page  # both in the question list


def test_each_quiz_and_the_bank_itself_count_their_own_attempts_only(cast, bank, two_quizzes):
    _, second = two_quizzes
    drawn = bank.questions.get()
    client = client_for(cast.instructor)
    page = client.get(_url(second, drawn)).content.decode()
    assert "1 submitted response," in page and "Only in the second quiz" in page and "Normalised" not in page
    own = client.get(_url(bank, drawn)).content.decode()
    assert "No submitted responses to this question yet." in own


def test_a_quiz_with_only_a_random_slot_opens_on_its_drawn_question(cast, bank):
    quiz = Quiz.objects.create(lesson=cast.lesson, slug="only-random", title="Only random", is_published=True)
    random_slot_create(quiz=quiz, data=SlotInput(draw_count=1, tag="typed"))
    _take(quiz, cast.student, "softmax")
    reply = client_for(cast.instructor).get(reverse("quiz_authoring:responses_first", args=[quiz.pk]))
    assert reply.status_code == 302 and reply.url == _url(quiz, bank.questions.get())


def test_accepting_a_drawn_response_changes_the_bank_question(cast, bank, two_quizzes):
    first, _ = two_quizzes
    drawn = bank.questions.get()
    reply = client_for(cast.instructor).post(_url(first, drawn, "response_accept"), {"response": "Normalised exponential"})
    assert reply.status_code == 302 and reply.url.startswith(reverse("quiz_authoring:regrade", args=[first.pk]))
    assert drawn.latest_version.spec["answers"][-1]["text"] == "Normalised exponential"


def test_questions_not_drawn_here_or_of_another_course_are_404(cast, make_quiz, bank, two_quizzes):
    first, _ = two_quizzes
    undrawn = make_quiz()  # a quiz of the course whose question no slot of `first` drew
    other = Quiz.objects.create(lesson=cast.other_course.lessons.create(slug="x", title="X"), slug="o", title="O")
    foreign = question_create(quiz=other, spec=QUESTION_SPECS["short_answer"], user=cast.other_instructor)
    client = client_for(cast.instructor)
    for question in (undrawn.questions.get(), foreign):
        assert not DrawnQuestion.objects.filter(quiz=first, question=question).exists()
        assert client.get(_url(first, question)).status_code == 404
        assert client.post(_url(first, question, "response_accept"), {"response": "x"}).status_code == 404


@pytest.mark.parametrize("who", ["student", "classmate", "other_instructor"])
def test_only_the_courses_authors_see_drawn_responses(cast, bank, two_quizzes, who):
    first, _ = two_quizzes
    drawn = bank.questions.get()
    client = client_for(getattr(cast, who))
    assert client.get(_url(first, drawn)).status_code == 404
    assert client.post(_url(first, drawn, "response_accept"), {"response": "x"}).status_code == 404
    assert len(drawn.versions.all()) == 1
