"""Instructors' pages: manage a course's lessons (order, publish), edit a lesson with live preview, assign instructors."""
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import services
from ..forms import InstructorAssignForm, LessonEditForm
from ..markdown import render_markdown_preview
from .lookups import authored_course_or_404, lesson_in_course_or_404


def _manage_url(course_slug: str) -> str:
    return reverse("courses:manage", kwargs={"course_slug": course_slug})


@require_GET
def manage(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = authored_course_or_404(request, course_slug)
    context = {
        "course": course,
        "lessons": course.lessons.order_by("position", "id"),
        "instructors": course.instructors.order_by("username"),
    }
    return render(request, "courses/manage.html", context)


@require_POST
def lesson_move(request: HttpRequest, course_slug: str, lesson_slug: str) -> HttpResponse:
    course = authored_course_or_404(request, course_slug)
    lesson = lesson_in_course_or_404(course, lesson_slug)
    offset = -1 if request.POST.get("direction") == "up" else 1
    services.lesson_move(lesson=lesson, offset=offset)
    return redirect(f"{_manage_url(course_slug)}#lesson-{lesson.slug}")


@require_POST
def lesson_publish(request: HttpRequest, course_slug: str, lesson_slug: str) -> HttpResponse:
    course = authored_course_or_404(request, course_slug)
    lesson = lesson_in_course_or_404(course, lesson_slug)
    publish = request.POST.get("publish") == "1"
    services.lesson_set_published(lesson=lesson, is_published=publish)
    messages.success(request, f"“{lesson.title}” is now {'published' if publish else 'a draft, hidden from students'}.")
    return redirect(f"{_manage_url(course_slug)}#lesson-{lesson.slug}")


@require_http_methods(["GET", "POST"])
def lesson_edit(request: HttpRequest, course_slug: str, lesson_slug: str) -> HttpResponse:
    course = authored_course_or_404(request, course_slug)
    lesson = lesson_in_course_or_404(course, lesson_slug)
    form = LessonEditForm(request.POST or None, lesson=lesson)
    if request.method == "POST" and form.is_valid():
        try:
            services.lesson_update(lesson=lesson, editor=request.user, **form.cleaned_data)
        except services.StaleEditError as error:
            form.add_error(None, f"{error} Copy your text, reload the page and apply your changes again.")
        else:
            messages.success(request, f"Saved “{lesson.title}”.")
            return redirect(reverse("courses:lesson_edit", kwargs={"course_slug": course.slug, "lesson_slug": lesson.slug}))
    preview_html = render_markdown_preview(form["body_markdown"].value() or "")
    return render(request, "courses/lesson_edit.html", {"course": course, "lesson": lesson, "form": form, "preview_html": preview_html})


@require_POST
def lesson_preview(request: HttpRequest, course_slug: str, lesson_slug: str) -> HttpResponse:
    course = authored_course_or_404(request, course_slug)
    lesson_in_course_or_404(course, lesson_slug)
    html = render_markdown_preview(request.POST.get("body_markdown", ""))
    return render(request, "courses/partials/lesson_preview.html", {"preview_html": html})


@require_http_methods(["GET", "POST"])
def instructors(request: HttpRequest, course_slug: str) -> HttpResponse:
    """Admins (staff) assign and remove a course's instructors."""
    if not request.user.is_authenticated or not request.user.is_staff:
        raise Http404("No such page.")
    course = authored_course_or_404(request, course_slug)
    form = InstructorAssignForm(request.POST or None)
    if request.method == "POST":
        if "remove" in request.POST:
            # an id that is no number (a script, a NUL) is no such user: 404, not a ValueError (500)
            user = get_object_or_404(User, pk=request.POST["remove"] if request.POST["remove"].isdigit() else 0)
            services.course_instructor_remove(course=course, user=user)
            messages.success(request, f"{user.username} no longer teaches {course.title}.")
            return redirect(reverse("courses:instructors", kwargs={"course_slug": course.slug}))
        if form.is_valid():
            user = form.cleaned_data["user"]
            services.course_instructor_add(course=course, user=user)
            messages.success(request, f"{user.username} now teaches {course.title}.")
            return redirect(reverse("courses:instructors", kwargs={"course_slug": course.slug}))
    context = {"course": course, "form": form, "instructors": course.instructors.order_by("username")}
    return render(request, "courses/instructors.html", context)
