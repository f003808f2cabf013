"""Summary rows: updated as the record grows, they equal a rebuild from the record — also after a
burst of concurrent submissions and lesson views (PostgreSQL, where writers really run at once)."""
import json

import pytest
from django.db import connection
from django.urls import reverse

from progress.models import EventKind, LearningEvent
from progress.services import event_record, lab_use_record
from progress.summaries import summaries_rebuild
from progress.item_summaries import item_summaries_fold, item_summary_rebuild
from progress.selectors.reports import quiz_report
from progress.summary_models import AttemptItemContribution, DailyActivity, DailyLearner, ItemSummaryDelta, LearnerQuizGrade, LearnerSummary, LessonViews, QuizItemSummary
from quizzes.models import Attempt
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit, essay_grade
from quizzes.services.questions import question_update
from quizzes.services.regrade import quiz_regrade
from tests.concurrency import run_together
from tests.conftest import client_for
from tests.factories import UserFactory, enroll

from .conftest import days_ago, make_attempt


def _rounded(value):
    if isinstance(value, float):
        return round(value, 9)  # sums added up in another order differ in the last bits
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


def _snapshot() -> dict:
    for quiz_id in set(QuizItemSummary.objects.values_list("quiz_id", flat=True)):
        item_summaries_fold(quiz_id=quiz_id)  # the submits' pending deltas added in, as reading the report does
    grade_fields = ["user_id", "quiz_id", "attempts_used", "in_progress", "awaiting_grading", "highest", "average", "first", "last",
                    "first_submitted_at", "last_submitted_at"]
    return {
        "learners": sorted(LearnerSummary.objects.values_list("user_id", "sort_name", "search_text", "last_active_on")),
        "grades": sorted(LearnerQuizGrade.objects.values_list(*grade_fields)),
        "daily_learners": sorted(DailyLearner.objects.values_list("day", "user_id")),
        "days": sorted(DailyActivity.objects.values_list("day", "active_learners")),
        "lesson_views": sorted(LessonViews.objects.values_list("lesson_id", "views")),
        "item_summaries": sorted((quiz_id, which, signature, json.dumps(_rounded(data), sort_keys=True))
                                 for quiz_id, which, signature, data in QuizItemSummary.objects.values_list("quiz_id", "which", "signature", "data")),
        "contributions": sorted((a, first, json.dumps(_rounded(data), sort_keys=True))
                                for a, first, data in AttemptItemContribution.objects.values_list("attempt_id", "is_first", "data")),
    }


def _take_quiz(quiz, user, choice: str) -> Attempt:
    attempt = attempt_start(quiz=quiz, user=user)
    answer_save(attempt=attempt, question_id=attempt.layout[0][0], response={"choice": choice})
    return attempt_submit(attempt=attempt)


@pytest.mark.django_db
def test_incremental_summaries_equal_a_rebuild_from_the_record(cast, make_quiz, django_capture_on_commit_callbacks):
    quiz = make_quiz(qtypes=["single_choice", "true_false"], grading_method="average", attempts_allowed=0)
    learners = [UserFactory(username=f"inc{i}", first_name=["Émile", "zoë", ""][i % 3]) for i in range(6)]
    with django_capture_on_commit_callbacks(execute=True):
        for index, learner in enumerate(learners):
            if index == 2:  # the quiz report was read: from now on its item summaries follow each change
                quiz_report(quiz=quiz)
                assert QuizItemSummary.objects.filter(quiz=quiz).exclude(signature="stale").count() == 2
            enroll(learner, cast.course)
            _take_quiz(quiz, learner, "b" if index % 2 else "a")
            if index % 3 == 0:
                _take_quiz(quiz, learner, "b")
            client_for(learner).get(reverse("courses:lesson_detail", args=[cast.course.slug, cast.lesson.slug]))
            lab_use_record(user=learner, count=index + 1)
        attempt_start(quiz=quiz, user=learners[1])  # one still in progress
        event_record(kind=EventKind.LESSON_VIEWED, user=learners[2], lesson=cast.lesson)
    old = make_attempt(quiz=quiz, user=learners[4], percent=30, submitted_at=days_ago(40))
    LearningEvent.objects.create(kind=EventKind.LESSON_VIEWED, user=learners[4], lesson=cast.lesson, course=cast.course, occurred_at=days_ago(3))
    LearningEvent.objects.bulk_create(
        [LearningEvent(kind=EventKind.LESSON_VIEWED, user=learner, lesson=cast.lesson, course=cast.course, occurred_at=days_ago(5)) for learner in learners]
    )
    essay_graded = Attempt.objects.filter(quiz=quiz, user=learners[3]).first().answers.first()
    essay_graded.fraction, essay_graded.marks = 0.5, 0.5
    essay_graded.save()  # an instructor's grade on a submitted attempt
    learners[0].last_name = "Renamed"
    learners[0].save()
    incremental = _snapshot()
    assert incremental["grades"] and incremental["days"] and incremental["lesson_views"] and incremental["contributions"]
    assert all(signature != "stale" for _, _, signature, _ in incremental["item_summaries"])
    summaries_rebuild()
    assert _snapshot() == incremental
    old.delete()  # a deleted attempt leaves the summaries to be rebuilt from the record on the next read
    assert set(QuizItemSummary.objects.filter(quiz=quiz).values_list("signature", flat=True)) == {"stale"}


