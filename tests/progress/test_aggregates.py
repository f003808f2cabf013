"""Every aggregate against values computed by hand on the small fixture of conftest.py."""
from datetime import timedelta

import pytest
from django.utils import timezone

from courses.models import Enrollment, LessonProgress
from progress.models import EventKind, LearningEvent
from progress.selectors.gradebook import gradebook_for_course
from progress.selectors.learner import learning_summary_for_user
from progress.selectors.platform import date_range_parse, platform_dashboard
from progress.selectors.reports import lesson_report
from quizzes.models import AttemptState
from quizzes.selectors import final_grade_for_user

from .conftest import days_ago, make_attempt

pytestmark = pytest.mark.django_db


def _cells(gradebook, username):
    row = next(row for row in gradebook.rows if row.learner.username == username)
    return row, {quiz.title: grade for quiz, grade in zip(gradebook.quizzes, row.grades)}


def test_gradebook_final_grades_follow_each_quiz_grading_method(book):
    gradebook = gradebook_for_course(course=book.cast.course)
    assert [quiz.title for quiz in gradebook.quizzes] == ["Highest quiz", "Average quiz"]
    row, cells = _cells(gradebook, "student1")
    assert cells["Highest quiz"].percent == pytest.approx(80) and cells["Highest quiz"].passed is True
    assert cells["Highest quiz"].attempts_left == 1
    assert cells["Average quiz"].percent == pytest.approx(45) and cells["Average quiz"].passed is False
    assert row.average == pytest.approx(62.5) and row.status == "failed" and row.passed_count == 1
    row, cells = _cells(gradebook, "student3")
    assert cells["Highest quiz"].percent == pytest.approx(50) and cells["Highest quiz"].state == "failed"
    assert cells["Highest quiz"].attempts_used == 2 and cells["Highest quiz"].in_progress
    assert cells["Average quiz"].state == "not_started"
    row, cells = _cells(gradebook, "student4")
    assert row.status == "not_started" and row.average is None


def test_bulk_grades_agree_with_the_quiz_apps_own_final_grade(book):
    gradebook = gradebook_for_course(course=book.cast.course)
    for row in gradebook.rows:
        for quiz, grade in zip(gradebook.quizzes, row.grades):
            own = final_grade_for_user(quiz=quiz, user=type(book.student4).objects.get(pk=row.learner.id))
            assert (grade.percent, grade.passed, grade.attempts_used, grade.attempts_left) == (
                own.percent, own.passed, own.attempts_used, own.attempts_left
            )


def test_gradebook_filters_by_name_status_and_quiz(book):
    course = book.cast.course
    assert [r.learner.username for r in gradebook_for_course(course=course, search="zoe").rows] == ["student4"]
    assert [r.learner.username for r in gradebook_for_course(course=course, status="not_started").rows] == ["student4"]
    assert {r.learner.username for r in gradebook_for_course(course=course, status="failed").rows} == {"student1", "student3"}
    passed_high = gradebook_for_course(course=course, status="passed", quiz_id=book.quiz_high.id)
    assert [r.learner.username for r in passed_high.rows] == ["student1"]
    not_started_avg = gradebook_for_course(course=course, status="not_started", quiz_id=book.quiz_avg.id)
    assert {r.learner.username for r in not_started_avg.rows} == {"student3", "student4"}


def test_gradebook_sorts_by_a_quiz_column_with_empty_grades_last(book):
    course = book.cast.course
    ascending = gradebook_for_course(course=course, sort=f"quiz-{book.quiz_high.id}")
    assert [r.learner.username for r in ascending.rows] == ["student3", "student1", "student4"]
    descending = gradebook_for_course(course=course, sort=f"quiz-{book.quiz_high.id}", descending=True)
    assert [r.learner.username for r in descending.rows] == ["student1", "student3", "student4"]
    by_average = gradebook_for_course(course=course, sort="average", descending=True)
    assert [r.learner.username for r in by_average.rows] == ["student1", "student3", "student4"]


def test_gradebook_paginates(book):
    page = gradebook_for_course(course=book.cast.course).page(2, per_page=2)
    assert page.paginator.count == 3 and len(page.object_list) == 1


def test_my_learning_counts_lessons_grades_and_names_the_next_step(book):
    cast = book.cast
    LessonProgress.objects.create(user=cast.student, lesson=cast.lesson, last_viewed_at=timezone.now(), completed_at=timezone.now())
    [summary] = learning_summary_for_user(user=cast.student)
    assert (summary.lessons_total, summary.lessons_completed, summary.percent) == (2, 1, 50)  # the draft does not count
    assert summary.quizzes_passed == 1
    # Lesson 1 is done and its quiz passed: the next step is lesson 2.
    assert summary.next_step.kind == "lesson" and "Second lesson" in summary.next_step.label
    LessonProgress.objects.create(user=cast.student, lesson=book.second, last_viewed_at=timezone.now(), completed_at=timezone.now())
    [summary] = learning_summary_for_user(user=cast.student)
    # Both lessons done; the average quiz is failed with unlimited attempts: retake it.
    assert summary.next_step.kind == "quiz" and summary.next_step.label == "Retake quiz: Average quiz"
    make_attempt(quiz=book.quiz_avg, user=cast.student, percent=100)  # average now (30+60+100)/3 = 63.3
    [summary] = learning_summary_for_user(user=cast.student)
    assert summary.next_step is None and summary.is_complete


