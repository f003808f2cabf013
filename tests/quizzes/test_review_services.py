"""The review queue's services: missed questions enter once, FSRS schedules them on a moved clock,
ratings move the schedule, replays never log twice, and no quiz grade ever changes."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from fsrs import Card, Rating, Scheduler

from quizzes.models import Answer
from quizzes.review.models import ReviewCard, ReviewLog
from quizzes.review.questions import card_question
from quizzes.review.selectors import review_card_next, review_cards_due, review_due_count
from quizzes.review.services import review_card_rate, review_cards_add_from_attempt
from quizzes.selectors import final_grade_for_user
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
from tests.quizzes.review_setup import WRONG, miss_two

pytestmark = pytest.mark.django_db


def public_answer(card, authored: dict) -> dict:
    """An authored-id response in the card's public ids, as the page or the API would post it."""
    return card_question(card).response_to_public(authored)


def test_two_missed_questions_enter_the_queue_and_the_right_one_does_not(cast, make_quiz):
    missed = miss_two(make_quiz, cast.student)
    due = review_cards_due(user=cast.student)
    assert {card.pk for card in due} == {missed.choice_card.pk, missed.true_false_card.pk}
    assert not ReviewCard.objects.filter(question_id=missed.right_question_id).exists()
    assert review_due_count(user=cast.student) == 2
    assert review_cards_due(user=cast.classmate) == []


def test_adding_again_resubmitting_and_a_second_miss_never_duplicate_a_card(cast, make_quiz):
    missed = miss_two(make_quiz, cast.student)
    review_cards_add_from_attempt(attempt=missed.attempt)
    attempt_submit(attempt=missed.attempt)  # a second submit (another tab) is a no-op
    second = attempt_start(quiz=missed.attempt.quiz, user=cast.student)
    by_type = {second.answers.get(question_id=q).version.qtype: q for q, _ in second.layout}
    answer_save(attempt=second, question_id=by_type["single_choice"], response=WRONG["single_choice"])
    attempt_submit(attempt=second)  # misses single_choice again, and true/false and numeric unanswered
    assert ReviewCard.objects.filter(user=cast.student, question_id=missed.choice_card.question_id).count() == 1
    assert ReviewCard.objects.filter(user=cast.student).count() == 3  # the numeric question, unanswered now
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewCard.objects.create(user=cast.student, question_id=missed.choice_card.question_id, due=timezone.now())


def test_essays_and_quizzes_that_hide_correctness_stay_out(cast, make_quiz):
    hidden = {item: {time: False for time in ["immediately", "later", "after_close"]}
              for item in ["correctness", "marks", "feedback", "general_feedback", "right_answer"]}
    quiz = make_quiz(qtypes=["single_choice"], review_options=hidden)
    attempt_submit(attempt=attempt_start(quiz=quiz, user=cast.student))
    essay_quiz = make_quiz(qtypes=["essay"])
    attempt_submit(attempt=attempt_start(quiz=essay_quiz, user=cast.student))
    assert not ReviewCard.objects.filter(user=cast.student).exists()


def test_cards_come_due_on_the_days_fsrs_schedules(cast, make_quiz):
    missed = miss_two(make_quiz, cast.student)
    card = missed.choice_card
    start = card.due
    right = public_answer(card, {"choice": "b"})
    # FSRS itself, on a fresh card, fed the same ratings at the same moments (fuzzing off, as ours).
    reference, scheduler = Card(), Scheduler(enable_fuzzing=False)

    # day 0: remembered (Good) -> a learning step of 10 minutes
    rated = review_card_rate(card=card, user=cast.student, response=right, rating=None, seen_reviews=0, now=start)
    reference, _ = scheduler.review_card(reference, Rating.Good, review_datetime=start)
    assert rated.log.rating == Rating.Good  # the default for a right answer
    assert rated.card.due == reference.due == start + timedelta(minutes=10)
    assert review_card_next(user=cast.student, now=start + timedelta(minutes=9)).pk != card.pk
    assert card.pk in {c.pk for c in review_cards_due(user=cast.student, now=start + timedelta(minutes=10))}

    # 10 minutes later: Good again -> it graduates; FSRS picks a day some days ahead
    second = start + timedelta(minutes=10)
    rated = review_card_rate(card=rated.card, user=cast.student, response=right, rating=3, seen_reviews=1, now=second)
    reference, _ = scheduler.review_card(reference, Rating.Good, review_datetime=second)
    assert rated.card.due == reference.due
    days = (rated.card.due - second).days
    assert days >= 1
    assert card.pk not in {c.pk for c in review_cards_due(user=cast.student, now=rated.card.due - timedelta(minutes=1))}
    assert card.pk in {c.pk for c in review_cards_due(user=cast.student, now=rated.card.due)}

    # on that day: Easy pushes the next review further out than Good would have
    third = rated.card.due
    good_reference, _ = scheduler.review_card(reference, Rating.Good, review_datetime=third)
    rated = review_card_rate(card=rated.card, user=cast.student, response=right, rating=4, seen_reviews=2, now=third)
    reference, _ = scheduler.review_card(reference, Rating.Easy, review_datetime=third)
    assert rated.card.due == reference.due > good_reference.due
    assert list(ReviewLog.objects.filter(card=card).values_list("number", "rating")) == [(1, 3), (2, 3), (3, 4)]


