"""The instructor's "Preview as a student" shows a sample draw of each random slot, labelled as such, with
"Draw again"; the seed in the URL reproduces it for "Check answers"; nothing is recorded or shown to learners."""
import re

import pytest
from django.urls import reverse

from quizzes.models import Answer, Attempt
from quizzes.pools.models import DrawnQuestion
from quizzes.pools.services import SlotInput, random_slot_create
from quizzes.services.questions import question_delete
from tests.conftest import client_for
from tests.quizzes.pool_setup import make_bank

pytestmark = pytest.mark.django_db

LABEL = "A sample draw from tag “softmax”: each learner gets different questions."


@pytest.fixture
def pooled(cast, make_quiz):
    """A quiz with one fixed question and a slot drawing 2 of a 5-question bank."""
    bank = make_bank(lesson=cast.draft, user=cast.instructor, count=5)
    quiz = make_quiz()
    random_slot_create(quiz=quiz, data=SlotInput(draw_count=2, tag="softmax"))
    return quiz, bank


def _url(quiz, seed=None) -> str:
    return reverse("quiz_authoring:quiz_preview", args=[quiz.pk]) + (f"?draw={seed}" if seed is not None else "")


def _drawn_ids(html: str, bank) -> list[int]:
    """The bank questions the page shows, by their "Edit this question" links, in page order."""
    prefix = reverse("quiz_authoring:question_edit", args=[bank.pk, 0])[:-2]
    return [int(pk) for pk in re.findall(re.escape(prefix) + r"(\d+)/", html)]


def test_the_preview_shows_a_labelled_sample_draw_with_draw_again(cast, pooled):
    quiz, bank = pooled
    html = client_for(cast.instructor).get(_url(quiz, 7)).content.decode()
    assert LABEL in html
    assert f'href="{_url(quiz)}">Draw again</a>' in html
    drawn = _drawn_ids(html, bank)
    assert len(drawn) == 2 and len(set(drawn)) == 2
    assert set(drawn) <= set(bank.questions.values_list("id", flat=True))
    assert "Question 3" in html and "Question 4" not in html  # numbered on after the fixed question


def test_the_same_seed_draws_the_same_and_other_seeds_draw_differently(cast, pooled):
    quiz, bank = pooled
    client = client_for(cast.instructor)
    first = _drawn_ids(client.get(_url(quiz, 7)).content.decode(), bank)
    assert _drawn_ids(client.get(_url(quiz, 7)).content.decode(), bank) == first
    samples = {tuple(_drawn_ids(client.get(_url(quiz, seed)).content.decode(), bank)) for seed in range(12)}
    assert len(samples) > 1


def test_check_answers_grades_the_sample_shown(cast, pooled):
    quiz, _ = pooled
    client = client_for(cast.instructor)
    page = client.get(_url(quiz)).content.decode()
    action = re.search(r'action="([^"]+)" class="quiz-form"', page).group(1).replace("&amp;", "&")
    assert "?draw=" in action
    checked = client.post(action, {f"q-{n}-choice": "b" for n in (1, 2, 3)}).content.decode()
    assert "Your try: 3 / 3 marks" in checked


@pytest.mark.parametrize("seed", ["abc", "9" * 40, "-1", "١٢", "1e9", "%00", ""])
def test_a_bad_seed_draws_afresh(cast, pooled, seed):
    quiz, bank = pooled
    response = client_for(cast.instructor).get(reverse("quiz_authoring:quiz_preview", args=[quiz.pk]), {"draw": seed})
    assert response.status_code == 200 and len(_drawn_ids(response.content.decode(), bank)) == 2


def test_a_pool_too_small_is_said_not_hidden(cast, make_quiz):
    bank = make_bank(lesson=cast.draft, user=cast.instructor, count=3)
    quiz = make_quiz()
    random_slot_create(quiz=quiz, data=SlotInput(draw_count=3, tag="softmax"))
    for question in bank.questions.order_by("id")[1:]:
        question_delete(question=question)  # the pool shrinks after the slot was saved
    html = client_for(cast.instructor).get(_url(quiz, 1)).content.decode()
    assert "This pool has 1 question for 3 draws" in html


def test_previewing_records_nothing(cast, pooled):
    quiz, _ = pooled
    client = client_for(cast.instructor)
    client.get(_url(quiz, 3))
    client.post(_url(quiz, 3), {"q-1-choice": "b"})
    assert not DrawnQuestion.objects.exists() and not Attempt.objects.exists() and not Answer.objects.exists()


@pytest.mark.parametrize("who", ["student", "classmate", "other_instructor", "anonymous"])
def test_only_the_courses_authors_see_it(cast, pooled, who):
    quiz, _ = pooled
    user = None if who == "anonymous" else getattr(cast, who)
    for response in (client_for(user).get(_url(quiz, 7)), client_for(user).post(_url(quiz, 7), {"q-2-choice": "b"})):
        assert response.status_code in (302, 404)
        assert LABEL not in response.content.decode()


def test_the_learners_quiz_page_shows_no_sample(cast, pooled):
    quiz, _ = pooled
    page = client_for(cast.student).get(reverse("quizzes:quiz_detail", args=[quiz.pk]))
    assert page.status_code == 200 and "sample draw" not in page.content.decode()
