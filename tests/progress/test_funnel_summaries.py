"""The admin dashboard's funnel rows (progress.dashboard_models) follow every writer of lesson progress —
the learner's pages and API (queryset update()s), ORM saves and deletes, publishing, quiz settings,
submissions — and always equal a rebuild from the record, also after a concurrent burst (PostgreSQL)."""
import pytest
from django.db import connection
from django.urls import reverse

from courses.models import Lesson, LessonProgress
from courses.services import lesson_set_published
from progress.demo import demo_activity_seed
from progress.dashboard_models import CourseLearnerSummary, LabDay, LabLearnerDay, QuizPassDays
from progress.services import lab_use_record
from progress.funnel_summaries import course_learners_rebuild
from progress.lab_summaries import lab_days_fold
from progress.pass_rate_summaries import pass_days_fold, quiz_pass_days_rebuild
from progress.selectors.platform import date_range_parse, platform_dashboard
from progress.summaries import summaries_rebuild
from quizzes.models import Attempt
from tests.concurrency import run_together
from tests.conftest import client_for
from tests.factories import LessonFactory, UserFactory, enroll

from .test_summaries import _take_quiz


def _rows() -> list[tuple]:
    """The rows that mean something (an all-zero row counts nothing and a rebuild writes none)."""
    fields = ("course_id", "user_id", "lessons_viewed", "lessons_completed", "quizzes_attempted", "quizzes_passed", "quizzes_failed")
    return sorted(row for row in CourseLearnerSummary.objects.values_list(*fields) if any(row[2:]))


def _pass_days() -> list[tuple]:
    pass_days_fold()  # what the dashboard reads: the buckets with their pending deltas folded in
    return sorted(row for row in QuizPassDays.objects.values_list("quiz_id", "first_on", "last_on", "graded", "passed") if row[3])


def _lab() -> tuple[list, list]:
    lab_days_fold()
    return sorted(LabDay.objects.values_list("day", "runs")), sorted(LabLearnerDay.objects.values_list("day", "user_id"))


def _equals_rebuild() -> list[tuple]:
    incremental, buckets = _rows(), _pass_days()
    course_learners_rebuild()
    quiz_pass_days_rebuild()
    assert (_rows(), _pass_days()) == (incremental, buckets)
    return incremental


def _funnel(course):
    period, _ = date_range_parse(start=None, end=None)
    row = {row.course.id: row for row in platform_dashboard(period=period).funnel}[course.id]
    return row.enrolled, row.started, row.completed_lessons, row.passed_quizzes


@pytest.mark.django_db
def test_every_writer_of_lesson_progress_keeps_the_funnel_rows_equal_to_a_rebuild(cast, make_quiz, django_capture_on_commit_callbacks):
    second = LessonFactory(course=cast.course, slug="second", title="Second", position=3)
    quiz = make_quiz(qtypes=["single_choice"], grading_method="highest", pass_percent=60)
    student = client_for(cast.student)
    lesson_url = reverse("courses:lesson_detail", args=[cast.course.slug, cast.lesson.slug])
    completion_url = reverse("courses:lesson_completion", args=[cast.course.slug, cast.lesson.slug])
    with django_capture_on_commit_callbacks(execute=True):
        assert student.get(lesson_url).status_code == 200  # first view: a row is inserted
        assert _equals_rebuild() == [(cast.course.id, cast.student.id, 1, 0, 0, 0, 0)]
        assert _funnel(cast.course) == (2, 1, 0, 0)  # cast.classmate is enrolled too, with nothing done
        assert student.post(completion_url, {"completed": "1"}).status_code in (200, 302)  # an update()
        assert _equals_rebuild() == [(cast.course.id, cast.student.id, 1, 1, 0, 0, 0)]
        assert student.post(completion_url, {"completed": "1"}).status_code in (200, 302)  # a replay changes nothing
        assert _equals_rebuild() == [(cast.course.id, cast.student.id, 1, 1, 0, 0, 0)]
        api = f"/api/lessons/{second.pk}/completion/"
        assert student.post(api, {"completed": True}, content_type="application/json").status_code == 200
        assert _equals_rebuild() == [(cast.course.id, cast.student.id, 2, 2, 0, 0, 0)]
        assert _funnel(cast.course)[2] == 1  # both published lessons complete (the draft does not count)
        assert student.post(api, {"completed": False}, content_type="application/json").status_code == 200
        assert _equals_rebuild() == [(cast.course.id, cast.student.id, 2, 1, 0, 0, 0)]
        attempt = _take_quiz(quiz, cast.student, "b")  # a grade row saved: attempted and (with "b" right) passed
        assert _equals_rebuild()[0][4:] == (1, 1, 0)
        # Another learner's writes never touch this learner's row; an unenrolled learner's row is not in the funnel.
        client_for(cast.other_student).get(reverse("courses:lesson_detail", args=[cast.course.slug, cast.lesson.slug]))
        _equals_rebuild()
    # Settings the counts depend on (the course is counted again once the change commits): a quiz
    # hidden and shown, its grading method, publishing a lesson (an update()), a lesson deleted.
    committed = django_capture_on_commit_callbacks
    quiz.is_published = False
    with committed(execute=True):
        quiz.save()
    assert [row[4:] for row in _equals_rebuild() if row[1] == cast.student.id] == [(0, 0, 0)]
    quiz.is_published = True
    with committed(execute=True):
        quiz.save()
    assert [row[4:] for row in _equals_rebuild() if row[1] == cast.student.id] == [(1, 1, 0)]
    _take_quiz(quiz, cast.student, "a")  # a wrong second try: "highest" still passes, "last" does not
    quiz.grading_method = "last"
    with committed(execute=True):
        quiz.save()
    assert [row[4:] for row in _equals_rebuild() if row[1] == cast.student.id] == [(1, 0, 1)]  # the gradebook's "failed"
    with committed(execute=True):
        lesson_set_published(lesson=second, is_published=False)
    assert [row[2:4] for row in _equals_rebuild() if row[1] == cast.student.id] == [(1, 1)]
    with committed(execute=True):
        lesson_set_published(lesson=second, is_published=True)
    _equals_rebuild()
    with committed(execute=True):
        Lesson.objects.get(pk=second.pk).delete()
    assert [row[2:4] for row in _equals_rebuild() if row[1] == cast.student.id] == [(1, 1)]
    Attempt.objects.filter(user=cast.student).exclude(pk=attempt.pk).delete()
    attempt.delete()  # the grade row goes with the last attempt
    assert [row[4:] for row in _equals_rebuild() if row[1] == cast.student.id] == [(0, 0, 0)]
    LessonProgress.objects.filter(user=cast.student).delete()  # ORM delete: post_delete per row
    assert [row for row in _equals_rebuild() if row[1] == cast.student.id] == []
    cast.other_student.delete()  # a learner deleted: their row goes, and none is written back
    assert _equals_rebuild() == []


