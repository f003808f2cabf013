"""The admin's platform dashboard: enrollments, active learners, completion funnels, pass rates, lab use.

Every figure is for a date range (inclusive, in the site's time zone, UTC). The funnel follows the
cohort that enrolled in the range; pass rates count the learners who submitted an attempt at the
quiz in the range, by their final grade.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from courses.models import Course, Enrollment, Lesson, LessonProgress
from quizzes.models import Attempt, Quiz

from ..models import EventKind, LearningEvent
from .grades import ATTEMPT_COLUMNS, grades_by_user_and_quiz, raw_rows

DEFAULT_DAYS = 30
MAX_DAYS = 366 * 2


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=offset) for offset in range((self.end - self.start).days + 1)]

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_before(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))


def date_range_parse(*, start: str | None, end: str | None, today: date | None = None) -> tuple[DateRange, list[str]]:
    """The range the admin asked for, or the last 30 days; with messages for what was corrected."""
    today = today or timezone.localdate()
    problems: list[str] = []

    def parse(value: str | None, label: str) -> date | None:
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            problems.append(f"“{value}” is not a date (use YYYY-MM-DD); the {label} date was reset.")
            return None

    end_date = parse(end, "end") or today
    start_date = parse(start, "start") or end_date - timedelta(days=DEFAULT_DAYS - 1)
    if start_date > end_date:
        problems.append("The start date was after the end date; they were swapped.")
        start_date, end_date = end_date, start_date
    if (end_date - start_date).days >= MAX_DAYS:
        problems.append(f"Ranges are limited to {MAX_DAYS} days; the start date was moved.")
        start_date = end_date - timedelta(days=MAX_DAYS - 1)
    return DateRange(start=start_date, end=end_date), problems


@dataclass(frozen=True)
class FunnelRow:
    course: Course
    enrolled: int
    started: int
    completed_lessons: int
    passed_quizzes: int

    @property
    def steps(self) -> list[tuple[str, int]]:
        return [
            ("Enrolled", self.enrolled),
            ("Started", self.started),
            ("Completed all lessons", self.completed_lessons),
            ("Passed all quizzes", self.passed_quizzes),
        ]


@dataclass(frozen=True)
class PassRateRow:
    quiz: Quiz
    graded: int
    passed: int

    @property
    def rate(self) -> float | None:
        return 100 * self.passed / self.graded if self.graded else None


@dataclass(frozen=True)
class PlatformDashboard:
    period: DateRange
    enrollments_per_day: list[tuple[date, int]]
    active_per_day: list[tuple[date, int]]
    active_7_days: int
    active_30_days: int
    funnel: list[FunnelRow]
    pass_rates: list[PassRateRow]
    lab_per_day: list[tuple[date, int]]
    lab_users: int

    @property
    def enrollments_total(self) -> int:
        return sum(count for _, count in self.enrollments_per_day)

    @property
    def lab_total(self) -> int:
        return sum(count for _, count in self.lab_per_day)


def _per_day(period: DateRange, counts: dict) -> list[tuple[date, int]]:
    return [(day, int(counts.get(day, 0) or 0)) for day in period.days]


def _day_counts(queryset, field: str, aggregate) -> dict[date, int]:
    rows = queryset.annotate(day=TruncDate(field)).values("day").annotate(n=aggregate).values_list("day", "n")
    return {day: n for day, n in rows}


def enrollments_per_day(*, period: DateRange) -> list[tuple[date, int]]:
    enrollments = Enrollment.objects.filter(created_at__gte=period.start_at, created_at__lt=period.end_before)
    return _per_day(period, _day_counts(enrollments, "created_at", Count("id")))


def _events_in(period: DateRange):
    return LearningEvent.objects.filter(occurred_on__gte=period.start, occurred_on__lte=period.end)


def active_learners(*, period: DateRange) -> tuple[list[tuple[date, int]], int, int]:
    """Learners with any event per day, and in the 7 and 30 days that end with the range."""
    per_day = dict(_events_in(period).values("occurred_on").annotate(n=Count("user_id", distinct=True)).values_list("occurred_on", "n"))

    def active_since(days: int) -> int:
        since = period.end - timedelta(days=days - 1)
        return LearningEvent.objects.filter(occurred_on__gte=since, occurred_on__lte=period.end).values("user_id").distinct().count()

    return _per_day(period, per_day), active_since(7), active_since(30)


def lab_usage(*, period: DateRange) -> tuple[list[tuple[date, int]], int]:
    runs = _events_in(period).filter(kind=EventKind.LAB_USED)
    per_day = dict(runs.values("occurred_on").annotate(n=Sum("count")).values_list("occurred_on", "n"))
    return _per_day(period, per_day), runs.values("user_id").distinct().count()


def completion_funnel_and_pass_rates(*, period: DateRange) -> tuple[list[FunnelRow], list[PassRateRow]]:
    courses = list(Course.objects.order_by("title"))
    cohort: dict[int, set[int]] = defaultdict(set)
    for course_id, user_id in Enrollment.objects.filter(created_at__gte=period.start_at, created_at__lt=period.end_before).values_list("course_id", "user_id"):
        cohort[course_id].add(user_id)
    lesson_totals = dict(
        Lesson.objects.filter(is_published=True).values("course_id").annotate(n=Count("id")).values_list("course_id", "n")
    )
    started: dict[int, set[int]] = defaultdict(set)
    completed_counts: dict[tuple[int, int], int] = defaultdict(int)
    # One row per learner and course, counted in SQL: no per-lesson rows, no datetimes to parse.
    progress = (
        LessonProgress.objects.filter(lesson__is_published=True)
        .values("lesson__course_id", "user_id")
        .annotate(done=Count("id", filter=Q(completed_at__isnull=False)))
        .values_list("lesson__course_id", "user_id", "done")
    )
    for course_id, user_id, done in progress:
        started[course_id].add(user_id)
        completed_counts[(course_id, user_id)] = done
    quizzes = list(Quiz.objects.filter(is_published=True, lesson__is_published=True).select_related("lesson__course").order_by("lesson__course__title", "lesson__position", "id"))
    course_of_quiz = {quiz.id: quiz.lesson.course_id for quiz in quizzes}
    quiz_totals: dict[int, int] = defaultdict(int)
    for quiz in quizzes:
        quiz_totals[quiz.lesson.course_id] += 1
    # Whether an attempt counts for the pass rates is decided in SQL, which spares parsing 30,000 datetimes.
    submitted_in_range = ExpressionWrapper(
        Q(submitted_at__gte=period.start_at, submitted_at__lt=period.end_before), output_field=BooleanField()
    )
    rows = raw_rows(
        Attempt.objects.filter(quiz__in=quizzes)
        .annotate(in_range=submitted_in_range)
        .order_by("user_id", "quiz_id", "number")
        .values_list(*ATTEMPT_COLUMNS, "in_range")
    )
    for user_id, quiz_id in {(row[0], row[1]) for row in rows}:
        started[course_of_quiz[quiz_id]].add(user_id)
    grades = grades_by_user_and_quiz(quizzes=quizzes, rows=rows)
    passed_counts: dict[tuple[int, int], int] = defaultdict(int)
    for (user_id, quiz_id), grade in grades.items():
        if grade.passed:
            passed_counts[(course_of_quiz[quiz_id], user_id)] += 1
    funnel = []
    for course in courses:
        members = cohort.get(course.id, set())
        lessons, quiz_count = lesson_totals.get(course.id, 0), quiz_totals.get(course.id, 0)
        funnel.append(
            FunnelRow(
                course=course,
                enrolled=len(members),
                started=len(members & started.get(course.id, set())),
                completed_lessons=sum(1 for user in members if lessons and completed_counts.get((course.id, user), 0) >= lessons),
                passed_quizzes=sum(1 for user in members if quiz_count and passed_counts.get((course.id, user), 0) >= quiz_count),
            )
        )
    # Pass rates: learners who submitted an attempt at the quiz in the range, by their final grade.
    active_in_range = {(row[0], row[1]) for row in rows if row[-1]}
    graded: dict[int, int] = defaultdict(int)
    passed: dict[int, int] = defaultdict(int)
    for key in active_in_range:
        grade = grades.get(key)
        if grade is not None and grade.percent is not None:
            graded[key[1]] += 1
            passed[key[1]] += bool(grade.passed)
    pass_rates = [PassRateRow(quiz=quiz, graded=graded.get(quiz.id, 0), passed=passed.get(quiz.id, 0)) for quiz in quizzes]
    return funnel, pass_rates


def platform_dashboard(*, period: DateRange) -> PlatformDashboard:
    active_per_day, active_7, active_30 = active_learners(period=period)
    funnel, pass_rates = completion_funnel_and_pass_rates(period=period)
    lab_per_day, lab_users = lab_usage(period=period)
    return PlatformDashboard(
        period=period,
        enrollments_per_day=enrollments_per_day(period=period),
        active_per_day=active_per_day,
        active_7_days=active_7,
        active_30_days=active_30,
        funnel=funnel,
        pass_rates=pass_rates,
        lab_per_day=lab_per_day,
        lab_users=lab_users,
    )
