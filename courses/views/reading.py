"""What learners see: the catalogue, a course's outline, lessons, the glossary, enrollment and completion."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from progress.services import lesson_completed_record, lesson_viewed_record

from .. import selectors, services
from ..permissions import can_author_course, can_read_lesson, can_study_lesson, is_enrolled
from .lookups import lesson_in_course_or_404, visible_course_or_404


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    courses = list(selectors.course_list_for_user(user=request.user).prefetch_related("lessons"))
    cards = [
        {
            "course": course,
            "lesson_count": sum(1 for lesson in course.lessons.all() if lesson.is_published),
            "enrolled": is_enrolled(request.user, course),
            "progress": selectors.course_progress_for_user(user=request.user, course=course),
        }
        for course in courses
    ]
    return render(request, "courses/catalogue.html", {"cards": cards})


@require_GET
def course_detail(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = visible_course_or_404(request, course_slug)
    lessons = list(selectors.lesson_list_for_user(user=request.user, course=course))
    context = {
        "course": course,
        "lessons": lessons,
        "total_minutes": sum(lesson.minutes for lesson in lessons),
        "enrolled": is_enrolled(request.user, course),
        "can_author": can_author_course(request.user, course),
        "progress": selectors.course_progress_for_user(user=request.user, course=course),
    }
    return render(request, "courses/course_detail.html", context)


@require_POST
@login_required
def enroll(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = visible_course_or_404(request, course_slug)
    try:
        services.enrollment_create(user=request.user, course=course)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(course)
    messages.success(request, f"You are enrolled in {course.title}. Happy learning!")
    next_url = request.POST.get("next", "")  # "Enroll" on a lesson read as a guest returns to that lesson
    if next_url.startswith(course.get_absolute_url()) and url_has_allowed_host_and_scheme(next_url, allowed_hosts=None):
        return redirect(next_url)
    first = selectors.lesson_list_for_user(user=request.user, course=course).first()
    return redirect(first or course)


@require_POST
@login_required
def unenroll(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = visible_course_or_404(request, course_slug)
    services.enrollment_delete(user=request.user, course=course)
    messages.info(request, f"You left {course.title}. Your progress is kept if you come back.")
    return redirect(course)


@require_GET
def lesson_detail(request: HttpRequest, course_slug: str, lesson_slug: str) -> HttpResponse:
    """Enrolled learners and authors read and leave progress; anyone reads a course with open lessons, as a guest."""
    course = visible_course_or_404(request, course_slug)
    lesson = lesson_in_course_or_404(course, lesson_slug)
    if not can_read_lesson(request.user, lesson):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not lesson.is_published:
            raise Http404("No such lesson.")
        messages.info(request, "Enroll in the course to read its lessons.")
        return redirect(course)
    studying = can_study_lesson(request.user, lesson)
    if studying:
        services.lesson_view_record(user=request.user, lesson=lesson)
        lesson_viewed_record(user=request.user, lesson=lesson)  # the learning record; never raises
    lessons = list(selectors.lesson_list_for_user(user=request.user, course=course))
    previous_lesson, next_lesson = selectors.lesson_neighbours(lesson=lesson, lessons=lessons)
    context = {
        "course": course,
        "lesson": lesson,
        "lessons": lessons,
        "toc": lesson.body_toc,  # rendered on save, never per view
        "previous_lesson": previous_lesson,
        "next_lesson": next_lesson,
        "can_author": can_author_course(request.user, course),
        "studying": studying,  # False: a guest on an open lesson, shown "Sign up to enroll" instead of progress
        "progress": selectors.course_progress_for_user(user=request.user, course=course),
    }
    return render(request, "courses/lesson_detail.html", context)


@require_POST
def lesson_position(request: HttpRequest, course_slug: str, lesson_slug: str) -> HttpResponse:
    """The lesson page's script reports the heading in view (`section`), so "Continue" lands there. 204, or 4xx
    with nothing stored: 403 without an account (no login redirect: a script calls it), 404 for a lesson the
    user does not study, 400 for an id outside the lesson's contents list."""
    if not request.user.is_authenticated:
        return HttpResponse("Sign in to keep your place.", status=403, content_type="text/plain")
    course = visible_course_or_404(request, course_slug)
    lesson = lesson_in_course_or_404(course, lesson_slug)
    if not can_study_lesson(request.user, lesson):
        raise Http404("No such lesson.")
    try:
        services.lesson_position_save(user=request.user, lesson=lesson, section=request.POST.get("section", ""))
    except ValidationError as error:
        return HttpResponse(error.messages[0], status=400, content_type="text/plain")
    return HttpResponse(status=204)


@require_POST
@login_required
def lesson_completion(request: HttpRequest, course_slug: str, lesson_slug: str) -> HttpResponse:
    """Mark a lesson complete (or not, with completed=0); htmx gets the updated progress region."""
    course = visible_course_or_404(request, course_slug)
    lesson = lesson_in_course_or_404(course, lesson_slug)
    if not can_study_lesson(request.user, lesson):
        raise Http404("No such lesson.")
    if request.POST.get("completed", "1") == "1":
        services.lesson_complete(user=request.user, lesson=lesson)
        lesson_completed_record(user=request.user, lesson=lesson)  # the learning record; never raises
    else:
        services.lesson_uncomplete(user=request.user, lesson=lesson)
    if not request.htmx:
        return redirect(lesson)
    lessons = list(selectors.lesson_list_for_user(user=request.user, course=course))
    _, next_lesson = selectors.lesson_neighbours(lesson=lesson, lessons=lessons)
    context = {
        "course": course,
        "lesson": lesson,
        "lessons": lessons,
        "next_lesson": next_lesson,
        "progress": selectors.course_progress_for_user(user=request.user, course=course),
    }
    return render(request, "courses/partials/lesson_progress.html", context)


@require_GET
def glossary(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = visible_course_or_404(request, course_slug)
    terms = course.glossary_terms.select_related("lesson").order_by("term")
    return render(request, "courses/glossary.html", {"course": course, "terms": terms})
