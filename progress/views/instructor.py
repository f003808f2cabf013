"""Instructors' views of their courses: gradebook, one learner's attempts, quiz and lesson reports, CSV."""
from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.roles import is_instructor
from quizzes.models import Quiz
from quizzes.overrides.effective import overridden_settings_for_user
from quizzes.overrides.selectors import learners_with_overrides

from .. import charts, csv_exports
from ..naming import quiz_short_titles
from ..permissions import courses_taught, taught_course_or_404, taught_quiz_or_404
from ..responses import response_text
from ..selectors.grades import attempt_rows, grade_not_started, grades_by_user_and_quiz
from ..selectors.gradebook import STATUS_FILTERS, attempts_for_learner, course_quizzes, gradebook_for_course, learner_in_course
from ..selectors.reports import lesson_report, quiz_report


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _gradebook_query(request: HttpRequest) -> dict:
    sort = request.GET.get("sort", "name")
    return {
        "search": request.GET.get("q", "").strip()[:100],
        "status": request.GET.get("status", "") if request.GET.get("status", "") in STATUS_FILTERS else "",
        "quiz_id": _int_or_none(request.GET.get("quiz")),
        "sort": sort.lstrip("-"),
        "descending": sort.startswith("-"),
    }


@require_GET
@login_required
def teaching(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_staff or is_instructor(request.user)):
        raise Http404("No such page.")
    courses = list(courses_taught(user=request.user))
    quizzes = Quiz.objects.filter(lesson__course__in=courses, is_published=True).select_related("lesson").order_by("lesson__position", "id")
    by_course: dict[int, list[Quiz]] = {}
    for quiz in quizzes:
        by_course.setdefault(quiz.lesson.course_id, []).append(quiz)
    cards = [{"course": course, "quizzes": by_course.get(course.id, [])} for course in courses]
    return render(request, "progress/teaching.html", {"cards": cards})


