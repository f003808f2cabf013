"""Issue 16's "done when", lived through the pages by a new instructor and a new learner.

An instructor builds a quiz with a random slot and interactive behaviour and gives one learner extra
time; the learner takes it, misses two questions after their hints, and meets them again at /review/
on the days FSRS schedules them (the clock is moved, not waited for).
"""
import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.forms.quiz import review_field_name
from quizzes.models import REVIEW_ITEMS, REVIEW_TIMES, Attempt, Quiz
from quizzes.review.models import ReviewCard
from quizzes.review.questions import card_question
from quizzes.services.questions import question_create
from tests.conftest import QUESTION_SPECS, client_for
from tests.quiz_ids import choice, pick

pytestmark = pytest.mark.django_db

HINTS = ["Think of what turns scores into probabilities.", "Its outputs are positive and sum to one."]


def _question_bank(cast, count: int = 6) -> Quiz:
    """An unpublished quiz holding the course's softmax questions, each with two hints."""
    bank = Quiz.objects.create(lesson=cast.lesson, slug="bank", title="Question bank", is_published=False)
    for n in range(count):
        spec = dict(QUESTION_SPECS["single_choice"], title=f"Softmax {n}", text=f"Which function normalises scores? ({n})",
                    tags=["softmax"], hints=HINTS, penalty=0.25)
        question_create(quiz=bank, spec=spec, user=cast.instructor)
    return bank


def _review_boxes_as_the_form_shows_them() -> dict:
    """The review option checkboxes, ticked as a new quiz's form shows them (everything, at every time)."""
    return {review_field_name(item, time): "on" for item in REVIEW_ITEMS for time in REVIEW_TIMES}


def _build_quiz_as_instructor(cast) -> Quiz:
    teacher = client_for(cast.instructor)
    created = teacher.post(reverse("quiz_authoring:quiz_create", args=[cast.course.slug, cast.lesson.slug]), {
        "title": "Softmax drill", "attempts_allowed": "2", "time_limit_minutes": "10", "grading_method": "highest",
        "pass_percent": "60", "shuffle_choices": "on", "behaviour": "interactive",
        **_review_boxes_as_the_form_shows_them()})
    assert created.status_code == 302, created.content.decode()[:2000]
    quiz = Quiz.objects.get(title="Softmax drill")
    assert quiz.behaviour == "interactive" and not quiz.is_published
    slot = teacher.post(reverse("quiz_authoring:random_slot_create", args=[quiz.pk]),
                        {"draw_count": "3", "lesson": "", "category": "", "tag": "softmax"})
    assert slot.status_code in (200, 302) and quiz.random_slots.count() == 1
    published = teacher.post(reverse("quiz_authoring:quiz_publish", args=[quiz.pk]), {"publish": "1"})
    assert published.status_code == 302
    extra = teacher.post(reverse("quiz_authoring:overrides", args=[quiz.pk]), {
        "new-user": cast.student.pk, "new-time_limit_minutes": "25", "new-reason": "Accommodation: extended time"})
    assert extra.status_code in (200, 302), extra.content.decode()[:2000]
    quiz.refresh_from_db()
    assert quiz.is_published and quiz.overrides.get().user == cast.student, extra.content.decode()[:3000]
    return quiz


def _text_of(card: ReviewCard) -> str:
    return card.question.latest_version.spec["text"]


def _check(client, attempt: Attempt, question_id: int, text: str) -> str:
    reply = client.post(reverse("quizzes:answer_check", args=[attempt.pk, question_id]),
                        {f"q{question_id}-choice": choice(attempt, question_id, text), f"q{question_id}-present": "1"},
                        HTTP_HX_REQUEST="true")
    assert reply.status_code == 200, reply.content.decode()[:2000]
    return reply.content.decode()


