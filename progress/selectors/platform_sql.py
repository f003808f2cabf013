"""The admin dashboard's funnel and pass rates, counted in SQL over the summary rows.

Same rules as before, counted by the database per learner: the funnel follows the learners who enrolled in
the range; "started" is any progress on a published lesson or any attempt at a published quiz;
pass rates count the learners who submitted an attempt at the quiz in the range, by final grade.
"""
from datetime import datetime

from django.db import connection

from courses.models import Enrollment, Lesson, LessonProgress
from quizzes.models import Attempt, Quiz

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

    Three grouped reads, one row per learner and course each, joined here: cheaper on SQLite than
    joining the grouped results in SQL, and the same on PostgreSQL.
    """
    cohort = _fetch(f"SELECT course_id, user_id FROM {Enrollment._meta.db_table} WHERE created_at >= %s AND created_at < %s", [start_at, end_before])
    if not cohort:
        return {}
    lessons_done = {
        (course_id, user_id): int(done or 0)
        for course_id, user_id, done in _fetch(
            f"SELECT l.course_id, p.user_id, SUM(CASE WHEN p.completed_at IS NOT NULL THEN 1 ELSE 0 END)"
            f" FROM {LessonProgress._meta.db_table} p JOIN {LESSONS} l ON l.id = p.lesson_id WHERE l.is_published = %s"
            f" GROUP BY l.course_id, p.user_id", [True])
    }
    quizzes_passed = {
        (course_id, user_id): int(passed or 0)
        for course_id, user_id, passed in _fetch(f"SELECT l.course_id, g.user_id, SUM({PASSED}) FROM {GRADES} g {LIVE_QUIZ} GROUP BY l.course_id, g.user_id", [True, True])
    }
    lesson_totals = dict(_fetch(f"SELECT course_id, COUNT(*) FROM {LESSONS} WHERE is_published = %s GROUP BY course_id", [True]))
    quiz_totals = dict(_fetch(f"SELECT l.course_id, COUNT(*) FROM {QUIZZES} q JOIN {LESSONS} l ON l.id = q.lesson_id"
                              f" WHERE q.is_published = %s AND l.is_published = %s GROUP BY l.course_id", [True, True]))
    out: dict[int, dict[str, int]] = {}
    for course_id, user_id in cohort:
        row = out.setdefault(course_id, {"enrolled": 0, "started": 0, "completed_lessons": 0, "passed_quizzes": 0})
        key = (course_id, user_id)
        lessons, quizzes = lesson_totals.get(course_id, 0), quiz_totals.get(course_id, 0)
        row["enrolled"] += 1
        row["started"] += key in lessons_done or key in quizzes_passed
        row["completed_lessons"] += bool(lessons) and lessons_done.get(key, 0) >= lessons
        row["passed_quizzes"] += bool(quizzes) and quizzes_passed.get(key, 0) >= quizzes
    return out


def pass_rate_rows(*, quiz_ids: list[int], start_at: datetime, end_before: datetime) -> dict[int, tuple[int, int]]:
    """quiz id -> (learners graded, learners passed) among those who submitted an attempt in the range."""
    if not quiz_ids:
        return {}
    marks = ", ".join(["%s"] * len(quiz_ids))
    # The first and last submission decide most learners; only one who submitted before and after
    # the range needs a look at the attempts themselves.
    sql = f"""
        SELECT g.quiz_id, COUNT(*), SUM({PASSED}) FROM {GRADES} g JOIN {QUIZZES} q ON q.id = g.quiz_id
        WHERE g.quiz_id IN ({marks}) AND {percent_sql('g', 'q')} IS NOT NULL
          AND g.last_submitted_at >= %s AND g.first_submitted_at < %s
          AND (g.first_submitted_at >= %s OR g.last_submitted_at < %s OR EXISTS (
               SELECT 1 FROM {Attempt._meta.db_table} a WHERE a.quiz_id = g.quiz_id AND a.user_id = g.user_id
               AND a.submitted_at >= %s AND a.submitted_at < %s))
        GROUP BY g.quiz_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*quiz_ids, start_at, end_before, start_at, end_before, start_at, end_before])
        return {quiz_id: (int(graded), int(passed or 0)) for quiz_id, graded, passed in cursor.fetchall()}
