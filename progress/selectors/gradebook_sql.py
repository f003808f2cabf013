"""The gradebook's order, filters and paging in SQL, over the summary rows (progress.summary_models).

One statement lists the learners of a page; another counts them. The same SQL runs on SQLite and
PostgreSQL: names are sorted on a key casefolded in Python (LearnerSummary.sort_name) and compared
byte by byte (COLLATE "C" on PostgreSQL, SQLite's default), which is the order Python's sort gave.
A final grade is picked from the stored ones by the quiz's grading method, and the pass mark is
applied here, as selectors.grades does.
"""
from dataclasses import dataclass

from django.db import connection

from courses.models import Enrollment
from quizzes.models import Quiz

from ..dashboard_models import CourseLearnerSummary
from ..summary_models import LearnerQuizGrade, LearnerSummary
from .grades import FAILED, NOT_STARTED, PASSED

PASS_TOLERANCE = 1e-9  # as in selectors.grades: 59.9999999 % passes a 60 % mark
STATUS_ORDER = {PASSED: 0, "in_progress": 1, FAILED: 2, NOT_STARTED: 3}


def percent_sql(alias: str, quiz_alias: str) -> str:
    """The final grade of a LearnerQuizGrade row under its quiz's grading method."""
    return (f"CASE {quiz_alias}.grading_method WHEN 'highest' THEN {alias}.highest WHEN 'average' THEN {alias}.average "
            f"WHEN 'first' THEN {alias}.first ELSE {alias}.last END")


def _text(column: str) -> str:
    return f'{column} COLLATE "C"' if connection.vendor == "postgresql" else column


def _rounded(value: str) -> str:
    """A float rounded to 9 decimals for sorting: an AVG's last bit depends on the order the database
    summed the rows in, and that must not reorder two learners who both have 100 %."""
    return f"ROUND(CAST({value} AS NUMERIC), 9)" if connection.vendor == "postgresql" else f"ROUND({value}, 9)"


