"""The admin's platform dashboard: enrollments, active learners, completion funnels, pass rates, lab use.

Every figure is for a date range (inclusive, in the site's time zone, UTC). The funnel follows the
cohort that enrolled in the range; pass rates count the learners who submitted an attempt at the
quiz in the range, by their final grade.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Max
from django.db.models.functions import TruncDate
from django.utils import timezone

from courses.models import Course, Enrollment
from quizzes.models import Quiz

from ..dashboard_models import LabDay, LabLearnerDay
from ..lab_summaries import lab_days_fold
from ..summary_models import DailyActivity, DailyLearner, LearnerSummary
from .platform_sql import funnel_rows, pass_rate_rows

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


def active_learners(*, period: DateRange) -> tuple[list[tuple[date, int]], int, int]:
    """Learners with any event per day, and in the 7 and 30 days that end with the range (summary rows)."""
    per_day = dict(DailyActivity.objects.filter(day__gte=period.start, day__lte=period.end).values_list("day", "active_learners"))
    latest = LearnerSummary.objects.aggregate(day=Max("last_active_on"))["day"]

    def active_since(days: int) -> int:
        since = period.end - timedelta(days=days - 1)
        if latest is None or latest <= period.end:
            # Nobody was active after the range: a learner active in it is one whose last day is in it.
            return LearnerSummary.objects.filter(last_active_on__gte=since).count()
        return DailyLearner.objects.filter(day__gte=since, day__lte=period.end).values("user_id").distinct().count()

    return _per_day(period, per_day), active_since(7), active_since(30)


def lab_usage(*, period: DateRange) -> tuple[list[tuple[date, int]], int]:
    """Runs per day and distinct learners in the range, from the lab's summary rows (progress.lab_summaries)."""
    lab_days_fold()  # pending runs into their days first
    per_day = dict(LabDay.objects.filter(day__gte=period.start, day__lte=period.end).values_list("day", "runs"))
    users = LabLearnerDay.objects.filter(day__gte=period.start, day__lte=period.end).values("user_id").distinct().count()
    return _per_day(period, per_day), users


def completion_funnel_and_pass_rates(*, period: DateRange) -> tuple[list[FunnelRow], list[PassRateRow]]:
    """Counted in SQL over the summary rows: one row per course and per quiz comes back."""
    courses = list(Course.objects.order_by("title"))
    quizzes = list(Quiz.objects.filter(is_published=True, lesson__is_published=True).select_related("lesson__course").order_by("lesson__course__title", "lesson__position", "id"))
    funnel_counts = funnel_rows(start_at=period.start_at, end_before=period.end_before)
    funnel = [FunnelRow(course=course, **funnel_counts.get(course.id, {"enrolled": 0, "started": 0, "completed_lessons": 0, "passed_quizzes": 0}))
              for course in courses]
    rates = pass_rate_rows(quiz_ids=[quiz.id for quiz in quizzes], start_at=period.start_at, end_before=period.end_before)
    pass_rates = [PassRateRow(quiz=quiz, graded=rates.get(quiz.id, (0, 0))[0], passed=rates.get(quiz.id, (0, 0))[1]) for quiz in quizzes]
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
