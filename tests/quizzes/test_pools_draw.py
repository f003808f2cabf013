"""Random slots draw from a pool: per learner and attempt, avoiding seen questions, never twice."""
import random

import pytest
from django.core.exceptions import ValidationError

from quizzes.models import Answer, Attempt, RandomSlot
from quizzes.pools.draw import draw
from quizzes.pools.selectors import pool_questions
from quizzes.pools.services import SlotInput, random_slot_create
from quizzes.services.attempts import attempt_start, attempt_submit
from quizzes.services.questions import question_delete, question_update
from tests.factories import UserFactory, enroll
from tests.quizzes.pool_setup import make_bank

pytestmark = pytest.mark.django_db


def drawn(attempt, bank):
    return [q for q, _ in attempt.layout if q in set(bank.questions.values_list("id", flat=True))]


def learners(cast, n):
    return [enroll(UserFactory(username=f"pool-learner-{i}"), cast.course).user for i in range(n)]


def test_the_draw_is_reproducible_from_its_seed_and_prefers_unseen_questions():
    candidates = list(range(1, 21))
    first = draw(candidates=candidates, seen={}, count=5, rng=random.Random(7))
    assert first == draw(candidates=list(reversed(candidates)), seen={}, count=5, rng=random.Random(7))
    assert first != draw(candidates=candidates, seen={}, count=5, rng=random.Random(8))
    seen = {q: 1 for q in range(1, 18)}  # only 18, 19, 20 unseen
    picked = draw(candidates=candidates, seen=seen, count=5, rng=random.Random(7))
    assert set(picked[:3]) == {18, 19, 20} and len(set(picked)) == 5


def test_when_too_few_are_unseen_the_least_recently_seen_fill_up():
    seen = {1: 3, 2: 1, 3: 2, 4: 3}
    assert draw(candidates=[1, 2, 3, 4, 5], seen=seen, count=3, rng=random.Random(1)) == [5, 2, 3]


def test_each_learner_and_attempt_gets_its_own_draw_with_the_fixed_questions_first(cast, make_quiz):
    bank = make_bank(lesson=cast.lesson, user=cast.instructor, count=30)
    quiz = make_quiz()
    fixed = quiz.questions.get().id
    random_slot_create(quiz=quiz, data=SlotInput(draw_count=3, tag="softmax"))
    draws = []
    for learner in learners(cast, 8):
        attempt = attempt_start(quiz=quiz, user=learner)
        assert attempt.layout[0][0] == fixed and len(attempt.layout) == 4
        assert Answer.objects.filter(attempt=attempt).count() == 4
        assert attempt.max_marks == 4.0
        draws.append(tuple(drawn(attempt, bank)))
    assert all(len(set(d)) == 3 for d in draws)
    assert len(set(draws)) >= 6  # 8 learners, C(30,3)=4060 possible sets: nearly all differ


def test_later_attempts_avoid_questions_seen_before_while_the_pool_allows(cast, make_quiz):
    bank = make_bank(lesson=cast.lesson, user=cast.instructor, count=7)
    quiz = make_quiz(qtypes=())
    random_slot_create(quiz=quiz, data=SlotInput(draw_count=3, lesson_id=str(cast.lesson.pk)))
    history = []
    for _ in range(3):
        attempt = attempt_start(quiz=quiz, user=cast.student)
        history.append(drawn(attempt, bank))
        attempt_submit(attempt=attempt)
    assert len(set(history[0]) | set(history[1])) == 6  # two disjoint draws from 7
    # Third attempt: the one unseen question, then two of the first attempt's (seen longest ago).
    unseen = set(bank.questions.values_list("id", flat=True)) - set(history[0]) - set(history[1])
    assert unseen <= set(history[2]) and set(history[2]) - unseen <= set(history[0])


def test_a_pool_smaller_than_the_slot_refuses_the_instructor_and_tells_the_learner_plainly(cast, make_quiz):
    bank = make_bank(lesson=cast.lesson, user=cast.instructor, count=3)
    quiz = make_quiz()
    with pytest.raises(ValidationError) as refused:
        random_slot_create(quiz=quiz, data=SlotInput(draw_count=4, tag="softmax"))
    assert refused.value.message_dict["draw_count"] == ["Only 3 questions match this filter; draw at most 3 or widen the filter."]
    random_slot_create(quiz=quiz, data=SlotInput(draw_count=3, tag="softmax"))
    question_delete(question=bank.questions.first())  # the pool shrinks after the slot was made
    with pytest.raises(ValidationError) as learner_sees:
        attempt_start(quiz=quiz, user=cast.student)
    assert learner_sees.value.code == "pool_too_small"
    assert "Bank" not in learner_sees.value.messages[0] and "softmax" not in learner_sees.value.messages[0]
    assert not Attempt.objects.filter(quiz=quiz).exists()


