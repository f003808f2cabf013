"""Append-only dashboard counters (progress.summary_deltas): learners' writes only insert delta rows,
the dashboard folds them into the totals, and the totals always equal a rebuild from the record."""
import threading

import pytest
from django.db import connection, transaction

from progress.dashboard_models import LabDay, LabDayDelta, QuizPassDays, QuizPassDaysDelta
from progress.lab_summaries import lab_days_fold
from progress.models import EventKind, LearningEvent
from progress.pass_rate_summaries import pass_days_fold, quiz_pass_days_rebuild
from progress.selectors.platform import date_range_parse, platform_dashboard
from progress.services import lab_use_record
from progress.summaries import summaries_rebuild
from tests.concurrency import run_together
from tests.factories import UserFactory, enroll

from .test_summaries import _take_quiz


def _buckets() -> list[tuple]:
    return sorted(row for row in QuizPassDays.objects.values_list("quiz_id", "first_on", "last_on", "graded", "passed") if row[3])


def _pass_rates() -> dict[int, tuple[int, int]]:
    period, _ = date_range_parse(start=None, end=None)
    return {row.quiz.id: (row.graded, row.passed) for row in platform_dashboard(period=period).pass_rates}


@pytest.mark.django_db
def test_a_grade_that_stops_passing_on_the_same_days_is_taken_out_of_its_bucket(cast, make_quiz):
    quiz = make_quiz(qtypes=["single_choice"], grading_method="last", attempts_allowed=0)
    learners = [UserFactory(username=f"delta{i}") for i in range(3)]
    for learner in learners:
        enroll(learner, cast.course)
        _take_quiz(quiz, learner, "b")
    assert QuizPassDays.objects.filter(quiz=quiz).count() == 0  # nothing shared was written by the submits
    assert QuizPassDaysDelta.objects.filter(quiz=quiz).count() == 3
    assert _pass_rates()[quiz.id] == (3, 3)  # the dashboard folded them
    assert QuizPassDaysDelta.objects.count() == 0
    _take_quiz(quiz, learners[0], "a")  # passed -> failed, same day pair: a negative "passed" sum
    _take_quiz(quiz, learners[1], "a")
    _take_quiz(quiz, learners[1], "b")  # and back: nets to nothing
    assert _pass_rates()[quiz.id] == (3, 2)
    assert pass_days_fold() == 0  # a second fold finds nothing left to add
    folded = _buckets()
    quiz_pass_days_rebuild()
    assert _buckets() == folded


@pytest.mark.django_db
def test_a_fold_takes_only_the_quizzes_it_is_given_and_a_rebuild_drops_pending_deltas(cast, make_quiz):
    first, second = make_quiz(qtypes=["single_choice"]), make_quiz(qtypes=["single_choice"])
    learner = UserFactory(username="two-quizzes")
    enroll(learner, cast.course)
    _take_quiz(first, learner, "b")
    _take_quiz(second, learner, "a")
    assert pass_days_fold(quiz_ids=[]) == 0
    assert pass_days_fold(quiz_ids=[first.id, 10**9]) == 1  # unknown ids are harmless
    assert list(QuizPassDaysDelta.objects.values_list("quiz_id", flat=True)) == [second.id]
    quiz_pass_days_rebuild(quiz_ids=[second.id])  # counted from the grade rows: its delta must not count again
    assert QuizPassDaysDelta.objects.count() == 0
    pass_days_fold()
    assert [(q, g, p) for q, _, _, g, p in _buckets()] == sorted([(first.id, 1, 1), (second.id, 1, 0)])


