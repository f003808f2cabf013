"""Sign-up; log in, log out and password reset are Django's own views with our templates."""
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from django.contrib.auth.models import User

from courses.models import Course
from courses.permissions import courses_visible_to
from courses.services import enrollment_create

from .forms import SignupForm, ThrottledPasswordChangeForm


class ThrottledPasswordChange(PasswordChangeView):
    """Django's view and template; the form checks the old password through the lock-out."""

    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "request": self.request}


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("courses:catalogue")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        enrolled_in = _enroll_from_signup(user, request.POST.get("enroll", ""))
        if enrolled_in is not None:
            messages.success(request, f"Welcome, {user.first_name or user.username}! You are enrolled in {enrolled_in.title}.")
        else:
            messages.success(request, f"Welcome, {user.first_name or user.username}! Pick a course to start.")
        next_url = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            return redirect(next_url)
        return redirect("courses:catalogue")
    context = {
        "form": form,
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "enroll": request.POST.get("enroll") or request.GET.get("enroll", ""),
    }
    return render(request, "registration/signup.html", context)


def _enroll_from_signup(user: User, course_slug: str) -> Course | None:
    """The "Sign up to enroll" link (a lesson or course page's link carries ?enroll=<slug>): the new account joins the
    course at once, when the course is one anyone may enroll in; an unknown or closed slug is ignored."""
    if not course_slug:
        return None
    course = courses_visible_to(user).filter(slug=course_slug[:50], is_published=True).first()
    if course is None:
        return None
    enrollment_create(user=user, course=course)
    return course
