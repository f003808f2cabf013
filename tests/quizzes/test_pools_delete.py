"""A bank quiz's questions drawn into other quizzes' attempts: no delete, by any path, empties those attempts.

The rule already sits in one place, Answer.version (PROTECT): deleting a question cascades to its versions,
which answers protect, so every path that ends in Question.delete (the admin, a queryset, a lesson or course
cascade) is refused while any attempt, this quiz's or another's, holds an answer to it. These tests pin that
for drawn questions; the authoring page and the API soft-delete instead.
"""
import pytest
from django.db.models import ProtectedError
from django.urls import reverse
from rest_framework.test import APIClient

from courses.models import Lesson
from quizzes.models import Answer, Attempt, Question, Quiz
from quizzes.pools.services import SlotInput, random_slot_create
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
from tests.conftest import client_for
from tests.quizzes.pool_setup import make_bank

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(cast, make_quiz):
    """A bank in the draft lesson, and a quiz in the first lesson whose slot drew both of its questions
    into the student's submitted attempt."""
    bank = make_bank(lesson=cast.draft, user=cast.instructor, count=2)
    quiz = make_quiz()
    random_slot_create(quiz=quiz, data=SlotInput(draw_count=2, tag="softmax"))
    attempt = attempt_start(quiz=quiz, user=cast.student)
    for question_id, _ in attempt.layout:
        answer_save(attempt=attempt, question_id=question_id, response={"choice": "b"})
    attempt_submit(attempt=attempt)
    return bank, quiz, attempt


def _answers_intact(attempt: Attempt) -> None:
    assert Answer.objects.filter(attempt=attempt).count() == 3  # one fixed question, two drawn


def test_deleting_the_bank_quiz_in_code_is_refused_and_the_answers_survive(drawn):
    bank, _, attempt = drawn
    with pytest.raises(ProtectedError):
        bank.delete()
    assert Quiz.objects.filter(pk=bank.pk).exists()
    _answers_intact(attempt)


def test_deleting_a_drawn_question_or_a_queryset_of_them_is_refused(drawn):
    bank, _, attempt = drawn
    with pytest.raises(ProtectedError):
        bank.questions.first().delete()
    with pytest.raises(ProtectedError):
        Question.objects.filter(quiz=bank).delete()
    assert bank.questions.count() == 2
    _answers_intact(attempt)


def test_deleting_the_banks_lesson_is_refused(cast, drawn):
    _, _, attempt = drawn
    with pytest.raises(ProtectedError):
        cast.draft.delete()
    assert Lesson.objects.filter(pk=cast.draft.pk).exists()
    _answers_intact(attempt)


def test_deleting_the_whole_course_is_refused_too(cast, drawn):
    _, _, attempt = drawn
    with pytest.raises(ProtectedError):
        cast.course.delete()
    _answers_intact(attempt)


def test_a_bank_nobody_drew_from_can_still_be_deleted(cast):
    bank = make_bank(lesson=cast.draft, user=cast.instructor, count=2)
    bank.delete()
    assert not Question.objects.filter(quiz_id=bank.pk).exists()


@pytest.mark.parametrize("model, target", [("quiz", "bank"), ("question", "question"), ("lesson", "lesson")])
def test_the_admin_refuses_with_the_protected_answers_listed(cast, drawn, model, target):
    bank, _, attempt = drawn
    obj = {"bank": bank, "question": bank.questions.first(), "lesson": cast.draft}[target]
    app = "courses" if model == "lesson" else "quizzes"
    url = reverse(f"admin:{app}_{model}_delete", args=[obj.pk])
    page = client_for(cast.admin).post(url, {"post": "yes"})
    assert page.status_code == 200  # the confirmation page again, not a redirect after deleting
    text = page.content.decode()
    assert "would require deleting the following protected related objects" in text
    assert "Answer" in text
    assert type(obj).objects.filter(pk=obj.pk).exists()
    _answers_intact(attempt)


def test_the_admin_bulk_delete_action_refuses_too(cast, drawn):
    bank, quiz, attempt = drawn
    page = client_for(cast.admin).post(reverse("admin:quizzes_quiz_changelist"), {
        "action": "delete_selected", "_selected_action": [bank.pk], "post": "yes"})
    assert page.status_code == 200 and "protected related objects" in page.content.decode()
    assert Quiz.objects.filter(pk=bank.pk).exists()
    _answers_intact(attempt)


def test_the_authoring_delete_hides_a_drawn_question_and_keeps_its_answers(cast, drawn):
    bank, _, attempt = drawn
    question = bank.questions.first()
    response = client_for(cast.instructor).post(reverse("quiz_authoring:question_delete", args=[bank.pk, question.pk]))
    assert response.status_code in (200, 302)
    question.refresh_from_db()
    assert question.is_deleted
    _answers_intact(attempt)


def test_the_api_delete_hides_a_drawn_question_and_keeps_its_answers(cast, drawn):
    bank, _, attempt = drawn
    question = bank.questions.first()
    client = APIClient()
    client.force_authenticate(cast.instructor)
    assert client.delete(f"/api/quiz-questions/{question.pk}/").status_code == 204
    question.refresh_from_db()
    assert question.is_deleted
    _answers_intact(attempt)
