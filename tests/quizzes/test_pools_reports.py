"""Drawn questions live in a bank quiz, yet the quiz's statistics, regrade and grades count them per question."""
import re

import pytest
from django.urls import reverse

from progress.selectors.reports import quiz_report
from quizzes.selectors import final_grade_for_user
from quizzes.selectors_reports import questions_answered_on_old_versions, quiz_statistics
from quizzes.pools.services import SlotInput, random_slot_create
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
from quizzes.services.questions import question_update
from quizzes.services.regrade import quiz_regrade
from tests.conftest import client_for
from tests.factories import UserFactory, enroll
from tests.quizzes.pool_setup import make_bank

pytestmark = pytest.mark.django_db


@pytest.fixture
def pooled(cast, make_quiz):
    """A quiz with one fixed question and a slot drawing 2 of a 2-question bank (so every attempt has
    both, in a seeded order); three learners answer "b" (right) everywhere except as listed."""
    bank = make_bank(lesson=cast.lesson, user=cast.instructor, count=2)
    quiz = make_quiz()
    random_slot_create(quiz=quiz, data=SlotInput(draw_count=2, tag="softmax"))
    first_bank, second_bank = bank.questions.order_by("id")
    wrong = {"pool-a": set(), "pool-b": {second_bank.id}, "pool-c": {first_bank.id, second_bank.id}}
    for username, wrong_ids in wrong.items():
        learner = enroll(UserFactory(username=username), cast.course).user
        attempt = attempt_start(quiz=quiz, user=learner)
        for question_id, _ in attempt.layout:
            answer_save(attempt=attempt, question_id=question_id, response={"choice": "a" if question_id in wrong_ids else "b"})
        attempt_submit(attempt=attempt)
    return quiz, first_bank, second_bank


def test_item_statistics_list_the_drawn_questions_with_their_own_figures(cast, pooled):
    quiz, first_bank, second_bank = pooled
    stats = quiz_statistics(quiz=quiz)
    by_id = {q.question_id: q for q in stats.questions}
    assert set(by_id) == {quiz.questions.get().id, first_bank.id, second_bank.id}
    assert by_id[first_bank.id].facility == pytest.approx(200 / 3)
    assert by_id[second_bank.id].facility == pytest.approx(100 / 3)
    assert by_id[first_bank.id].title == "Bank 0" and by_id[first_bank.id].responses == 3
    page = client_for(cast.instructor).get(reverse("quiz_authoring:statistics", args=[quiz.pk]))
    assert page.status_code == 200 and "Bank 0" in page.content.decode() and "Bank 1" in page.content.decode()


def test_the_progress_quiz_report_agrees_on_drawn_questions(pooled):
    quiz, first_bank, second_bank = pooled
    facilities = {question.question_id: question.facility for question, _ in quiz_report(quiz=quiz).items}
    assert facilities[first_bank.id] == pytest.approx(200 / 3) and facilities[second_bank.id] == pytest.approx(100 / 3)


def test_grades_count_drawn_questions(cast, pooled):
    quiz, _, _ = pooled
    learner = quiz.attempts.get(user__username="pool-b").user
    assert final_grade_for_user(quiz=quiz, user=learner).percent == pytest.approx(200 / 3)


def test_regrade_brings_drawn_questions_to_their_latest_version(cast, pooled):
    quiz, first_bank, _ = pooled
    fixed = dict(first_bank.latest_version.spec)
    fixed["choices"] = [dict(c, fraction=1.0 if c["id"] == "a" else 0.0) for c in fixed["choices"]]
    question_update(question=first_bank, spec=fixed, user=cast.instructor)  # "a" is now the right answer
    outdated = questions_answered_on_old_versions(quiz=quiz)
    assert [(o.question_id, o.attempts) for o in outdated] == [(first_bank.id, 3)]
    report = quiz_regrade(quiz=quiz, user=cast.instructor, dry_run=False)
    changes = {c.user.username: (c.old_marks, c.new_marks) for c in report.changes}
    assert changes == {"pool-a": (3.0, 2.0), "pool-b": (2.0, 1.0), "pool-c": (1.0, 2.0)}
    assert questions_answered_on_old_versions(quiz=quiz) == []
    assert quiz_regrade(quiz=quiz, user=cast.instructor, dry_run=True).changes == []


def test_a_learner_attempt_page_shows_drawn_questions_but_not_the_pool(cast, make_quiz):
    make_bank(lesson=cast.lesson, user=cast.instructor, count=5, tags=("pool-secret-tag",), category="Secret/Category")
    quiz = make_quiz()
    random_slot_create(quiz=quiz, data=SlotInput(draw_count=1, tag="pool-secret-tag"))
    client = client_for(cast.student)
    started = client.post(reverse("quizzes:attempt_start", args=[quiz.pk]), follow=True)
    html = started.content.decode()
    assert started.status_code == 200
    assert html.count("Which function normalises scores?") == 2  # the fixed question and one drawn
    assert "pool-secret-tag" not in html and "Secret/Category" not in html  # how the pool is chosen
    assert "Bank questions" not in html  # the bank quiz's name
    assert len(set(re.findall(r"Bank \d", html))) <= 1  # at most the drawn question's own title
    attempt = quiz.attempts.get()
    api = client.get(f"/api/attempts/{attempt.pk}/").content.decode()
    assert "pool-secret-tag" not in api and "Secret/Category" not in api and len(set(re.findall(r"Bank \d", api))) <= 1


def test_the_marks_summaries_use_are_those_of_the_statistics_questions(cast, pooled):
    from quizzes.selectors_reports import live_question_marks, live_questions
    from quizzes.services.questions import question_delete

    quiz, first_bank, second_bank = pooled
    question_update(question=second_bank, spec=dict(second_bank.latest_version.spec, default_mark=2.5), user=None)
    question_delete(question=first_bank)
    questions, latest = live_questions(quiz=quiz)
    expected = {q.id: latest[q.id].max_mark for q in questions}
    assert live_question_marks(quiz=quiz) == expected == {quiz.questions.get().id: 1.0, second_bank.id: 2.5}
