"""Instructor reports: a quiz's item statistics and score distribution, and a course's lesson report.

The item statistics are the quiz engine's own (quizzes.selectors_reports.quiz_statistics), not a
second computation: the quiz report and the quiz's statistics page must never disagree.
"""
from dataclasses import dataclass
from itertools import chain, repeat

from django.db.models import Count, Q

from courses.models import Course, Enrollment, Lesson, LessonProgress
from quizzes.models import Quiz
from quizzes.selectors_reports import QuestionReport, QuizStatistics, quiz_statistics

from ..item_summaries import summary_sums
from ..summary_models import LearnerQuizGrade, LessonViews


def item_verdict(question: QuestionReport) -> str:
    """A plain reading of the quiz engine's figures, in the order an author should act on them.

    Facility is in percent and discrimination is the index (100 × correlation), as the statistics page shows them.
    """
    if question.facility is None:
        return "No graded answers yet"
    if question.discrimination is not None and question.discrimination < 0:
        return "Strong learners do worse: check the answer key"
    if question.facility < 20:
        return "Very hard"
    if question.facility > 90:
        return "Very easy"
    if question.discrimination is not None and question.discrimination < 20:
        return "Weak discrimination"
    return "Working well"


@dataclass(frozen=True)
class QuizReport:
    quiz: Quiz
    statistics: QuizStatistics  # the quiz engine's item and test statistics, as its statistics page shows them
    grade_runs: list[tuple[float, int]]  # (final grade, learners with it), ascending; by the quiz's grading method
    learners_attempted: int

    @property
    def final_grades(self) -> list[float]:
        """One per learner with a final grade, ascending (what the runs stand for)."""
        return list(chain.from_iterable(repeat(grade, count) for grade, count in self.grade_runs))

    @property
    def items(self) -> list[tuple[QuestionReport, str]]:
        return [(question, item_verdict(question)) for question in self.statistics.questions]

    @property
    def attempts_analysed(self) -> int:
        return self.statistics.test.attempts

    @property
    def learners_graded(self) -> int:
        return sum(count for _, count in self.grade_runs)

    @property
    def mean_grade(self) -> float | None:
        # Added one by one in ascending order, as over the list: the same float, bit for bit (the additions run in C).
        graded = self.learners_graded
        return sum(chain.from_iterable(repeat(grade, count) for grade, count in self.grade_runs)) / graded if graded else None

    @property
    def passed(self) -> int:
        return sum(count for grade, count in self.grade_runs if grade >= self.quiz.pass_percent - 1e-9)

    @property
    def pass_rate(self) -> float | None:
        return 100 * self.passed / self.learners_graded if self.grade_runs else None

    def histogram(self, *, bins: int = 10) -> list[tuple[str, int]]:
        """Final grades in `bins` equal bands of 0..100 %; 100 % falls in the last band."""
        width = 100 / bins
        counts = [0] * bins
        for grade, count in self.grade_runs:
            counts[min(bins - 1, int(grade // width))] += count
        return [(f"{round(i * width)}–{round((i + 1) * width)}", count) for i, count in enumerate(counts)]


def quiz_report(*, quiz: Quiz, which: str = "first") -> QuizReport:
    """The quiz engine's item statistics (first attempts, or all), computed from the quiz's summary rows,
    and each learner's final grade; a fixed number of queries."""
    # The final grades come from the summary rows (picked by the grading method), counted by the database:
    # one row per distinct grade, not per learner.
    runs = list(LearnerQuizGrade.objects.filter(quiz=quiz).order_by().values_list(quiz.grading_method)
                .annotate(learners=Count("pk")).values_list(quiz.grading_method, "learners"))
    grades = sorted((grade, count) for grade, count in runs if grade is not None)
    attempted = sum(count for _, count in runs)
    return QuizReport(
        quiz=quiz,
        statistics=quiz_statistics(quiz=quiz, which=which, gather=summary_sums),
        grade_runs=grades,
        learners_attempted=attempted,
    )


@dataclass(frozen=True)
class LessonReportRow:
    lesson: Lesson
    enrolled: int
    opened: int  # enrolled learners who opened the lesson at least once
    completed: int  # enrolled learners who have it marked complete now
    views: int  # lesson views recorded in the learning record (everyone, repeat visits included)

    @property
    def opened_percent(self) -> float:
        return 100 * self.opened / self.enrolled if self.enrolled else 0.0

    @property
    def completed_percent(self) -> float:
        return 100 * self.completed / self.enrolled if self.enrolled else 0.0


def lesson_report(*, course: Course) -> list[LessonReportRow]:
    """Per published lesson: how many enrolled learners opened and completed it; four queries."""
    lessons = list(course.lessons.filter(is_published=True).order_by("position", "id"))
    enrolled = Enrollment.objects.filter(course=course).count()
    progress = {
        row["lesson_id"]: row
        for row in LessonProgress.objects.filter(lesson__course=course, user__enrollments__course=course)
        .values("lesson_id")
        .annotate(opened=Count("id"), completed=Count("id", filter=Q(completed_at__isnull=False)))
    }
    views = dict(LessonViews.objects.filter(lesson__in=lessons).values_list("lesson_id", "views"))
    return [
        LessonReportRow(
            lesson=lesson,
            enrolled=enrolled,
            opened=progress.get(lesson.id, {}).get("opened", 0),
            completed=progress.get(lesson.id, {}).get("completed", 0),
            views=views.get(lesson.id, 0) or 0,
        )
        for lesson in lessons
    ]
