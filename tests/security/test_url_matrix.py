"""Every URL pattern of the site, as every member of the cast, answers with the status we decided.

The patterns come from the resolver itself, so a page or API endpoint added later fails
`test_every_url_pattern_has_a_decision` until someone writes down who may use it. The admin site's
own patterns follow one rule (staff only), checked for every one of them.

Roles: `student` owns the attempts, answers, progress and enrollment in the world fixture;
`classmate` is enrolled in the same course and owns none of it (the IDOR probe); `other_student` is
enrolled in nothing; `instructor` teaches the course; `other_instructor` teaches another course.
"""
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import quiz_ids
from tests.security.world import World, group_in, override_in, user_for

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "student", "classmate", "other_student", "instructor", "other_instructor", "admin")
L = "login"  # a redirect to the login page
R = "redirect"  # a redirect somewhere other than the login page


@dataclass(frozen=True)
class Rule:
    method: str
    kwargs: Callable[[World], dict]
    expect: tuple  # one status per role, in ROLES order
    data: Callable[[World], dict] | dict | None = None
    json: bool = False  # send data as a JSON body
    query: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)  # e.g. HX-Request for an htmx-only answer

    def __post_init__(self):
        assert len(self.expect) == len(ROLES), self


def get(kwargs, *expect, **extra) -> Rule:
    return Rule("get", kwargs, expect, **extra)


def post(kwargs, *expect, data=None, **extra) -> Rule:
    return Rule("post", kwargs, expect, data=data if data is not None else {}, **extra)


NONE = lambda w: {}  # noqa: E731
COURSE = lambda w: {"course_slug": w.course.slug}  # noqa: E731
LESSON = lambda w: {"course_slug": w.course.slug, "lesson_slug": w.lesson.slug}  # noqa: E731
DRAFT = lambda w: {"course_slug": w.course.slug, "lesson_slug": w.draft.slug}  # noqa: E731
QUIZ = lambda w: {"quiz_id": w.quiz.pk}  # noqa: E731
DONE_QUIZ = lambda w: {"quiz_id": w.done_quiz.pk}  # noqa: E731
QUESTION = lambda w: {"quiz_id": w.quiz.pk, "question_id": w.question.pk}  # noqa: E731
OPEN = lambda w: {"attempt_id": w.open_attempt.pk}  # noqa: E731
DONE = lambda w: {"attempt_id": w.done_attempt.pk}  # noqa: E731
CARD = lambda w: {"card_id": w.review_card.pk}  # noqa: E731
OVERRIDE = lambda w: {"quiz_id": w.quiz.pk, "override_id": override_in(w).pk}  # noqa: E731


def random_slot(world: World):
    """A random slot of the world's quiz (quizzes.pools), made on first use."""
    from quizzes.models import RandomSlot

    return RandomSlot.objects.get_or_create(quiz=world.quiz, position=1, defaults={"draw_count": 1})[0]


EVERYONE = (200,) * 7
ENROLLED = (L, 200, 200, 404, 200, 404, 200)  # learners of the course and its authors
AUTHORS = (404, 404, 404, 404, 200, 404, 200)  # authoring pages are not even acknowledged to others
AUTHORS_POST = (404, 404, 404, 404, R, 404, R)
TEACHERS = (L, 404, 404, 404, 200, 404, 200)  # signed-in pages of a course's authors
STAFF = (L, 404, 404, 404, 404, 404, 200)
OWNER_ONLY = (L, 200, 404, 404, 404, 404, 404)
OWNER_ONLY_POST = (L, R, 404, 404, 404, 404, 404)
API_EVERYONE = (200,) * 7
API_SIGNED_IN = (403, 200, 200, 200, 200, 200, 200)
API_OWNER = (403, 200, 404, 404, 404, 404, 404)  # querysets are scoped to the caller: others' ids do not exist
API_OWNER_OR_AUTHOR = (403, 200, 404, 404, 200, 404, 200)


