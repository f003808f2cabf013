"""Admins' pages: the platform dashboard with its CSV exports, and users and roles."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from courses.models import Course

from .. import charts, csv_exports, services
from ..naming import quiz_short_titles
from ..permissions import platform_or_404
from ..selectors.platform import PlatformDashboard, date_range_parse, platform_dashboard

CHARTS = ["enrollments", "active", "funnel", "pass-rates", "lab"]


def _day(value) -> str:
    return f"{value:%d %b}"


def funnel_charts(dashboard: PlatformDashboard) -> list[charts.Chart]:
    """One small funnel per course, so each step's bar compares with the course's own enrollments."""
    return [
        charts.bar_list_chart(
            title=row.course.title, labels=[step for step, _ in row.steps], values=[count for _, count in row.steps],
            value_label="Learners", slug="funnel",
        )
        for row in dashboard.funnel
    ]


def dashboard_charts(dashboard: PlatformDashboard) -> dict[str, charts.Chart]:
    days = [_day(day) for day, _ in dashboard.enrollments_per_day]
    rated = dashboard.pass_rates
    short = quiz_short_titles(row.quiz for row in rated)
    return {
        "enrollments": charts.column_chart(
            title="New enrollments per day", labels=days, values=[n for _, n in dashboard.enrollments_per_day],
            x_label="Day", y_label="Enrollments", slug="enrollments",
        ),
        "active": charts.column_chart(
            title="Active learners per day", labels=days, values=[n for _, n in dashboard.active_per_day],
            x_label="Day", y_label="Learners", line=True, slug="active",
        ),
        "pass_rates": charts.bar_list_chart(
            title="Quiz pass rates", labels=[f"{row.quiz.lesson.position}. {short[row.quiz.id]}" for row in rated],
            values=[row.rate for row in rated], value_label="Learners who passed", unit="%", percent_axis=True,
            value_text=lambda value: f"{value:.0f}",
            extra_columns=[("Graded", [str(row.graded) for row in rated]), ("Passed", [str(row.passed) for row in rated])],
            slug="pass-rates",
        ),
        "lab": charts.column_chart(
            title="Attention lab sessions per day", labels=days, values=[n for _, n in dashboard.lab_per_day],
            x_label="Day", y_label="Sessions", slug="lab",
        ),
    }


def _dashboard_for(request: HttpRequest) -> tuple[PlatformDashboard, list[str]]:
    period, problems = date_range_parse(start=request.GET.get("start"), end=request.GET.get("end"))
    return platform_dashboard(period=period), problems


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    platform_or_404(request.user)
    data, problems = _dashboard_for(request)
    context = {"dashboard": data, "charts": dashboard_charts(data), "funnels": funnel_charts(data), "problems": problems, "querystring": request.GET.urlencode()}
    return render(request, "progress/platform.html", context)


@require_GET
@login_required
def chart_csv(request: HttpRequest, chart: str) -> HttpResponse:
    """The numbers behind one chart of the dashboard, for the same date range."""
    platform_or_404(request.user)
    if chart not in CHARTS:
        raise Http404("No such chart.")
    data, _ = _dashboard_for(request)
    period = f"{data.period.start:%Y%m%d}-{data.period.end:%Y%m%d}"
    if chart == "funnel":
        header = ["course", "enrolled", "started", "completed_all_lessons", "passed_all_quizzes"]
        rows = [[row.course.title, row.enrolled, row.started, row.completed_lessons, row.passed_quizzes] for row in data.funnel]
    elif chart == "pass-rates":
        header = ["course", "quiz", "learners_graded", "learners_passed", "pass_rate_percent"]
        rows = [[row.quiz.lesson.course.title, row.quiz.title, row.graded, row.passed, row.rate] for row in data.pass_rates]
    else:
        series = {"enrollments": data.enrollments_per_day, "active": data.active_per_day, "lab": data.lab_per_day}[chart]
        header = ["date", {"enrollments": "new_enrollments", "active": "active_learners", "lab": "lab_runs"}[chart]]
        rows = [[day.isoformat(), count] for day, count in series]
    return csv_exports.csv_response(filename=f"platform-{chart}-{period}", header=header, rows=rows)


@require_GET
@login_required
def users(request: HttpRequest) -> HttpResponse:
    platform_or_404(request.user)
    search = request.GET.get("q", "").strip()[:100]
    people = User.objects.order_by("username").prefetch_related("taught_courses", "groups")
    if search:
        people = people.filter(Q(username__icontains=search) | Q(first_name__icontains=search) | Q(last_name__icontains=search) | Q(email__icontains=search))
    page = Paginator(people, 25).get_page(request.GET.get("page"))
    return render(request, "progress/users.html", {"page": page, "search": search})


@require_http_methods(["GET", "POST"])
@login_required
def user_roles(request: HttpRequest, user_id: int) -> HttpResponse:
    """Which courses a person teaches: ticking a course makes them its instructor."""
    platform_or_404(request.user)
    person = get_object_or_404(User, pk=user_id)
    courses = list(Course.objects.order_by("title"))
    if request.method == "POST":
        wanted = {int(value) for value in request.POST.getlist("courses") if value.isdigit()}
        taught = set(person.taught_courses.values_list("id", flat=True))
        for course in courses:
            if course.id in wanted and course.id not in taught:
                services.instructor_assign(course=course, user=person)
            elif course.id not in wanted and course.id in taught:
                services.instructor_unassign(course=course, user=person)
        messages.success(request, f"Saved the roles of {person.get_full_name() or person.username}.")
        return redirect(reverse("progress:user_roles", kwargs={"user_id": person.pk}))
    taught = set(person.taught_courses.values_list("id", flat=True))
    return render(request, "progress/user_roles.html", {"person": person, "courses": courses, "taught": taught})
