"""/review/ as a learner uses it: the question without its key, check, right/wrong, rate, next card;
real forms without JavaScript, fragments with htmx; only one's own cards; Due today on My learning."""
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.review.models import ReviewCard, ReviewLog
from quizzes.review.questions import card_question
from tests.conftest import client_for
from tests.quiz_ids import pick
from tests.quizzes.review_setup import miss_two

pytestmark = pytest.mark.django_db


@pytest.fixture
def missed(cast, make_quiz):
    return miss_two(make_quiz, cast.student)


def choice_id(card: ReviewCard, text: str) -> str:
    return pick(card_question(card).public(), text)


def test_the_review_needs_an_account(client):
    reply = client.get("/review/")
    assert reply.status_code == 302 and "/accounts/login/" in reply["Location"]


def test_the_empty_queue_explains_how_cards_get_there(cast):
    page = client_for(cast.student).get("/review/").content.decode()
    assert "Nothing to review right now" in page
    assert "did not get full marks" in page


def test_a_due_question_shows_without_its_key(cast, missed):
    page = client_for(cast.student).get("/review/").content.decode()
    assert "Which function normalises scores?" in page or "Attention weights sum to one." in page
    assert "SECRET" not in page  # no feedback, titles or explanations before answering
    assert "right answer" not in page.lower() and "is-right" not in page
    assert 'value="a"' not in page and 'value="b"' not in page  # authored ids never reach the page


def test_answer_check_rate_and_the_next_card_without_javascript(cast, missed):
    client, card = client_for(cast.student), missed.choice_card
    # when: the learner picks the right choice and checks it
    checked = client.post(f"/review/cards/{card.pk}/check/", {f"q{card.question_id}-choice": choice_id(card, "Softmax")})
    page = checked.content.decode()
    # then: right, with the type's review marks, and "Good" offered first
    assert checked.status_code == 200 and "quiz-state--correct" in page
    assert re.search(r'value="3" class="button review-rating--default"\s+autofocus', page)
    response_json = re.search(r'name="response" value="([^"]*)"', page).group(1).replace("&quot;", '"')
    # when: they rate it
    rated = client.post(f"/review/cards/{card.pk}/rate/", {"rating": "3", "seen": "0", "response": response_json})
    assert rated.status_code == 302 and rated["Location"] == "/review/"
    card.refresh_from_db()
    assert (card.reviews, card.last_rating) == (1, 3)
    assert card.due > timezone.now() + timedelta(minutes=9)
    assert ReviewLog.objects.get(card=card).fraction == 1.0
    # a replay of the same form (back button, double click) logs nothing more
    again = client.post(f"/review/cards/{card.pk}/rate/", {"rating": "3", "seen": "0", "response": response_json})
    assert again.status_code == 302 and ReviewLog.objects.filter(card=card).count() == 1
    # the next page shows the other card and counts the session
    page = client.get("/review/").content.decode()
    assert "Attention weights sum to one." in page and "Reviewed this session: 1 of 10" in page


def test_a_wrong_answer_shows_the_right_one_and_offers_again(cast, missed):
    card = missed.choice_card
    page = client_for(cast.student).post(f"/review/cards/{card.pk}/check/",
                                         {f"q{card.question_id}-choice": choice_id(card, "Tanh")}).content.decode()
    assert "quiz-state--incorrect" in page and "right answer" in page
    assert re.search(r'value="1" class="button review-rating--default"\s+autofocus', page)
    assert ReviewLog.objects.count() == 0  # checking alone records nothing


def test_htmx_gets_the_panel_alone_and_the_next_card_after_rating(cast, missed):
    client, card = client_for(cast.student), missed.true_false_card
    headers = {"HX-Request": "true"}
    checked = client.post(f"/review/cards/{card.pk}/check/", {f"q{card.question_id}-value": "true"}, headers=headers)
    fragment = checked.content.decode()
    assert fragment.lstrip().startswith('<div id="review-panel"') and "<html" not in fragment
    rated = client.post(f"/review/cards/{card.pk}/rate/", {"rating": "4", "seen": "0", "response": '{"value": true}'},
                        headers=headers)
    assert rated.status_code == 200 and 'id="review-panel"' in rated.content.decode()
    assert "Rated Easy" in rated.content.decode()


def test_a_bad_rating_changes_nothing(cast, missed):
    card = missed.true_false_card
    for form in ({"rating": "9", "seen": "0"}, {"rating": "x", "seen": "0"}, {"rating": "3", "seen": "0", "response": "[[["}):
        reply = client_for(cast.student).post(f"/review/cards/{card.pk}/rate/", form)
        assert reply.status_code == 302
    card.refresh_from_db()
    assert card.reviews == 0 and ReviewLog.objects.count() == 0


def test_another_learners_card_is_not_found(cast, missed):
    card, client = missed.choice_card, client_for(cast.classmate)
    assert client.get(f"/review/cards/{card.pk}/").status_code == 404
    assert client.post(f"/review/cards/{card.pk}/check/", {}).status_code == 404
    assert client.post(f"/review/cards/{card.pk}/rate/", {"rating": "3", "seen": "0"}).status_code == 404
    assert client.get(f"/review/cards/{2**70}/").status_code == 404
    assert ReviewLog.objects.count() == 0


def test_my_learning_shows_due_today_with_a_link(cast, missed):
    page = client_for(cast.student).get("/progress/").content.decode()
    assert 'href="/review/"' in page and "Due today: 2 questions to review" in page
    assert "Due today: 0" in client_for(cast.classmate).get("/progress/").content.decode()


def test_a_session_ends_after_ten_cards_and_a_pause_starts_a_new_one(cast, make_quiz, monkeypatch):
    for _ in range(6):
        miss_two(make_quiz, cast.student)  # twelve cards due
    client = client_for(cast.student)
    for card in ReviewCard.objects.filter(user=cast.student).order_by("due", "id")[:10]:
        reply = client.post(f"/review/cards/{card.pk}/rate/", {"rating": "4", "seen": "0", "response": "{}"})
        assert reply.status_code == 302
    page = client.get("/review/").content.decode()
    assert "Session done" in page and "Reviewed this session: 10 of 10" in page
    # half an hour later the learner is back: a fresh session with the two cards left
    later = timezone.now() + timedelta(minutes=31)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page = client.get("/review/").content.decode()
    assert "Session done" not in page and "Reviewed this session: 0 of 10" in page and "Check my answer" in page
    assert ReviewLog.objects.count() == 10