def _softmax(w: World) -> str:
    """The open attempt's public id of the single-choice option "Softmax" (ids are per attempt)."""
    return quiz_ids.choice(w.open_attempt, w.question.pk, "Softmax")


def _single_choice(w: World) -> dict:
    return {f"q{w.question.pk}-choice": _softmax(w)}


def _checkable(w: World) -> dict:
    """The open attempt and its single-choice question, in a quiz whose behaviour has a Check (immediate)."""
    from quizzes.models import Quiz

    Quiz.objects.filter(pk=w.quiz.pk).update(behaviour="immediate")
    return {"attempt_id": w.open_attempt.pk, "question_id": w.question.pk}


GIFT_ONE_QUESTION = "::Imported:: Which function turns scores into weights? {=softmax ~relu}"


def _reset_link(w: World) -> dict:
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from tests.factories import UserFactory

    # Someone who never signs in during the test: a sign-in would change their token.
    forgetful = UserFactory(username="forgetful")
    return {"uidb64": urlsafe_base64_encode(force_bytes(forgetful.pk)), "token": default_token_generator.make_token(forgetful)}


MATRIX: dict[str, Rule] = {
    # ---- courses: reading
    "courses:catalogue": get(NONE, *EVERYONE),
    "courses:course_detail": get(COURSE, *EVERYONE),
    "courses:glossary": get(COURSE, *EVERYONE),
    "courses:enroll": post(COURSE, L, R, R, R, R, R, R),
    "courses:unenroll": post(COURSE, L, R, R, R, R, R, R),
    "courses:lesson_detail": get(LESSON, L, 200, 200, R, 200, R, 200),
    "courses:lesson_completion": post(LESSON, L, R, R, 404, R, 404, R, data={"completed": "1"}),
    # the reading position: 403 for a script without an account, 400 for an id outside the lesson's headings
    "courses:lesson_position": post(LESSON, 403, 400, 400, 404, 400, 404, 400, data={"section": "nope"}),
    # ---- courses: authoring
    "courses:manage": get(COURSE, *AUTHORS),
    "courses:instructors": get(COURSE, 404, 404, 404, 404, 404, 404, 200),
    "courses:lesson_edit": get(DRAFT, *AUTHORS),
    "courses:lesson_preview": post(LESSON, *AUTHORS, data={"body_markdown": "x"}),
    "courses:lesson_move": post(LESSON, *AUTHORS_POST, data={"direction": "down"}),
    "courses:lesson_publish": post(DRAFT, *AUTHORS_POST, data={"publish": "0"}),
    # ---- quizzes: taking
    "quizzes:quiz_detail": get(QUIZ, *ENROLLED),
    # authors may open the page but cannot start an attempt: they get the page back with a message
    "quizzes:attempt_start": post(QUIZ, L, R, R, 404, R, 404, R),
    "quizzes:attempt": get(OPEN, *OWNER_ONLY),
    "quizzes:answer_save": post(
        lambda w: {"attempt_id": w.open_attempt.pk, "question_id": w.question.pk}, *OWNER_ONLY, data=_single_choice
    ),
    # a Check is a try at the owner's own attempt; nobody else's id is acknowledged, authors' included
    "quizzes:answer_check": post(_checkable, *OWNER_ONLY, data=_single_choice, headers={"HX-Request": "true"}),
    "quizzes:attempt_finish": post(OPEN, *OWNER_ONLY_POST, data=_single_choice),
    "quizzes:attempt_confirm": get(OPEN, *OWNER_ONLY),
    "quizzes:attempt_submit": post(OPEN, *OWNER_ONLY_POST),
    # a submitted attempt is reviewed by its owner and the course's authors
    "quizzes:attempt_review": get(DONE, L, 200, 404, 404, 200, 404, 200),
    # ---- quizzes: authoring
    "quiz_authoring:lesson_quizzes": get(LESSON, *AUTHORS),
    "quiz_authoring:quiz_create": get(LESSON, *AUTHORS),
    "quiz_authoring:quiz": get(QUIZ, *AUTHORS),
    "quiz_authoring:quiz_settings": get(QUIZ, *AUTHORS),
    "quiz_authoring:quiz_publish": post(QUIZ, *AUTHORS_POST, data={"publish": "0"}),
    "quiz_authoring:quiz_preview": get(QUIZ, *AUTHORS),
    "quiz_authoring:question_create": get(lambda w: {"quiz_id": w.quiz.pk, "qtype": "single_choice"}, *AUTHORS),
    "quiz_authoring:question_preview": post(lambda w: {"quiz_id": w.quiz.pk, "qtype": "single_choice"}, *AUTHORS),
    "quiz_authoring:question_edit": get(QUESTION, *AUTHORS),
    "quiz_authoring:question_duplicate": post(QUESTION, *AUTHORS_POST),
    "quiz_authoring:question_delete": post(QUESTION, *AUTHORS_POST),
    "quiz_authoring:question_move": post(QUESTION, *AUTHORS_POST, data={"direction": "down"}),
    "quiz_authoring:random_slot_create": get(QUIZ, *AUTHORS),
    "quiz_authoring:random_slot_count": get(QUIZ, *AUTHORS),
    "quiz_authoring:random_slot_edit": get(lambda w: {"quiz_id": w.quiz.pk, "slot_id": random_slot(w).pk}, *AUTHORS),
    "quiz_authoring:random_slot_delete": post(lambda w: {"quiz_id": w.quiz.pk, "slot_id": random_slot(w).pk}, *AUTHORS_POST),
    "quiz_authoring:quiz_import": get(QUIZ, *AUTHORS),
    "quiz_authoring:quiz_export": get(lambda w: {"quiz_id": w.quiz.pk, "fmt": "gift"}, *AUTHORS),
    "quiz_authoring:regrade": get(DONE_QUIZ, *AUTHORS),
    "quiz_authoring:essay_queue": get(DONE_QUIZ, *AUTHORS),
    "quiz_authoring:essay_grade": post(
        lambda w: {"quiz_id": w.done_quiz.pk, "answer_id": w.essay_answer.pk}, *AUTHORS_POST,
        data=lambda w: {f"a{w.essay_answer.pk}-marks": "1.5", f"a{w.essay_answer.pk}-comment": "Good."},
    ),
    "quiz_authoring:statistics": get(DONE_QUIZ, *AUTHORS),
    "review:session": get(NONE, L, 200, 200, 200, 200, 200, 200),
    "review:restart": post(NONE, L, R, R, R, R, R, R),
    "review:card": get(CARD, *OWNER_ONLY),
    "review:check": post(CARD, *OWNER_ONLY, data={"response": "{}", "seen_reviews": "0"}),
    "review:rate": post(CARD, *OWNER_ONLY_POST, data={"rating": "3", "seen_reviews": "0"}),
    "review_api:queue": get(NONE, *API_SIGNED_IN),
    "review_api:card": get(CARD, *API_OWNER),
    "attention-models-api": get(NONE, *API_EVERYONE),
    "quiz_authoring:responses_first": get(QUIZ, *AUTHORS_POST),  # redirects to the first question
    "quiz_authoring:responses": get(QUESTION, *AUTHORS),
    "quiz_authoring:response_accept": post(QUESTION, *AUTHORS_POST, data={"response": "softmax"}),
    "quiz_authoring:statistics_csv": get(DONE_QUIZ, *AUTHORS),
    "quiz_authoring:overrides": get(QUIZ, *AUTHORS),
    "quiz_authoring:override_edit": get(OVERRIDE, *AUTHORS),
    "quiz_authoring:override_delete": post(OVERRIDE, *AUTHORS_POST),
    "quiz_authoring:learner_group_create": get(QUIZ, *AUTHORS),
    "quiz_authoring:learner_group_edit": get(lambda w: {"quiz_id": w.quiz.pk, "group_id": group_in(w).pk}, *AUTHORS),
    "quiz_authoring:learner_group_delete": post(lambda w: {"quiz_id": w.quiz.pk, "group_id": group_in(w).pk}, *AUTHORS_POST),
    # ---- attention lab: open to everyone (it is embedded in lessons); an empty text is refused at once
    "attention_lab:lab": get(NONE, *EVERYONE),
    "attention_lab:update": post(NONE, *(400,) * 7, data={"text": ""}, json=True),
    # (a request without text: the worker is not needed to decide)
    "attention-api": post(NONE, *(400,) * 7, data={"text_pair": "x"}, json=True),
    # ---- progress dashboards: a learner's own, a course's for its authors, the platform's for admins
    "progress:my_learning": get(NONE, L, *(200,) * 6),
    "progress:course_progress": get(COURSE, L, 200, 200, 404, 404, 404, 404),
    "progress:teaching": get(NONE, L, 404, 404, 404, 200, 200, 200),
    "progress:gradebook": get(COURSE, *TEACHERS),
    "progress:gradebook_csv": get(COURSE, *TEACHERS),
    "progress:responses_csv": get(COURSE, *TEACHERS),
    "progress:learner_detail": get(lambda w: {"course_slug": w.course.slug, "user_id": w.student.pk}, *TEACHERS),
    "progress:lesson_report": get(COURSE, *TEACHERS),
    "progress:lesson_report_csv": get(COURSE, *TEACHERS),
    "progress:quiz_report": get(DONE_QUIZ, *TEACHERS),
    "progress:quiz_report_csv": get(DONE_QUIZ, *TEACHERS),
    "progress:platform": get(NONE, *STAFF),
    "progress:platform_csv": get(lambda w: {"chart": "enrollments"}, *STAFF),
    "progress:users": get(NONE, *STAFF),
    "progress:user_roles": get(lambda w: {"user_id": w.student.pk}, *STAFF),
    "progress_api:me": get(NONE, *API_SIGNED_IN),
    "progress_api:gradebook": get(COURSE, 403, 404, 404, 404, 200, 404, 200),
    "progress_api:platform": get(NONE, 403, 403, 403, 403, 403, 403, 200),
    # ---- accounts
    "signup": get(NONE, 200, *(R,) * 6),  # signed-in users are sent home
    "login": get(NONE, *EVERYONE),
    "logout": post(NONE, *(R,) * 7),
    "password_change": get(NONE, L, *(200,) * 6),
    "password_change_done": get(NONE, L, *(200,) * 6),
    "password_reset": get(NONE, *EVERYONE),
    "password_reset_done": get(NONE, *EVERYONE),
    # a valid link answers with a redirect to the set-password form (the token moves into the session)
    "password_reset_confirm": get(_reset_link, *(R,) * 7),
    "password_reset_complete": get(NONE, *EVERYONE),
    # ---- API
    "api:api-root": get(NONE, *API_EVERYONE),
    "api:course-list": get(NONE, *API_EVERYONE),
    "api:course-detail": get(lambda w: {"slug": w.course.slug}, *API_EVERYONE),
    "api:course-progress": get(lambda w: {"slug": w.course.slug}, *API_SIGNED_IN),
    "api:lesson-list": get(NONE, *API_EVERYONE),
    "api:lesson-detail": get(lambda w: {"pk": w.lesson.pk}, 403, 200, 200, 403, 200, 403, 200),
    "api:lesson-completion": post(
        lambda w: {"pk": w.lesson.pk}, 403, 200, 200, 403, 200, 403, 200, data={"completed": True}, json=True
    ),
    "api:enrollment-list": get(NONE, *API_SIGNED_IN),
    "api:enrollment-detail": get(lambda w: {"pk": w.enrollment.pk}, *API_OWNER),
    "api:progress-list": get(NONE, *API_SIGNED_IN),
    "api:progress-detail": get(lambda w: {"pk": w.progress.pk}, *API_OWNER),
    "api:quiz-list": get(NONE, *API_SIGNED_IN),
    "api:quiz-detail": get(lambda w: {"pk": w.quiz.pk}, 403, 200, 200, 404, 200, 404, 200),
    # the owner gets the attempt already open (200), a classmate a new one (201); authors do not take quizzes
    "api:quiz-start": post(lambda w: {"pk": w.quiz.pk}, 403, 200, 201, 404, 404, 404, 404, json=True),
    "api:attempt-list": get(NONE, *API_SIGNED_IN),
    "api:attempt-detail": get(lambda w: {"pk": w.open_attempt.pk}, *API_OWNER_OR_AUTHOR),
    "api:attempt-answers": post(
        lambda w: {"pk": w.open_attempt.pk}, *API_OWNER, json=True,
        data=lambda w: {"question": w.question.pk, "response": {"choice": _softmax(w)}},
    ),
    "api:attempt-submit": post(lambda w: {"pk": w.open_attempt.pk}, *API_OWNER, json=True),
    "api:attempt-check": post(
        lambda w: {"pk": _checkable(w)["attempt_id"], "question": w.question.pk}, *API_OWNER, json=True,
        data=lambda w: {"response": {"choice": _softmax(w)}},
    ),
    "api:attempt-review": get(lambda w: {"pk": w.done_attempt.pk}, *API_OWNER_OR_AUTHOR),
    "api:quiz-question-list": get(NONE, *API_SIGNED_IN),  # learners get an empty list: questions hold the answers
    "api:quiz-question-detail": get(lambda w: {"pk": w.question.pk}, 403, 404, 404, 404, 200, 404, 200),
    "api:quiz-random-slot-list": get(NONE, *API_SIGNED_IN),  # learners get an empty list
    "api:quiz-random-slot-detail": get(lambda w: {"pk": random_slot(w).pk}, 403, 404, 404, 404, 200, 404, 200),
    "api:quiz-random-slot-pool-count": get(NONE, 403, 404, 404, 404, 404, 404, 404),  # no ?quiz=: no such quiz
    # overrides and their audit trail: the course's authors only; learners get empty lists, never reasons
    "api:quiz-override-list": get(NONE, *API_SIGNED_IN),
    "api:quiz-override-detail": get(lambda w: {"pk": override_in(w).pk}, 403, 404, 404, 404, 200, 404, 200),
    "api:quiz-override-audit-list": get(NONE, *API_SIGNED_IN),
    "api:learner-group-list": get(NONE, *API_SIGNED_IN),
    "api:learner-group-detail": get(lambda w: {"pk": group_in(w).pk}, 403, 404, 404, 404, 200, 404, 200),
    "api:quiz-override-audit-detail": get(
        lambda w: {"pk": override_in(w).quiz.override_audit.get().pk}, 403, 404, 404, 404, 200, 404, 200),
    # import and export: the quiz's authors only; to anyone else the quiz does not exist (404)
    "quiz-export-api": get(lambda w: {"quiz_id": w.quiz.pk, "fmt": "moodlexml"}, 403, 404, 404, 404, 200, 404, 200),
    "quiz-import-api": post(QUIZ, 403, 404, 404, 404, 201, 404, 201, json=True,
                            data={"fmt": "gift", "text": GIFT_ONE_QUESTION}),
    "api-schema": get(NONE, *EVERYONE),
    "api-docs": get(NONE, *EVERYONE),
    # ---- infrastructure
    "healthz": get(NONE, *EVERYONE),
    "pygments_css": get(NONE, *EVERYONE),
}


