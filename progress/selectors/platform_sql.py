"""The admin dashboard's funnel and pass rates, counted in SQL over the summary rows.

Same rules as before: the funnel follows the learners who enrolled in the range, read from their
per-course summary rows; "started" is any progress on a published lesson or any attempt at a live quiz;
pass rates count the learners who submitted an attempt at the quiz in the range, by final grade.
"""
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from courses.models import Enrollment, Lesson
from quizzes.models import Attempt, Quiz

from ..dashboard_models import CourseLearnerSummary, QuizPassDays
from ..pass_rate_summaries import pass_days_fold
from ..summary_models import LearnerQuizGrade
from .gradebook_sql import PASS_TOLERANCE, percent_sql

GRADES, QUIZZES, LESSONS = LearnerQuizGrade._meta.db_table, Quiz._meta.db_table, Lesson._meta.db_table
PASSED = f"CASE WHEN {percent_sql('g', 'q')} >= q.pass_percent - {PASS_TOLERANCE} THEN 1 ELSE 0 END"
LIVE_QUIZ = f"JOIN {QUIZZES} q ON q.id = g.quiz_id JOIN {LESSONS} l ON l.id = q.lesson_id WHERE q.is_published = %s AND l.is_published = %s"


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def funnel_rows(*, start_at: datetime, end_before: datetime) -> dict[int, dict[str, int]]:
    """course id -> enrolled, started, completed_lessons, passed_quizzes for the cohort enrolled in the range.

    One grouped read of the cohort's enrollments joined with their learners' course rows
    (progress.dashboard_models: counts kept as lesson progress and grades change) and the course's
    numbers of live lessons and quizzes: one row per course comes back.
    """
    lesson_totals = f"SELECT course_id, COUNT(*) AS n FROM {LESSONS} WHERE is_published = %s GROUP BY course_id"
    quiz_totals = (f"SELECT l.course_id AS course_id, COUNT(*) AS n FROM {QUIZZES} q JOIN {LESSONS} l ON l.id = q.lesson_id"
                   f" WHERE q.is_published = %s AND l.is_published = %s GROUP BY l.course_id")
    sql = f"""
        SELECT e.course_id, COUNT(*),
               SUM(CASE WHEN s.lessons_viewed > 0 OR s.quizzes_attempted > 0 THEN 1 ELSE 0 END),
               SUM(CASE WHEN lt.n > 0 AND s.lessons_completed >= lt.n THEN 1 ELSE 0 END),
               SUM(CASE WHEN qt.n > 0 AND s.quizzes_passed >= qt.n THEN 1 ELSE 0 END)
        FROM {Enrollment._meta.db_table} e
        LEFT JOIN {CourseLearnerSummary._meta.db_table} s ON s.course_id = e.course_id AND s.user_id = e.user_id
        LEFT JOIN ({lesson_totals}) lt ON lt.course_id = e.course_id
        LEFT JOIN ({quiz_totals}) qt ON qt.course_id = e.course_id
        WHERE e.created_at >= %s AND e.created_at < %s
        GROUP BY e.course_id
    """
    return {
        course_id: {"enrolled": int(enrolled), "started": int(started or 0), "completed_lessons": int(done or 0), "passed_quizzes": int(passed or 0)}
        for course_id, enrolled, started, done, passed in _fetch(sql, [True, True, True, start_at, end_before])
    }


def pass_rate_rows(*, quiz_ids: list[int], start_at: datetime, end_before: datetime) -> dict[int, tuple[int, int]]:
    """quiz id -> (learners graded, learners passed) among those who submitted an attempt in the range.

    From the quizzes' day-pair buckets (progress.dashboard_models.QuizPassDays): a learner whose first
    and last submission days are both before or after the range did not submit in it; one whose
    first or last day is inside did. Only a learner who submitted before and after the range, with
    none inside perhaps, needs their attempts read — and only when such a bucket exists.
    """
    if not quiz_ids:
        return {}
    pass_days_fold(quiz_ids=quiz_ids)  # the submits' pending deltas into their buckets first
    marks = ", ".join(["%s"] * len(quiz_ids))
    start, end = timezone.localdate(start_at), timezone.localdate(end_before) - timedelta(days=1)
    days = QuizPassDays._meta.db_table
    out: dict[int, tuple[int, int]] = {}
    inside = _fetch(f"SELECT quiz_id, SUM(graded), SUM(passed) FROM {days} WHERE quiz_id IN ({marks}) AND graded > 0"
                    f" AND last_on >= %s AND first_on <= %s AND (first_on >= %s OR last_on <= %s) GROUP BY quiz_id", [*quiz_ids, start, end, start, end])
    for quiz_id, graded, passed in inside:
        out[quiz_id] = (int(graded), int(passed or 0))
    spanning = [quiz_id for (quiz_id,) in _fetch(f"SELECT DISTINCT quiz_id FROM {days} WHERE quiz_id IN ({marks}) AND graded > 0"
                                                 f" AND first_on < %s AND last_on > %s", [*quiz_ids, start, end])]
    if spanning:
        marks = ", ".join(["%s"] * len(spanning))
        sql = f"""
            SELECT g.quiz_id, COUNT(*), SUM({PASSED}) FROM {GRADES} g JOIN {QUIZZES} q ON q.id = g.quiz_id
            WHERE g.quiz_id IN ({marks}) AND {percent_sql('g', 'q')} IS NOT NULL
              AND g.first_submitted_at < %s AND g.last_submitted_at >= %s AND EXISTS (
                  SELECT 1 FROM {Attempt._meta.db_table} a WHERE a.quiz_id = g.quiz_id AND a.user_id = g.user_id
                  AND a.submitted_at >= %s AND a.submitted_at < %s)
            GROUP BY g.quiz_id
        """
        for quiz_id, graded, passed in _fetch(sql, [*spanning, start_at, end_before, start_at, end_before]):
            before = out.get(quiz_id, (0, 0))
            out[quiz_id] = (before[0] + int(graded), before[1] + int(passed or 0))
    return out