def test_a_wrong_answer_defaults_to_again_and_comes_back_in_a_minute(cast, make_quiz):
    missed = miss_two(make_quiz, cast.student)
    card, now = missed.true_false_card, missed.true_false_card.due
    rated = review_card_rate(card=card, user=cast.student, response={"value": False}, rating=None, seen_reviews=0, now=now)
    assert (rated.result.state, rated.log.rating, rated.log.fraction) == ("incorrect", 1, 0.0)
    assert rated.card.due == now + timedelta(minutes=1)
    assert rated.card.last_rating == 1 and rated.card.reviews == 1


def test_a_replayed_rating_is_refused_and_logged_once(cast, make_quiz):
    missed = miss_two(make_quiz, cast.student)
    card = missed.true_false_card
    later = card.due + timedelta(days=30)  # due either way: only the replay guard can refuse it
    review_card_rate(card=card, user=cast.student, response={"value": True}, rating=3, seen_reviews=0, now=later)
    with pytest.raises(ValidationError) as refused:
        review_card_rate(card=card, user=cast.student, response={"value": True}, rating=3, seen_reviews=0,
                         now=later + timedelta(days=30))
    assert refused.value.code == "already_reviewed"
    assert ReviewLog.objects.filter(card=card).count() == 1


def test_a_card_not_yet_due_and_another_learners_card_are_refused(cast, make_quiz):
    missed = miss_two(make_quiz, cast.student)
    card = missed.true_false_card
    with pytest.raises(ValidationError) as refused:
        review_card_rate(card=card, user=cast.student, response={}, rating=3, seen_reviews=0,
                         now=card.due - timedelta(seconds=1))
    assert refused.value.code == "not_due"
    with pytest.raises(ReviewCard.DoesNotExist):
        review_card_rate(card=card, user=cast.classmate, response={}, rating=3, seen_reviews=0)
    assert ReviewLog.objects.count() == 0


def test_reviewing_never_changes_a_quiz_grade(cast, make_quiz):
    missed = miss_two(make_quiz, cast.student)
    before_grade = final_grade_for_user(quiz=missed.attempt.quiz, user=cast.student)
    before_answers = list(Answer.objects.filter(attempt=missed.attempt).values_list("id", "response", "fraction", "marks"))
    card = missed.choice_card
    review_card_rate(card=card, user=cast.student, response=public_answer(card, {"choice": "b"}), rating=4,
                     seen_reviews=0, now=card.due)
    missed.attempt.refresh_from_db()
    assert missed.attempt.marks == 1.0 and missed.attempt.max_marks == 3.0
    assert final_grade_for_user(quiz=missed.attempt.quiz, user=cast.student) == before_grade
    assert list(Answer.objects.filter(attempt=missed.attempt).values_list("id", "response", "fraction", "marks")) == before_answers


def test_an_answer_in_the_authored_ids_instead_of_the_cards_is_refused(cast, make_quiz):
    missed = miss_two(make_quiz, cast.student)
    card = missed.choice_card
    with pytest.raises(ValidationError) as refused:
        review_card_rate(card=card, user=cast.student, response={"choice": "b"}, rating=3, seen_reviews=0)
    assert refused.value.code == "bad_response"
    assert ReviewLog.objects.count() == 0


def test_picking_the_next_card_takes_the_same_queries_however_many_cards(cast, make_quiz, django_assert_num_queries):
    miss_two(make_quiz, cast.student)
    with django_assert_num_queries(1):
        review_card_next(user=cast.student)
    for _ in range(5):
        miss_two(make_quiz, cast.student)
    with django_assert_num_queries(1):
        assert review_card_next(user=cast.student) is not None
    with django_assert_num_queries(1):
        assert review_due_count(user=cast.student) == 12