def test_next_step_skips_a_failed_quiz_without_attempts_left(cast, make_quiz):
    quiz = make_quiz(title="Once", attempts_allowed=1)
    make_attempt(quiz=quiz, user=cast.student, percent=10)
    LessonProgress.objects.create(user=cast.student, lesson=cast.lesson, last_viewed_at=timezone.now(), completed_at=timezone.now())
    [summary] = learning_summary_for_user(user=cast.student)
    assert summary.quizzes[0].grade.state == "failed" and summary.quizzes[0].grade.attempts_left == 0
    assert summary.next_step is None


def test_lesson_report_counts_enrolled_learners_who_opened_and_completed(book):
    cast = book.cast
    now = timezone.now()
    LessonProgress.objects.create(user=cast.student, lesson=cast.lesson, last_viewed_at=now, completed_at=now)
    LessonProgress.objects.create(user=cast.classmate, lesson=cast.lesson, last_viewed_at=now)
    LessonProgress.objects.create(user=cast.other_student, lesson=cast.lesson, last_viewed_at=now)  # not enrolled
    for user in (cast.student, cast.student, cast.classmate):
        LearningEvent.objects.create(kind=EventKind.LESSON_VIEWED, user=user, course=cast.course, lesson=cast.lesson)
    rows = {row.lesson.slug: row for row in lesson_report(course=cast.course)}
    assert list(rows) == ["intro", "second"]  # published lessons only, in order
    intro = rows["intro"]
    assert (intro.enrolled, intro.opened, intro.completed, intro.views) == (3, 2, 1, 3)
    assert intro.completed_percent == pytest.approx(100 / 3)
    assert (rows["second"].opened, rows["second"].completed) == (0, 0)


def test_platform_dashboard_numbers(book):
    cast = book.cast
    now = timezone.now()
    Enrollment.objects.filter(user=book.student4).update(created_at=days_ago(3))
    Enrollment.objects.filter(user=cast.classmate).update(created_at=days_ago(45))  # before the range
    for lesson in (cast.lesson, book.second):
        LessonProgress.objects.create(user=cast.student, lesson=lesson, last_viewed_at=now, completed_at=now)
    LearningEvent.objects.create(kind=EventKind.LESSON_VIEWED, user=cast.student, course=cast.course)
    LearningEvent.objects.create(kind=EventKind.LESSON_VIEWED, user=cast.classmate, course=cast.course, occurred_at=days_ago(10))
    LearningEvent.objects.create(kind=EventKind.LESSON_VIEWED, user=book.student4, course=cast.course, occurred_at=days_ago(40))
    LearningEvent.objects.create(kind=EventKind.LAB_USED, user=cast.student, count=3)
    LearningEvent.objects.create(kind=EventKind.LAB_USED, user=cast.other_student, count=2, occurred_at=days_ago(1))
    period, problems = date_range_parse(start=None, end=None)
    assert problems == [] and (period.end - period.start).days == 29
    data = platform_dashboard(period=period)
    # 7 days: student1 (today), student2 (lab yesterday); 30 days: + student3 (10 days ago); student4 was 40 days ago.
    assert (data.active_7_days, data.active_30_days) == (2, 3)
    assert data.enrollments_total == 2  # student1 today, student4 three days ago
    assert dict(data.enrollments_per_day)[timezone.localdate() - timedelta(days=3)] == 1
    assert data.lab_total == 5 and data.lab_users == 2
    funnel = {row.course.slug: row for row in data.funnel}[cast.course.slug]
    # Cohort: student1 and student4. student1 started, completed both lessons, failed the average quiz.
    assert (funnel.enrolled, funnel.started, funnel.completed_lessons, funnel.passed_quizzes) == (2, 1, 1, 0)
    rates = {row.quiz.title: row for row in data.pass_rates}
    assert (rates["Highest quiz"].graded, rates["Highest quiz"].passed, rates["Highest quiz"].rate) == (2, 1, 50)
    assert (rates["Average quiz"].graded, rates["Average quiz"].passed) == (1, 0)


def test_funnel_counts_learners_who_passed_every_quiz(book):
    make_attempt(quiz=book.quiz_avg, user=book.cast.student, percent=100)
    period, _ = date_range_parse(start=None, end=None)
    funnel = {row.course.slug: row for row in platform_dashboard(period=period).funnel}[book.cast.course.slug]
    assert funnel.passed_quizzes == 1


def test_pass_rates_only_count_attempts_submitted_in_the_range(book):
    old = make_attempt(quiz=book.quiz_avg, user=book.student4, percent=90, submitted_at=days_ago(60))
    period, _ = date_range_parse(start=None, end=None)
    rates = {row.quiz.title: row for row in platform_dashboard(period=period).pass_rates}
    assert rates["Average quiz"].graded == 1
    period, _ = date_range_parse(start=(old.submitted_at - timedelta(days=1)).date().isoformat(), end=None)
    rates = {row.quiz.title: row for row in platform_dashboard(period=period).pass_rates}
    assert (rates["Average quiz"].graded, rates["Average quiz"].passed) == (2, 1)


def test_date_range_parse_corrects_bad_input():
    period, problems = date_range_parse(start="2026-02-10", end="2026-02-01")
    assert (period.start.isoformat(), period.end.isoformat()) == ("2026-02-01", "2026-02-10") and problems
    period, problems = date_range_parse(start="nonsense", end="2026-02-01")
    assert period.end.isoformat() == "2026-02-01" and (period.end - period.start).days == 29 and problems