def test_deleted_questions_and_the_quizs_own_questions_are_never_drawn(cast, make_quiz):
    bank = make_bank(lesson=cast.lesson, user=cast.instructor, count=5)
    quiz = make_quiz()
    # The quiz's own question carries the tag too: it stays a fixed question, never a drawn one.
    question_update(question=quiz.questions.get(), spec=dict(quiz.questions.get().latest_version.spec, tags=["softmax"]), user=None)
    gone = bank.questions.order_by("id")[:2]
    for question in list(gone):
        question_delete(question=question)
    random_slot_create(quiz=quiz, data=SlotInput(draw_count=3, tag="SOFTMAX"))
    attempt = attempt_start(quiz=quiz, user=cast.student)
    ids = [q for q, _ in attempt.layout]
    assert len(ids) == len(set(ids)) == 4
    assert set(ids[1:]) == set(bank.questions.filter(is_deleted=False).values_list("id", flat=True))


def test_two_slots_never_draw_the_same_question_and_shuffled_quizzes_keep_every_draw(cast, make_quiz):
    make_bank(lesson=cast.lesson, user=cast.instructor, count=4)
    quiz = make_quiz(shuffle_questions=True)
    random_slot_create(quiz=quiz, data=SlotInput(draw_count=2, tag="softmax"))
    random_slot_create(quiz=quiz, data=SlotInput(draw_count=2, category="attention"))  # same 4 questions
    attempt = attempt_start(quiz=quiz, user=cast.student)
    ids = [q for q, _ in attempt.layout]
    assert len(ids) == len(set(ids)) == 5


def test_pool_changes_between_attempts_are_seen_by_the_next_attempt_only(cast, make_quiz):
    bank = make_bank(lesson=cast.lesson, user=cast.instructor, count=2)
    quiz = make_quiz(qtypes=())
    random_slot_create(quiz=quiz, data=SlotInput(draw_count=2, tag="softmax"))
    first = attempt_start(quiz=quiz, user=cast.student)
    newcomer = make_bank(lesson=cast.lesson, user=cast.instructor, count=1, slug="bank-2", title_prefix="New")
    assert drawn(first, bank) and len(first.layout) == 2  # the running attempt keeps its draw
    attempt_submit(attempt=first)
    second = attempt_start(quiz=quiz, user=cast.student)
    assert newcomer.questions.get().id in [q for q, _ in second.layout]  # the unseen newcomer first


def test_categories_match_their_subcategories_and_moodle_prefixes(cast, make_quiz):
    make_bank(lesson=cast.lesson, user=cast.instructor, count=2, category="$course$/top/Attention/Heads")
    make_bank(lesson=cast.lesson, user=cast.instructor, count=3, slug="b2", category="Attention", tags=())
    make_bank(lesson=cast.lesson, user=cast.instructor, count=4, slug="b3", category="Attentional", tags=())
    quiz = make_quiz()
    assert pool_questions(quiz=quiz, category="attention").count() == 5
    assert pool_questions(quiz=quiz, category=" Attention / heads ").count() == 2
    assert pool_questions(quiz=quiz, category="attention", tag="softmax").count() == 2
    assert pool_questions(quiz=quiz).count() == 9  # the whole course, the quiz's own question excepted


def test_editing_a_questions_tags_moves_it_in_or_out_of_pools(cast, make_quiz):
    bank = make_bank(lesson=cast.lesson, user=cast.instructor, count=1, tags=())
    quiz = make_quiz()
    question = bank.questions.get()
    assert pool_questions(quiz=quiz, tag="week-2").count() == 0
    question_update(question=question, spec=dict(question.latest_version.spec, tags=["Week-2"]), user=None)
    assert pool_questions(quiz=quiz, tag="week-2").count() == 1
    question_update(question=question, spec=dict(question.latest_version.spec, tags=[]), user=None)
    assert pool_questions(quiz=quiz, tag="week-2").count() == 0


@pytest.mark.parametrize("count, code", [
    (0, "out_of_range"), (-1, "out_of_range"), (101, "out_of_range"), ("9" * 100, "out_of_range"),
    ("2.5", "not_a_number"), ("two", "not_a_number"), (None, "not_a_number"), (True, "not_a_number"),
    ([1], "not_a_number"), ("٣", "not_a_number"),
])
def test_draw_counts_that_are_not_1_to_100_are_refused(cast, make_quiz, count, code):
    make_bank(lesson=cast.lesson, user=cast.instructor, count=3)
    quiz = make_quiz()
    with pytest.raises(ValidationError) as refused:
        random_slot_create(quiz=quiz, data=SlotInput(draw_count=count))
    assert refused.value.error_dict["draw_count"][0].code == code
    assert not RandomSlot.objects.exists()


def test_another_courses_lesson_or_tag_never_reaches_into_that_course(cast, make_quiz):
    from tests.factories import LessonFactory

    foreign = LessonFactory(course=cast.other_course, slug="foreign")
    make_bank(lesson=foreign, user=cast.other_instructor, count=5, tags=("secret-tag",))
    quiz = make_quiz()
    for lesson_id in (foreign.pk, "1e3", "-1", "9" * 30):
        with pytest.raises(ValidationError) as refused:
            random_slot_create(quiz=quiz, data=SlotInput(draw_count=1, lesson_id=lesson_id))
        assert refused.value.error_dict["lesson"][0].code == "bad_lesson"
    with pytest.raises(ValidationError) as refused:
        random_slot_create(quiz=quiz, data=SlotInput(draw_count=1, tag="secret-tag"))
    assert refused.value.error_dict["draw_count"][0].code == "pool_too_small"