@pytest.mark.django_db
def test_lab_runs_are_inserted_as_deltas_and_folded_by_the_dashboard(cast, django_capture_on_commit_callbacks):
    learners = [UserFactory(username=f"lab{i}") for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):  # lab events are written once the request commits
        for index, learner in enumerate(learners):
            lab_use_record(user=learner, count=index + 1)
    assert LabDay.objects.count() == 0 and LabDayDelta.objects.count() == 3
    period, _ = date_range_parse(start=None, end=None)
    assert sum(runs for _, runs in platform_dashboard(period=period).lab_per_day) == 6
    assert LabDayDelta.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        lab_use_record(user=learners[0], count=4)
    assert LabDayDelta.objects.count() == 1
    summaries_rebuild()  # drops the pending delta and counts its event from the record
    assert LabDayDelta.objects.count() == 0 and sum(LabDay.objects.values_list("runs", flat=True)) == 10
    assert lab_days_fold() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_and_dashboard_reads_end_equal_to_a_rebuild(cast, make_quiz):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent writers need PostgreSQL (DATABASE_URL=postgres://…); SQLite serialises them.")
    quizzes = [make_quiz(qtypes=["single_choice"], grading_method=method, attempts_allowed=0) for method in ("highest", "last")]
    learners = [UserFactory(username=f"burst{i}") for i in range(8)]
    for learner in learners:
        enroll(learner, cast.course)
    done = threading.Event()

    def submits(learner, index):
        def run():
            try:
                for choice in ("b", "a", "b" if index % 2 else "a"):  # pass, fail, and back or not
                    for quiz in quizzes:
                        _take_quiz(quiz, learner, choice)
                lab_use_record(user=learner, count=index + 1)
                return "ok"
            finally:
                if index == len(learners) - 1:
                    done.set()
        return run

    def reader():
        reads = 0
        while not done.is_set() or reads < 2:
            _pass_rates()  # folds the deltas committed so far, while other submits insert theirs
            reads += 1
        return "read"

    results = run_together([submits(learner, index) for index, learner in enumerate(learners)] + [reader, reader])
    assert results == ["ok"] * len(learners) + ["read", "read"], results
    rates = _pass_rates()
    assert QuizPassDaysDelta.objects.count() == 0 and LabDayDelta.objects.count() == 0
    passing = len([index for index in range(len(learners)) if index % 2])
    assert rates[quizzes[0].id] == (len(learners), len(learners))  # highest: everyone passed once
    assert rates[quizzes[1].id] == (len(learners), passing)  # last: only those who ended on "b"
    folded, lab = _buckets(), sorted(LabDay.objects.values_list("day", "runs"))
    summaries_rebuild()
    assert (_buckets(), sorted(LabDay.objects.values_list("day", "runs"))) == (folded, lab)


@pytest.mark.django_db(transaction=True)
def test_lab_events_of_one_day_do_not_wait_for_each_other(cast):
    """A learner's lab event whose transaction is still open must not hold up another learner's."""
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL (DATABASE_URL=postgres://…); SQLite runs one writer at a time.")
    slow, quick = UserFactory(username="slow-lab"), UserFactory(username="quick-lab")
    for learner in (slow, quick):  # both already active today: only the lab's own rows are written below
        lab_use_record(user=learner, count=1)
    lab_days_fold()  # the day's row exists: the old code updated it in every lab event's transaction
    recorded, release = threading.Event(), threading.Event()

    def lab_event(learner, count):  # what lab_use_record writes once its request commits, in a transaction of its own
        LearningEvent.objects.create(kind=EventKind.LAB_USED, user=learner, count=count)

    def slow_event():
        with transaction.atomic():
            lab_event(slow, 2)
            recorded.set()
            release.wait(60)
        return "ok"

    def quick_event():
        assert recorded.wait(60)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '5s'")
                lab_event(quick, 3)
            return "ok"
        finally:
            release.set()

    assert run_together([slow_event, quick_event]) == ["ok", "ok"]
    lab_days_fold()
    assert sum(LabDay.objects.values_list("runs", flat=True)) == 7


@pytest.mark.django_db
def test_the_write_whose_delta_id_reaches_the_setting_folds_after_its_commit(cast, make_quiz, settings, django_capture_on_commit_callbacks):
    """Pending deltas stay bounded where nobody opens a dashboard: with every id a multiple of 1, each
    write folds its table once it commits, and the totals still equal a rebuild from the record."""
    from progress.item_summaries import item_summary_rebuild, summary_sums
    from progress.summary_models import ItemSummaryDelta, QuizItemSummary
    from quizzes.selectors_reports import live_question_marks

    quiz = make_quiz(qtypes=["single_choice"], grading_method="last", attempts_allowed=0)
    marks = live_question_marks(quiz=quiz)
    summary_sums(quiz=quiz, marks=marks, which="all")  # the item summary rows exist (and are current) before the submits
    settings.PROGRESS_FOLD_EVERY_DELTAS = 1
    learners = [UserFactory(username=f"fold{i}") for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True) as folds:
        for learner in learners:
            enroll(learner, cast.course)
            _take_quiz(quiz, learner, "b")
        _take_quiz(quiz, learners[0], "a")
        lab_use_record(user=learners[1], count=2)
    assert folds  # the folds ran after the writes, not inside them
    assert QuizPassDaysDelta.objects.count() == 0 and LabDayDelta.objects.count() == 0 and ItemSummaryDelta.objects.count() == 0
    assert _pass_rates()[quiz.id] == (3, 2) and sum(LabDay.objects.values_list("runs", flat=True)) == 2
    folded = {row.which: row.data for row in QuizItemSummary.objects.filter(quiz=quiz)}
    assert {which: row.data for which, row in item_summary_rebuild(quiz_id=quiz.id).items()} == folded
    buckets = _buckets()
    quiz_pass_days_rebuild()
    assert _buckets() == buckets


@pytest.mark.django_db
def test_a_fold_after_the_commit_that_fails_loses_nothing_and_the_reader_folds(cast, make_quiz, settings, django_capture_on_commit_callbacks, monkeypatch):
    import progress.pass_rate_summaries as pass_rates

    quiz = make_quiz(qtypes=["single_choice"])
    settings.PROGRESS_FOLD_EVERY_DELTAS = 1

    def broken(**kwargs):
        raise RuntimeError("the fold failed")

    monkeypatch.setattr(pass_rates, "pass_days_fold", broken)
    learner = UserFactory(username="fold-fails")
    enroll(learner, cast.course)
    with django_capture_on_commit_callbacks(execute=True):
        _take_quiz(quiz, learner, "b")  # the failed fold is logged, not raised into the submit
    assert QuizPassDaysDelta.objects.filter(quiz=quiz).count() == 1
    monkeypatch.undo()
    assert _pass_rates()[quiz.id] == (1, 1)