def test_a_random_interactive_quiz_with_extra_time_feeds_the_learners_review_queue(cast, monkeypatch):
    bank = _question_bank(cast)
    quiz = _build_quiz_as_instructor(cast)
    learner = client_for(cast.student)

    # the learner starts: three questions drawn from the bank, 25 minutes instead of the quiz's 10
    started = learner.post(reverse("quizzes:attempt_start", args=[quiz.pk]))
    assert started.status_code == 302
    attempt = Attempt.objects.get(quiz=quiz, user=cast.student)
    drawn = [question for question, _ in attempt.layout]
    assert len(drawn) == 3 and set(drawn) <= set(bank.questions.values_list("pk", flat=True))
    assert timedelta(minutes=24) < attempt.deadline - attempt.started_at <= timedelta(minutes=25)
    classmate_attempt = Attempt.objects.get(pk=client_for(cast.classmate).post(
        reverse("quizzes:attempt_start", args=[quiz.pk])).url.rstrip("/").split("/")[-1])
    assert classmate_attempt.deadline - classmate_attempt.started_at <= timedelta(minutes=10)
    page = learner.get(attempt.get_absolute_url()).content.decode()
    assert "Check</button>" in page and HINTS[0] not in page

    # two questions missed after both hints, one right at the first try
    missed, right = drawn[:2], drawn[2]
    for question in missed:
        first = _check(learner, attempt, question, "ReLU")
        assert HINTS[0] in first and HINTS[1] not in first
        second = _check(learner, attempt, question, "Tanh")
        assert HINTS[1] in second
        last = _check(learner, attempt, question, "ReLU")
        assert "Finished." in last and "Mark: 0 / 1" in last
    assert "Mark: 1 / 1" in _check(learner, attempt, right, "Softmax")
    submitted = learner.post(reverse("quizzes:attempt_submit", args=[attempt.pk]))
    assert submitted.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.state, attempt.marks, attempt.max_marks) == ("submitted", 1.0, 3.0)
    review = learner.get(reverse("quizzes:attempt_review", args=[attempt.pk])).content.decode()
    assert review.count("3 tries") == 2 and "1 try<" in review

    # both missed questions wait at /review/; the one answered right does not
    cards = {card.question_id: card for card in ReviewCard.objects.filter(user=cast.student)}
    assert set(cards) == set(missed)
    queue = learner.get("/review/").content.decode()
    assert sum(_text_of(cards[question]) in queue for question in missed) == 1  # one card at a time
    assert _text_of(cards[missed[0]]) in queue or _text_of(cards[missed[1]]) in queue
    assert "Due today: 2 questions to review" in learner.get("/progress/").content.decode()

    # the learner answers each right and rates it Good; FSRS moves each out by its own schedule
    for question in missed:
        _review_right_and_rate_good(learner, cards[question])
    scheduled = {card.pk: card.due for card in ReviewCard.objects.filter(user=cast.student)}
    assert all(due > timezone.now() for due in scheduled.values())
    assert "Nothing to review right now" in learner.get("/review/").content.decode()

    # moved clock: each time the next card falls due, nothing shows a moment before and that question
    # shows at it; answered right and rated Good each time, FSRS spaces the reviews out to whole days
    reviewed_at: dict[int, list] = {question: [] for question in missed}
    for _ in range(6):
        card = ReviewCard.objects.filter(user=cast.student).order_by("due").first()
        due = card.due
        monkeypatch.setattr(timezone, "now", lambda due=due: due - timedelta(seconds=30))
        assert "Nothing to review right now" in learner.get("/review/").content.decode()
        monkeypatch.setattr(timezone, "now", lambda due=due: due + timedelta(seconds=1))
        assert _text_of(card) in learner.get("/review/").content.decode()
        _review_right_and_rate_good(learner, card)
        reviewed_at[card.question_id].append(due)
    assert all(len(days) >= 2 for days in reviewed_at.values()), reviewed_at
    for days in reviewed_at.values():
        gaps = [later - earlier for earlier, later in zip(days, days[1:])]
        assert gaps == sorted(gaps) and gaps[-1] >= timedelta(days=1), gaps  # each Good pushes it further out
    # and the quiz grade never moved: review is practice only
    attempt.refresh_from_db()
    assert attempt.marks == 1.0


def _review_right_and_rate_good(learner, card: ReviewCard) -> None:
    checked = learner.post(f"/review/cards/{card.pk}/check/",
                           {f"q{card.question_id}-choice": pick(card_question(card).public(), "Softmax")})
    assert checked.status_code == 200 and "quiz-state--correct" in checked.content.decode()
    form = {name: html.unescape(re.search(rf'name="{name}" value="([^"]*)"', checked.content.decode()).group(1))
            for name in ("response", "seen")}
    rated = learner.post(f"/review/cards/{card.pk}/rate/", {"rating": "3", **form})
    assert rated.status_code == 302
