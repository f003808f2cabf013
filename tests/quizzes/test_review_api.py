"""/api/review/: the caller's due cards (public views only), answering with a rating, the same
rules as the page (own cards only, replays refused), and bad input as 400/413 JSON."""
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from quizzes.models import Answer
from quizzes.review.api import ReviewRateThrottle
from quizzes.review.models import ReviewLog
from tests.quiz_ids import pick
from tests.quizzes.review_setup import miss_two

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture(autouse=True)
def fresh_allowance(cast):
    """Rate-limit counts live in the shared cache and user ids repeat between tests: start each at zero."""
    for user in (cast.student, cast.classmate):
        cache.delete(ReviewRateThrottle.cache_format % {"scope": ReviewRateThrottle.scope, "ident": user.pk})


@pytest.fixture
def missed(cast, make_quiz):
    return miss_two(make_quiz, cast.student)


def listed_card(user, question_id: int) -> dict:
    return next(card for card in api(user).get("/api/review/").json()["cards"] if card["question"] == question_id)


def test_anonymous_callers_are_refused(missed):
    assert api().get("/api/review/").status_code in (401, 403)
    assert api().post(f"/api/review/{missed.choice_card.pk}/", {}, format="json").status_code in (401, 403)


def test_the_queue_lists_due_cards_with_public_views_only(cast, missed):
    reply = api(cast.student).get("/api/review/")
    assert reply.status_code == 200
    body = reply.json()
    assert body["due_today"] == 2
    assert {card["id"] for card in body["cards"]} == {missed.choice_card.pk, missed.true_false_card.pk}
    text = json.dumps(body)
    assert "SECRET" not in text and "fraction" not in text
    assert '"id": "a"' not in text and '"id": "b"' not in text  # choices by the card's own ids
    assert api(cast.classmate).get("/api/review/").json() == {"due_today": 0, "cards": []}


def test_answering_and_rating_schedules_the_card_and_a_replay_is_a_conflict(cast, missed):
    card = listed_card(cast.student, missed.choice_card.question_id)
    answer = {"response": {"choice": pick(card["public"], "Softmax")}, "rating": "good", "seen_reviews": card["reviews"]}
    reply = api(cast.student).post(f"/api/review/{card['id']}/", answer, format="json")
    assert reply.status_code == 200, reply.content
    body = reply.json()
    assert (body["state"], body["fraction"], body["rating"], body["reviews"]) == ("correct", 1.0, "good", 1)
    assert body["right_answer"] == answer["response"]  # in the card's ids, as the learner posted it
    replay = api(cast.student).post(f"/api/review/{card['id']}/", answer, format="json")
    assert replay.status_code == 409 and replay.json()["code"] in {"already_reviewed", "not_due"}
    assert ReviewLog.objects.filter(card_id=card["id"]).count() == 1
    assert missed.choice_card.pk not in {c["id"] for c in api(cast.student).get("/api/review/").json()["cards"]}


def test_without_a_rating_a_wrong_answer_is_rated_again_and_no_grade_moves(cast, missed):
    before = list(Answer.objects.filter(attempt=missed.attempt).values_list("fraction", "marks"))
    card = listed_card(cast.student, missed.true_false_card.question_id)
    reply = api(cast.student).post(f"/api/review/{card['id']}/", {"response": {"value": False}, "seen_reviews": 0},
                                   format="json")
    assert reply.status_code == 200 and reply.json()["rating"] == "again" and reply.json()["state"] == "incorrect"
    missed.attempt.refresh_from_db()
    assert missed.attempt.marks == 1.0
    assert list(Answer.objects.filter(attempt=missed.attempt).values_list("fraction", "marks")) == before


def test_another_learners_card_and_impossible_ids_are_not_found(cast, missed):
    card_id = missed.choice_card.pk
    assert api(cast.classmate).get(f"/api/review/{card_id}/").status_code == 404
    reply = api(cast.classmate).post(f"/api/review/{card_id}/", {"response": {}, "seen_reviews": 0}, format="json")
    assert reply.status_code == 404 and reply["Content-Type"].startswith("application/json")
    assert api(cast.student).get(f"/api/review/{2**70}/").status_code == 404
    assert ReviewLog.objects.count() == 0