def url_patterns(patterns=None, namespace: str | None = None, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(qualified name, route) of every pattern the resolver knows, unnamed ones by their route."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if not pattern.name:
                yield (f"{namespace}:{route}" if namespace else route), route
            else:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route


def site_patterns() -> set[str]:
    return {name for name, _ in url_patterns() if not name.startswith("admin:")}


def admin_patterns() -> list[tuple[str, str]]:
    return sorted({(name, route) for name, route in url_patterns() if name.startswith("admin:")})


def test_every_url_pattern_has_a_decision():
    patterns = site_patterns()
    missing = sorted(patterns - set(MATRIX))
    stale = sorted(set(MATRIX) - patterns)
    assert not missing, f"URL patterns with no row in the security matrix: {missing}"
    assert not stale, f"rows for URL patterns that no longer exist: {stale}"


def _request(client: Client, rule: Rule, world: World, url: str):
    data = rule.data(world) if callable(rule.data) else rule.data
    if rule.method == "get":
        return client.get(url, rule.query or None, headers=rule.headers)
    if rule.json:
        return client.post(url, data, content_type="application/json", headers=rule.headers)
    return client.post(url, data, headers=rule.headers)


def _check(response, want, role: str, method: str, url: str) -> None:
    where = f"{role} {method.upper()} {url} -> {response.status_code} {response.get('Location', '')}"
    if want == L:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), where
    elif want == R:
        assert response.status_code in (301, 302, 303), where
        assert not response["Location"].startswith(reverse("login")), where
    else:
        assert response.status_code == want, where


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_status_for_each_role(world, name):
    if name not in site_patterns():
        pytest.fail(f"{name} is in the matrix but not among the URL patterns (see the coverage test)")
    rule = MATRIX[name]
    url = reverse(name, kwargs=rule.kwargs(world))
    wrong = []
    for role, want in zip(ROLES, rule.expect):
        client = Client()
        if (user := user_for(world, role)) is not None:
            client.force_login(user)
        # Each role starts from the same world: whatever a request changed is rolled back.
        with transaction.atomic():
            response = _request(client, rule, world, url)
            transaction.set_rollback(True)
        try:
            _check(response, want, role, rule.method, url)
        except AssertionError as error:
            wrong.append(str(error).splitlines()[0])
    assert not wrong, "\n".join(wrong)