@pytest.mark.django_db
def test_the_demo_loader_and_a_full_rebuild_agree(cast, make_quiz, django_capture_on_commit_callbacks):
    make_quiz(qtypes=["single_choice"])
    with django_capture_on_commit_callbacks(execute=True):
        demo_activity_seed(seed=3)
    incremental = (_rows(), _pass_days(), _lab())
    assert incremental[0] and incremental[1] and incremental[2][0]
    summaries_rebuild()
    assert (_rows(), _pass_days(), _lab()) == incremental


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_concurrent_views_completions_and_submissions_leaves_no_drift(cast, make_quiz):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent writers need PostgreSQL (DATABASE_URL=postgres://…); SQLite serialises them.")
    second = LessonFactory(course=cast.course, slug="second", title="Second", position=3)
    quizzes = [make_quiz(qtypes=["single_choice"], grading_method=method, attempts_allowed=0) for method in ("highest", "last")]
    learners = [UserFactory(username=f"funnel{i}") for i in range(10)]
    for learner in learners:
        enroll(learner, cast.course)

    def burst(learner, index):
        def run():
            client = client_for(learner)
            for lesson in (cast.lesson, second):
                assert client.get(reverse("courses:lesson_detail", args=[cast.course.slug, lesson.slug])).status_code == 200
                completion = reverse("courses:lesson_completion", args=[cast.course.slug, lesson.slug])
                assert client.post(completion, {"completed": "1"}).status_code in (200, 302)
                for quiz in quizzes:
                    _take_quiz(quiz, learner, "b" if (index + lesson.position) % 2 else "a")
            lab_use_record(user=learner, count=index + 1)  # recorded after the (autocommit) call: a concurrent insert
            if index % 3 == 0:
                client.post(reverse("courses:lesson_completion", args=[cast.course.slug, second.slug]), {"completed": "0"})
            return "ok"
        return run

    # Each learner's views, completions and submissions (two grade rows each) all write their one
    # course row, from ten threads at once.
    results = run_together([burst(learner, index) for index, learner in enumerate(learners)])
    assert results == ["ok"] * len(learners), results
    incremental, buckets, lab = _rows(), _pass_days(), _lab()
    assert lab[0] == [(lab[0][0][0], sum(range(1, len(learners) + 1)))] and len(lab[1]) == len(learners)
    assert len(incremental) == len(learners)
    assert sum(row[3] for row in incremental) == 2 * len(learners) - len(range(0, len(learners), 3))
    assert sum(row[3] for row in buckets) == len(learners) * len(quizzes)
    summaries_rebuild()
    assert (_rows(), _pass_days(), _lab()) == (incremental, buckets, lab)


@pytest.mark.django_db
def test_pass_rates_read_a_learner_who_submitted_before_and_after_the_range_from_their_attempts(book):
    from datetime import timedelta

    from django.utils import timezone

    from .conftest import days_ago, make_attempt

    make_attempt(quiz=book.quiz_avg, user=book.student4, percent=90, submitted_at=days_ago(60))
    make_attempt(quiz=book.quiz_avg, user=book.student4, percent=70, submitted_at=days_ago(20))
    today = timezone.localdate()

    def graded(start_days: int, end_days: int) -> tuple[int, int]:
        period, _ = date_range_parse(start=(today - timedelta(days=start_days)).isoformat(), end=(today - timedelta(days=end_days)).isoformat())
        rates = {row.quiz.title: row for row in platform_dashboard(period=period).pass_rates}
        return rates["Average quiz"].graded, rates["Average quiz"].passed

    assert graded(50, 40) == (0, 0)  # student4 submitted before and after, not inside
    make_attempt(quiz=book.quiz_avg, user=book.student4, percent=20, submitted_at=days_ago(45))
    assert graded(50, 40) == (1, 1)  # now inside too: their final grade (average 60 %) passes the 50 % mark
    assert graded(61, 59) == (1, 1)  # first submission inside
    assert graded(25, 0) == (2, 1)  # with student1 (average 45 %: failed)
    assert _pass_days()  # the buckets are kept, and equal a rebuild
    _equals_rebuild()