@dataclass(frozen=True)
class GradebookQuery:
    course_id: int
    quiz_ids: list[int]
    search: str = ""
    status: str = ""
    status_quiz_id: int | None = None  # the status filter applies to this quiz's grade, not the course's
    sort: str = "name"
    sort_quiz_id: int | None = None
    descending: bool = False

    def _from(self) -> tuple[str, list]:
        grades, quizzes, learners = LearnerQuizGrade._meta.db_table, Quiz._meta.db_table, LearnerSummary._meta.db_table
        params: list = []
        sql = [
            f"FROM {Enrollment._meta.db_table} e JOIN auth_user u ON u.id = e.user_id",
            f"LEFT JOIN {learners} s ON s.user_id = e.user_id",
        ]
        if self._needs_course_figures():
            marks = ", ".join(["%s"] * len(self.quiz_ids)) or "NULL"
            sql.append(
                f"LEFT JOIN (SELECT p.user_id, COUNT(*) AS started, AVG(p.pct) AS average,"
                f" SUM(CASE WHEN p.pct >= p.pass_percent - {PASS_TOLERANCE} THEN 1 ELSE 0 END) AS passed,"
                f" SUM(CASE WHEN p.pct < p.pass_percent - {PASS_TOLERANCE} THEN 1 ELSE 0 END) AS failed"
                f" FROM (SELECT g.user_id, q.pass_percent, {percent_sql('g', 'q')} AS pct FROM {grades} g"
                f" JOIN {quizzes} q ON q.id = g.quiz_id WHERE g.quiz_id IN ({marks})) p GROUP BY p.user_id) a ON a.user_id = e.user_id"
            )
            params += self.quiz_ids
        for alias, quiz_id in (("sg", self.status_quiz_id), ("og", self.sort_quiz_id)):
            if quiz_id is not None and (alias == "sg" or quiz_id != self.status_quiz_id):
                sql.append(f"LEFT JOIN {grades} {alias} ON {alias}.user_id = e.user_id AND {alias}.quiz_id = %s"
                           f" LEFT JOIN {quizzes} {alias}q ON {alias}q.id = {alias}.quiz_id")
                params.append(quiz_id)
        sql.append("WHERE e.course_id = %s")
        params.append(self.course_id)
        if self.search:
            needle = self.search.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            sql.append("AND COALESCE(s.search_text, LOWER(u.username)) LIKE %s ESCAPE '\\'")
            params.append(f"%{needle}%")
        if self.status and self.status_quiz_id is not None:
            sql.append(f"AND ({self._quiz_state('sg')}) = %s")
            params.append(self.status)
        elif self.status:
            condition, more = self._course_status_condition()
            sql.append(f"AND {condition}")
            params += more
        return " ".join(sql), params

    def _needs_course_figures(self) -> bool:
        return self.sort in ("average", "status")

    def _course_status_condition(self) -> tuple[str, list]:
        """The course status filter as per-learner lookups, not an aggregate over the cohort: failed =
        some final grade below its pass mark (the learner's course summary row counts them); passed =
        every quiz passed; not started = no attempt at any quiz (lookups on the (user, quiz) index)."""
        grades, quizzes = LearnerQuizGrade._meta.db_table, Quiz._meta.db_table
        marks = ", ".join(["%s"] * len(self.quiz_ids)) or "NULL"
        rows = f"FROM {grades} g JOIN {quizzes} q ON q.id = g.quiz_id WHERE g.user_id = e.user_id AND g.quiz_id IN ({marks})"
        pct = percent_sql("g", "q")
        if self.status == FAILED:  # counted per learner and course as grades change (progress.funnel_summaries)
            return (f"e.user_id IN (SELECT c.user_id FROM {CourseLearnerSummary._meta.db_table} c WHERE c.course_id = %s AND c.quizzes_failed > 0)",
                    [self.course_id])
        if self.status == PASSED:
            return (f"{len(self.quiz_ids)} > 0 AND (SELECT COUNT(*) {rows} AND {pct} >= q.pass_percent - {PASS_TOLERANCE}) = {len(self.quiz_ids)}",
                    list(self.quiz_ids))
        return f"NOT EXISTS (SELECT 1 {rows})", list(self.quiz_ids)

    def _course_status(self) -> str:
        k = len(self.quiz_ids)
        return (f"CASE WHEN COALESCE(a.started, 0) = 0 THEN '{NOT_STARTED}' WHEN a.passed = {k} THEN '{PASSED}'"
                f" WHEN a.failed > 0 THEN '{FAILED}' ELSE 'in_progress' END")

    def _quiz_state(self, alias: str) -> str:
        pct = percent_sql(alias, f"{alias}q")
        return (f"CASE WHEN {alias}.user_id IS NULL THEN '{NOT_STARTED}' WHEN ({pct}) IS NULL THEN 'unfinished'"
                f" WHEN ({pct}) >= {alias}q.pass_percent - {PASS_TOLERANCE} THEN '{PASSED}' ELSE '{FAILED}' END")

    def _order(self) -> str:
        way = "DESC" if self.descending else "ASC"
        by_name = f"{_text('COALESCE(s.sort_name, LOWER(u.username))')} {way}, {_text('u.username')} {way}"
        if self.sort == "average":
            value = "a.average"
        elif self.sort == "status":
            order = " ".join(f"WHEN '{state}' THEN {rank}" for state, rank in STATUS_ORDER.items())
            return f"CASE {self._course_status()} {order} END {way}, {by_name}"
        elif self.sort == "quiz" and self.sort_quiz_id is not None:
            alias = "sg" if self.sort_quiz_id == self.status_quiz_id else "og"
            value = percent_sql(alias, f"{alias}q")
        else:
            return by_name
        # Learners without a value come last whichever the direction; ties keep the name order.
        return f"CASE WHEN ({value}) IS NULL THEN 1 ELSE 0 END, {_rounded(value)} {way}, {by_name}"

    def count(self) -> int:
        sql, params = self._from()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) {sql}", params)
            return cursor.fetchone()[0]

    def user_ids(self, *, offset: int = 0, limit: int | None = None) -> list[int]:
        sql, params = self._from()
        page = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT e.user_id {sql} ORDER BY {self._order()}{page}", params)
            return [row[0] for row in cursor.fetchall()]
