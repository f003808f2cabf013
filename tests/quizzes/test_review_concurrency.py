"""Two requests at once: rating the same card (a double click, two tabs) logs one review; queuing
the same attempt's misses twice makes one card per question.

Real threads on committed data (transaction=True); on SQLite in a child pytest on a file database
(tests/file_database.py explains why), on PostgreSQL in this process.
"""
import threading

import pytest
from django.db import connection

from quizzes.review.models import ReviewCard, ReviewLog
from quizzes.review.services import review_card_rate, review_cards_add_from_attempt
from tests.file_database import file_database_split
from tests.quizzes.review_setup import miss_two

threaded, django_db_modify_db_settings, test_threaded_tests_pass_on_a_file_database = file_database_split(
    env_var="REVIEW_CONCURRENCY_SQLITE_FILE", test_file=__file__, threaded_tests=2
)


def run_twice(work) -> list:
    start, outcomes = threading.Barrier(2), []

    def run():
        try:
            start.wait()
            outcomes.append(work())
        except Exception as error:  # noqa: BLE001 — the assertions read what happened
            outcomes.append(getattr(error, "code", repr(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


@threaded
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_ratings_of_one_card_log_one_review(cast, make_quiz):
    card = miss_two(make_quiz, cast.student).true_false_card
    outcomes = run_twice(lambda: review_card_rate(card=card, user=cast.student, response={"value": True},
                                                  rating=3, seen_reviews=0).log.number)
    assert sorted(outcomes, key=str) == sorted([1, "already_reviewed"], key=str)
    assert ReviewLog.objects.filter(card=card).count() == 1
    assert ReviewCard.objects.get(pk=card.pk).reviews == 1


@threaded
@pytest.mark.django_db(transaction=True)
def test_queuing_one_attempt_twice_at_once_makes_one_card_per_question(cast, make_quiz):
    missed = miss_two(make_quiz, cast.student)
    ReviewCard.objects.all().delete()
    outcomes = run_twice(lambda: review_cards_add_from_attempt(attempt=missed.attempt))
    assert outcomes == [2, 2]
    assert ReviewCard.objects.filter(user=cast.student).count() == 2