@require_GET
@login_required
def gradebook(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = taught_course_or_404(request.user, course_slug)
    query = _gradebook_query(request)
    book = gradebook_for_course(course=course, **query)
    page = book.page(request.GET.get("page"))
    # Filters, sorting and paging swap the table only; a history restore (back button after a
    # cache miss) needs the whole page.
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    context = {
        "course": course,
        "book": book,
        "columns": list(zip(book.quizzes, [quiz_short_titles(book.quizzes)[quiz.id] for quiz in book.quizzes])),
        "page": page,
        "query": query,
        "sort_key": ("-" if query["descending"] else "") + query["sort"],
        "status_filters": STATUS_FILTERS,
        "partial": partial,
        "override_user_ids": learners_with_overrides(course=course),  # the "override" marker
    }
    template = "progress/partials/gradebook_table.html" if partial else "progress/gradebook.html"
    return render(request, template, context)


@require_GET
@login_required
def gradebook_csv(request: HttpRequest, course_slug: str) -> HttpResponse:
    """The gradebook as shown (same filters and order), every page."""
    course = taught_course_or_404(request.user, course_slug)
    header, rows = csv_exports.gradebook_csv(gradebook=gradebook_for_course(course=course, **_gradebook_query(request)))
    return csv_exports.csv_response(filename=f"{course.slug}-gradebook", header=header, rows=rows)


@require_GET
@login_required
def responses_csv(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = taught_course_or_404(request.user, course_slug)
    rows = csv_exports.responses_csv_rows(course=course)
    return csv_exports.csv_response(filename=f"{course.slug}-responses", header=csv_exports.RESPONSES_HEADER, rows=rows)


@require_GET
@login_required
def learner_detail(request: HttpRequest, course_slug: str, user_id: int) -> HttpResponse:
    """Drill-down: one learner's attempts at the course's quizzes, answer by answer."""
    course = taught_course_or_404(request.user, course_slug)
    learner = learner_in_course(course=course, user_id=user_id)
    if learner is None:
        raise Http404("No such learner in this course.")
    attempts = attempts_for_learner(course=course, user=learner)
    answered = [
        {"attempt": attempt, "answers": [(answer, response_text(spec=answer.version.spec, response=answer.response)) for answer in attempt.answers.all()]}
        for attempt in attempts
    ]
    quizzes = course_quizzes(course=course)
    grades = grades_by_user_and_quiz(quizzes=quizzes, rows=attempt_rows(user=learner, quiz__in=quizzes))
    summary = [(quiz, grades.get((learner.id, quiz.id)) or grade_not_started(quiz=quiz)) for quiz in quizzes]
    overridden = overridden_settings_for_user(quizzes=quizzes, user=learner)  # extra attempts (quizzes.overrides)
    summary = [(quiz, replace(grade, attempts_left=overridden[quiz.id].attempts_left(grade.attempts_used)) if quiz.id in overridden else grade)
               for quiz, grade in summary]
    context = {"course": course, "learner": learner, "attempts": answered, "summary": summary}
    return render(request, "progress/learner_detail.html", context)


def _attempts_choice(request: HttpRequest) -> str:
    # The same choice, and the same default, as the quiz's own statistics page.
    return "all" if request.GET.get("attempts") == "all" else "first"


@require_GET
@login_required
def quiz_report_page(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = taught_quiz_or_404(request.user, quiz_id)
    report = quiz_report(quiz=quiz, which=_attempts_choice(request))
    histogram = report.histogram()
    score_chart = charts.column_chart(
        title="Final grades",
        labels=[band for band, _ in histogram],
        values=[count for _, count in histogram],
        x_label="Final grade band (%)",
        y_label="Learners",
        slug="histogram",
    )
    # One scale on the page: the chart, like the tables, shows the index (100 × the correlation).
    points = [
        (question.facility, question.discrimination, f"Q{question.number}", f"Q{question.number} {question.title}")
        for question in report.statistics.questions
        if question.facility is not None and question.discrimination is not None
    ]
    item_chart = charts.scatter_chart(
        title="Facility against discrimination", points=points, x_label="Facility", y_label="Discrimination index", slug="items"
    )
    context = {
        "quiz": quiz,
        "course": quiz.lesson.course,
        "report": report,
        "score_chart": score_chart,
        "item_chart": item_chart,
    }
    return render(request, "progress/quiz_report.html", context)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@require_GET
@login_required
def quiz_report_csv(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = taught_quiz_or_404(request.user, quiz_id)
    report = quiz_report(quiz=quiz, which=_attempts_choice(request))
    header = ["position", "question", "type", "graded_answers", "facility_percent", "discrimination_index",
              "discriminative_efficiency_percent", "verdict"]
    rows = [
        [question.number, question.title, question.qtype_label, question.responses, _rounded(question.facility),
         _rounded(question.discrimination), _rounded(question.discriminative_efficiency), verdict]
        for question, verdict in report.items
    ]
    filename = f"{quiz.lesson.course.slug}-{quiz.slug}-items-{report.statistics.which}"
    return csv_exports.csv_response(filename=filename, header=header, rows=rows)


@require_GET
@login_required
def lesson_report_page(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = taught_course_or_404(request.user, course_slug)
    rows = lesson_report(course=course)
    chart = charts.bar_list_chart(
        title="Learners who completed each lesson",
        labels=[f"{row.lesson.position}. {row.lesson.title}" for row in rows],
        values=[row.completed_percent for row in rows],
        value_label="Share of enrolled learners",
        unit="%",
        percent_axis=True,
        value_text=lambda value: f"{value:.0f}",
        extra_columns=[("Opened", [str(row.opened) for row in rows]), ("Completed", [str(row.completed) for row in rows])],
        slug="lessons",
    )
    return render(request, "progress/lesson_report.html", {"course": course, "rows": rows, "chart": chart})


@require_GET
@login_required
def lesson_report_csv(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = taught_course_or_404(request.user, course_slug)
    header = ["position", "lesson", "enrolled", "opened", "completed", "opened_percent", "completed_percent", "views"]
    rows = [
        [row.lesson.position, row.lesson.title, row.enrolled, row.opened, row.completed, row.opened_percent, row.completed_percent, row.views]
        for row in lesson_report(course=course)
    ]
    return csv_exports.csv_response(filename=f"{course.slug}-lessons", header=header, rows=rows)
