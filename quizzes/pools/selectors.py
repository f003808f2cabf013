"""Reads for pools: which questions a slot's filter selects, and what a learner has already seen."""
from django.db.models import Exists, OuterRef, Q, QuerySet

from courses.models import Lesson

from ..models import Answer, Question, Quiz
from .labels import category_key, tag_key
from .models import DrawnQuestion, LabelKind, PoolLabel, RandomSlot


def pool_questions(*, quiz: Quiz, lesson: Lesson | None = None, category: str = "", tag: str = "") -> QuerySet[Question]:
    """The live questions of the quiz's course that match the filter, the quiz's own questions excepted
    (they are its fixed questions; drawing one would show it twice)."""
    questions = Question.objects.filter(quiz__lesson__course_id=quiz.lesson.course_id, is_deleted=False).exclude(quiz=quiz)
    if lesson is not None:
        questions = questions.filter(quiz__lesson=lesson)
    if key := category_key(category):
        labels = PoolLabel.objects.filter(question=OuterRef("pk"), kind=LabelKind.CATEGORY)
        questions = questions.filter(Exists(labels.filter(Q(value=key) | Q(value__startswith=f"{key}/"))))
    if key := tag_key(tag):
        questions = questions.filter(Exists(PoolLabel.objects.filter(question=OuterRef("pk"), kind=LabelKind.TAG, value=key)))
    return questions


def slot_pool(*, slot: RandomSlot) -> QuerySet[Question]:
    return pool_questions(quiz=slot.quiz, lesson=slot.lesson, category=slot.category, tag=slot.tag)


def random_slots_of(*, quiz: Quiz) -> list[RandomSlot]:
    return list(RandomSlot.objects.filter(quiz=quiz).select_related("lesson", "quiz__lesson").order_by("position", "id"))


def slot_rows(*, quiz: Quiz) -> list[tuple[RandomSlot, int]]:
    """Each random slot with how many questions its pool holds now (the editor warns when too few)."""
    return [(slot, slot_pool(slot=slot).count()) for slot in random_slots_of(quiz=quiz)]


def seen_by_learner(*, quiz: Quiz, user) -> dict[int, int]:
    """question id → the number of the learner's latest attempt at this quiz that showed it."""
    seen: dict[int, int] = {}
    for question_id, number in Answer.objects.filter(attempt__quiz=quiz, attempt__user=user).values_list(
            "question_id", "attempt__number"):
        seen[question_id] = max(number, seen.get(question_id, 0))
    return seen


def drawn_question_ids(*, quiz: Quiz) -> list[int]:
    """Questions of other quizzes (a bank) that attempts at this quiz drew, for reports and regrade."""
    return list(DrawnQuestion.objects.filter(quiz=quiz).values_list("question_id", flat=True).order_by("question_id"))


def drawn_questions_subquery(*, quiz: Quiz) -> QuerySet:
    """The same, as a subquery for another query's `question_id__in`."""
    return DrawnQuestion.objects.filter(quiz=quiz).values("question_id")


def course_labels(*, quiz: Quiz) -> dict[str, list[str]]:
    """The categories and tags the course's questions carry: suggestions for the slot form (authors only)."""
    labels: dict[str, list[str]] = {LabelKind.CATEGORY: [], LabelKind.TAG: []}
    rows = (PoolLabel.objects.filter(question__quiz__lesson__course_id=quiz.lesson.course_id, question__is_deleted=False)
            .values_list("kind", "value").distinct().order_by("kind", "value"))
    for kind, value in rows[:500]:
        labels[kind].append(value)
    return {"categories": labels[LabelKind.CATEGORY], "tags": labels[LabelKind.TAG]}


def draws_per_attempt(*, quiz: Quiz) -> int:
    """How many questions the quiz's random slots add to each attempt."""
    return sum(RandomSlot.objects.filter(quiz=quiz).values_list("draw_count", flat=True))


def questions_with_drawn(*, quiz: Quiz) -> list[Question]:
    """The quiz's live questions in order, then the live ones its random slots drew from other quizzes:
    the questions every per-question report (statistics, responses) lists."""
    questions = list(Question.objects.filter(quiz=quiz, is_deleted=False).order_by("position", "id"))
    return questions + list(Question.objects.filter(pk__in=drawn_questions_subquery(quiz=quiz), is_deleted=False)
                            .select_related("quiz").order_by("quiz_id", "position", "id"))


def report_question_or_none(*, quiz: Quiz, question_id: int) -> Question | None:
    """One of questions_with_drawn, by id (None for any other question, another course's included)."""
    return (Question.objects.filter(Q(quiz=quiz) | Q(pk__in=drawn_questions_subquery(quiz=quiz)), pk=question_id,
                                    is_deleted=False).select_related("quiz").first())
