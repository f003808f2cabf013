"""Every course page, as each member of the cast, answers with the status we expect.

The table must name every URL pattern of courses.urls, so a new page cannot ship without a
decision about who may see it.
"""
import pytest
from django.urls import reverse

from courses import urls as course_urls
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "student", "other_student", "instructor", "other_instructor", "admin"]
LOGIN = "login"  # a redirect to the login page

# name → (method, kwargs builder, data, expected status per role in ROLES order)
MATRIX = {
    "catalogue": ("get", lambda c: {}, None, [200, 200, 200, 200, 200, 200]),
    "course_detail": ("get", lambda c: {"course_slug": c.course.slug}, None, [200] * 6),
    "glossary": ("get", lambda c: {"course_slug": c.course.slug}, None, [200] * 6),
    "enroll": ("post", lambda c: {"course_slug": c.course.slug}, {}, [LOGIN, 302, 302, 302, 302, 302]),
    "unenroll": ("post", lambda c: {"course_slug": c.course.slug}, {}, [LOGIN, 302, 302, 302, 302, 302]),
    "lesson_detail": (
        "get", lambda c: {"course_slug": c.course.slug, "lesson_slug": c.lesson.slug}, None,
        [LOGIN, 200, 302, 200, 302, 200],
    ),
    "lesson_completion": (
        "post", lambda c: {"course_slug": c.course.slug, "lesson_slug": c.lesson.slug}, {"completed": "1"},
        [LOGIN, 302, 404, 302, 404, 302],
    ),
    # a script posts the heading in view: 403 (not a login redirect) without an account; "nope" is no heading
    "lesson_position": (
        "post", lambda c: {"course_slug": c.course.slug, "lesson_slug": c.lesson.slug}, {"section": "nope"},
        [403, 400, 404, 400, 404, 400],
    ),
    "manage": ("get", lambda c: {"course_slug": c.course.slug}, None, [404, 404, 404, 200, 404, 200]),
    "instructors": ("get", lambda c: {"course_slug": c.course.slug}, None, [404, 404, 404, 404, 404, 200]),
    "lesson_edit": (
        "get", lambda c: {"course_slug": c.course.slug, "lesson_slug": c.draft.slug}, None,
        [404, 404, 404, 200, 404, 200],
    ),
    "lesson_preview": (
        "post", lambda c: {"course_slug": c.course.slug, "lesson_slug": c.lesson.slug}, {"body_markdown": "x"},
        [404, 404, 404, 200, 404, 200],
    ),
    "lesson_move": (
        "post", lambda c: {"course_slug": c.course.slug, "lesson_slug": c.lesson.slug}, {"direction": "down"},
        [404, 404, 404, 302, 404, 302],
    ),
    "lesson_publish": (
        "post", lambda c: {"course_slug": c.course.slug, "lesson_slug": c.draft.slug}, {"publish": "0"},
        [404, 404, 404, 302, 404, 302],
    ),
}


def test_the_matrix_covers_every_course_url():
    assert {pattern.name for pattern in course_urls.urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_status_for_each_role(cast, name, role_index):
    method, kwargs_for, data, expected = MATRIX[name]
    role = ROLES[role_index]
    client = client_for(None if role == "anonymous" else getattr(cast, role))
    url = reverse(f"courses:{name}", kwargs=kwargs_for(cast))
    response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    want = expected[role_index]
    if want == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), response
    else:
        assert response.status_code == want, f"{role} {method.upper()} {url}"