# ---- the admin site: staff only, every pattern ------------------------------------------------------
_ARG = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")


def _admin_url(route: str, world: World) -> str:
    # Fill every parameter with something that resolves: the admin's own user id works for any
    # object id (the admin then redirects to its index when no such object exists).
    def value(match: re.Match) -> str:
        name = match.group("name") or match.group("rname")
        return {"app_label": "auth", "model_name": "user", "content_type_id": "1"}.get(name, str(world.admin.pk))

    route = _ARG.sub(value, route)
    return "/" + route.replace("^", "").replace("$", "").replace("\\", "")


@pytest.mark.parametrize("role", ROLES)
def test_admin_site_is_for_staff_only(world, role):
    client = Client()
    if (user := user_for(world, role)) is not None:
        client.force_login(user)
    for name, route in admin_patterns():
        if name in {"admin:logout", "admin:login", "admin:javascript-catalog", "admin:view_on_site"}:
            continue  # open by design (login, i18n catalogue) or a plain redirect to the object's page
        if route.endswith("(?P<url>.*)$") and role == "admin":
            continue  # the catch-all answers 404 to staff for an unknown admin page
        url = _admin_url(route, world)
        response = client.get(url)
        if role == "admin":
            # autocomplete refuses a request that names no field to complete (403), even for staff
            # 403 where a model's admin is read-only (no add/delete), or autocomplete without a field
            assert response.status_code in (200, 302, 403), f"{name} {url} -> {response.status_code}"
            if response.status_code == 302:
                assert "/admin/login/" not in response["Location"], f"{name} {url}"
        else:
            assert response.status_code in (302, 404), f"{role} {name} {url} -> {response.status_code}"
            if response.status_code == 302:
                assert response["Location"].startswith("/admin/login/"), f"{role} {name} {url}"