@pytest.mark.parametrize("body", [
    {"response": {"value": True}, "rating": "great", "seen_reviews": 0},  # not a rating
    {"response": {"value": True}, "rating": "good\x00", "seen_reviews": 0},  # control character
    {"response": {"value": True}, "rating": 3.5, "seen_reviews": 0},
    {"response": [True], "seen_reviews": 0},  # not an object
    {"response": "true", "seen_reviews": 0},
    {"response": {"value": True}, "seen_reviews": "zero"},
    {"response": {"value": True}, "seen_reviews": -1},
    {"response": {"value": True}, "seen_reviews": 2**80},
    {"response": {"value": True}},  # missing
    {"response": {"value": "yes please"}, "seen_reviews": 0},  # wrong shape for true/false
    {"response": {"value": True, "text": "x" * 60_000}, "seen_reviews": 0},  # over the answer size limit
    [1, 2, 3],
])
def test_bad_input_is_a_400_json_answer_and_changes_nothing(cast, missed, body):
    reply = api(cast.student).post(f"/api/review/{missed.true_false_card.pk}/", body, format="json")
    assert reply.status_code == 400, reply.content
    assert reply["Content-Type"].startswith("application/json")
    assert ReviewLog.objects.count() == 0


def test_a_choice_id_with_control_characters_is_refused(cast, missed):
    card = listed_card(cast.student, missed.choice_card.question_id)
    softmax = pick(card["public"], "Softmax")
    with_nul = api(cast.student).post(f"/api/review/{card['id']}/", {"response": {"choice": softmax[:4] + "\x00\x07"},
                                      "seen_reviews": 0}, format="json")
    assert with_nul.status_code == 400 and "NUL" in with_nul.json()["detail"]  # the JSON reader's refusal
    reply = api(cast.student).post(f"/api/review/{card['id']}/", {"response": {"choice": softmax[:4] + "\x07"},
                                   "seen_reviews": 0}, format="json")
    assert reply.status_code == 400 and reply.json()["code"] == "bad_response"


def test_malformed_and_oversized_bodies_answer_json(cast, missed):
    url = f"/api/review/{missed.true_false_card.pk}/"
    broken = api(cast.student).post(url, "{not json", content_type="application/json")
    assert broken.status_code == 400 and broken["Content-Type"].startswith("application/json")
    huge = api(cast.student).post(url, json.dumps({"response": {"text": "x" * 2_000_000}, "seen_reviews": 0}),
                                  content_type="application/json")
    assert huge.status_code == 413 and huge["Content-Type"].startswith("application/json")
    assert ReviewLog.objects.count() == 0


def test_the_review_api_is_in_the_openapi_schema(cast):
    schema = api(cast.student).get("/api/schema/", {"format": "json"}).json()
    assert {"get"} <= set(schema["paths"]["/api/review/"])
    assert {"get", "post"} <= set(schema["paths"]["/api/review/{card_id}/"])


def test_listing_the_queue_takes_the_same_queries_for_two_cards_or_ten(cast, make_quiz):
    miss_two(make_quiz, cast.student)
    client = api(cast.student)
    with CaptureQueriesContext(connection) as two:
        assert len(client.get("/api/review/").json()["cards"]) == 2
    for _ in range(4):
        miss_two(make_quiz, cast.student)
    with CaptureQueriesContext(connection) as ten:
        assert len(client.get("/api/review/").json()["cards"]) == 10
    assert len(ten) == len(two)


def test_a_script_hammering_the_queue_is_throttled_per_user(cast, missed, monkeypatch):
    monkeypatch.setattr(ReviewRateThrottle, "rate", "3/min")
    client = api(cast.student)
    assert [client.get("/api/review/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert api(cast.classmate).get("/api/review/").status_code == 200  # someone else's allowance is their own