def _together(calls) -> list:
    return run_together(calls, timeout=120)


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_concurrent_submissions_leaves_no_drift(cast, make_quiz):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent writers need PostgreSQL (DATABASE_URL=postgres://…); SQLite serialises them.")
    quizzes = [make_quiz(qtypes=["single_choice"], grading_method=method, attempts_allowed=0) for method in ("highest", "last")]
    learners = [UserFactory(username=f"burst{i}") for i in range(12)]
    for learner in learners:
        enroll(learner, cast.course)
    lesson_url = reverse("courses:lesson_detail", args=[cast.course.slug, cast.lesson.slug])
    for quiz in quizzes:
        item_summary_rebuild(quiz_id=quiz.id)  # as a first read of the report would

    def learner_burst(learner, index):
        def run():
            for round_ in range(2):
                for quiz in quizzes:
                    _take_quiz(quiz, learner, "b" if (index + round_) % 2 else "a")
                assert client_for(learner).get(lesson_url).status_code == 200
            return "ok"
        return run

    # Every learner submits four attempts and views the lesson twice, all at the same moment:
    # the day's counter, the lesson's views and each grade row are written by many at once.
    results = _together([learner_burst(learner, index) for index, learner in enumerate(learners)])
    assert results == ["ok"] * len(learners), results
    incremental = _snapshot()
    assert LessonViews.objects.get(lesson=cast.lesson).views == 2 * len(learners)
    assert sum(attempts for *_, attempts in LearnerQuizGrade.objects.values_list("attempts_used")) == 4 * len(learners)
    summaries_rebuild()
    assert _snapshot() == incremental



def _answer(attempt, question, response) -> None:
    answer_save(attempt=attempt, question_id=question.id, response=response)


@pytest.mark.django_db
def test_a_regrade_and_an_instructor_override_keep_the_item_summaries_equal_to_a_rebuild(cast, make_quiz):
    quiz = make_quiz(qtypes=["single_choice", "short_answer", "essay"], attempts_allowed=0)
    choice, short, essay = quiz.questions.order_by("position", "id")
    learners = [UserFactory(username=f"regrade{i}") for i in range(4)]
    quiz_report(quiz=quiz)  # the report was read: every change below goes through the deltas
    for index, learner in enumerate(learners):
        enroll(learner, cast.course)
        attempt = attempt_start(quiz=quiz, user=learner)
        _answer(attempt, choice, {"choice": "ab"[index % 2]})
        _answer(attempt, short, {"text": ["secretsoftmax", "softmax", "secretsoftplus", "relu"][index]})
        _answer(attempt, essay, {"text": f"essay {index}"})
        attempt_submit(attempt=attempt)
    # given an instructor's grade on an essay and an override of an auto-graded answer
    first_attempt = Attempt.objects.get(quiz=quiz, user=learners[0])
    essay_grade(answer=first_attempt.answers.get(question=essay), fraction=0.75, comment="Good", grader=cast.instructor)
    essay_grade(answer=Attempt.objects.get(quiz=quiz, user=learners[3]).answers.get(question=short), fraction=1.0,
                comment="manual override: accepted", grader=cast.instructor)
    # when the key of the short answer changes (same marks) and the quiz is regraded
    question_update(question=short, spec=dict(short.latest_version.spec, answers=[
        *short.latest_version.spec["answers"], {"text": "softmax", "fraction": 1.0, "feedback": ""}]), user=cast.instructor)
    report = quiz_regrade(quiz=quiz, user=cast.instructor, dry_run=False)
    assert report.changes, "the new key changed a grade"
    # then the summaries, kept up by deltas, equal a rebuild from the record
    assert ItemSummaryDelta.objects.filter(quiz=quiz).exists()
    incremental = _snapshot()
    assert not ItemSummaryDelta.objects.exists()
    assert all(signature != "stale" for _, _, signature, _ in incremental["item_summaries"])
    item_summary_rebuild(quiz_id=quiz.id)
    assert _snapshot() == incremental


@pytest.mark.django_db(transaction=True)
def test_submits_of_one_quiz_do_not_wait_for_each_other(cast, make_quiz):
    """A learner's submit still open (its transaction not committed) must not hold up another learner's
    submit of the same quiz; the report, read afterwards, counts both."""
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL (DATABASE_URL=postgres://…); SQLite runs one writer at a time.")
    import threading

    from django.db import transaction

    quiz = make_quiz(qtypes=["single_choice"], attempts_allowed=0)
    slow, quick = UserFactory(username="slow"), UserFactory(username="quick")
    for learner in (slow, quick):
        enroll(learner, cast.course)
    item_summary_rebuild(quiz_id=quiz.id)  # live summaries, as after the first read of the report
    attempts = {learner: attempt_start(quiz=quiz, user=learner) for learner in (slow, quick)}
    for learner, attempt in attempts.items():
        answer_save(attempt=attempt, question_id=attempt.layout[0][0], response={"choice": "b"})
    submitted, release = threading.Event(), threading.Event()

    def slow_submit():
        with transaction.atomic():
            attempt_submit(attempt=attempts[slow])
            submitted.set()
            release.wait(60)  # holds every lock its submit took until the quick one is done
        return "ok"

    def quick_submit():
        assert submitted.wait(60)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '20s'")  # waiting on the slow submit fails instead of hanging
                attempt_submit(attempt=attempts[quick])
            return "ok"
        finally:
            release.set()

    assert run_together([slow_submit, quick_submit]) == ["ok", "ok"]
    rows = {row: data for _, row, _, data in _snapshot()["item_summaries"]}
    assert json.loads(rows["all"])["sums"][str(attempts[slow].layout[0][0])][0] == 2
