"""XSS corpus: payloads in every field an author or a student controls never execute in Chromium.

Payloads go into lesson Markdown and titles, course texts, glossary entries, quiz intros, question
text, choices and feedback (through the question service and through a GIFT import), a student's
display name, essay and short answers, and the lab's text. Every page that shows them is opened as
the role that sees it. The browser context *bypasses* the Content-Security-Policy: the CSP is a
second wall, and this test checks the first one (escaping and sanitising) on its own.

A payload that ran would set `window.__xss`, open a dialog, or (htmx attributes) request
/xss-probe/. Links must never carry a `javascript:` URL.
"""
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from courses.markdown import render_markdown
from courses.models import GlossaryTerm
from tests.e2e.conftest import screenshot
from tests.factories import CourseFactory, LessonFactory, UserFactory, enroll, make_instructor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RUN = "window.__xss=1;alert(1)"
PAYLOADS = [
    f"<script>{RUN}</script>",
    f'<img src=x onerror="{RUN}">',
    f'<svg onload="{RUN}"><circle r=1 /></svg>',
    f"<svg><script>{RUN}</script></svg>",
    f'"><script>{RUN}</script>',
    f"'><img src=x onerror={RUN}>",
    f'<a href="javascript:{RUN}">javascript link</a>',
    f'<a href="jav&#x09;ascript:{RUN}">tab-split link</a>',
    f"[markdown link](javascript:{RUN})",
    f"[entity link](javascript&#58;{RUN})",
    f'![image](x" onerror="{RUN})',
    f'<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    f'<details open ontoggle="{RUN}"><summary>t</summary></details>',
    f'<input autofocus onfocus="{RUN}">',
    f'<div hx-get="/xss-probe/" hx-trigger="load">htmx get</div>',
    f'<div hx-on::load="{RUN}" data-hx-on:click="{RUN}">htmx on</div>',
    f'<form action="javascript:{RUN}"><button>go</button></form>',
    f"<math><mtext><table><mglyph><style><img src=x onerror={RUN}>",
    f'<object data="javascript:{RUN}"></object>',
]
CORPUS = "\n\n".join(PAYLOADS)
SHORT = f'<img src=x onerror="{RUN}">'  # for fields with a length limit


def _gift_escape(text: str) -> str:
    return re.sub(r"([~=#{}:\\])", r"\\\1", text)


@pytest.fixture
def xss_world(db):
    from quizzes.models import Quiz
    from quizzes.services import attempts as attempt_services
    from quizzes.services.importing import quiz_import_text
    from quizzes.services.questions import question_create

    course = CourseFactory(
        slug="xss", title=f"Course {SHORT}", summary=SHORT,  # summary: 300 characters at most (PostgreSQL enforces it)
        description_markdown=CORPUS, description_html=render_markdown(CORPUS),
    )
    lesson = LessonFactory(course=course, slug="xss-lesson", title=f"Lesson {SHORT}", position=1, body_markdown=CORPUS)
    lesson.body_html = render_markdown(CORPUS)
    lesson.save()
    GlossaryTerm.objects.create(course=course, term=f"term {SHORT}"[:120], definition=CORPUS, lesson=lesson)
    instructor = make_instructor(username="author", course=course)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    student = UserFactory(username="mallory", first_name=SHORT[:150], last_name="<script>window.__xss=1</script>")
    enroll(student, course)

    quiz = Quiz.objects.create(
        lesson=lesson, slug="xss-quiz", title=f"Quiz {SHORT}", intro_markdown=CORPUS, is_published=True, shuffle_choices=False
    )
    question_create(quiz=quiz, user=instructor, spec={
        "qtype": "single_choice", "title": f"T {SHORT}", "text": CORPUS, "general_feedback": CORPUS,
        "choices": [
            {"id": "a", "text": PAYLOADS[1], "fraction": 1.0, "feedback": CORPUS},
            {"id": "b", "text": PAYLOADS[6], "fraction": 0.0, "feedback": PAYLOADS[2]},
        ],
    })
    question_create(quiz=quiz, user=instructor, spec={
        "qtype": "short_answer", "title": "short", "text": PAYLOADS[8],
        "answers": [{"text": "softmax", "fraction": 1.0, "feedback": CORPUS}],
    })
    question_create(quiz=quiz, user=instructor, spec={
        "qtype": "essay", "title": "essay", "text": PAYLOADS[0], "grader_info": CORPUS, "general_feedback": CORPUS,
    })
    gift = "\n\n".join(
        f"::{_gift_escape('G' + str(i) + ' ' + SHORT)}::{_gift_escape(payload)} "
        f"{{={_gift_escape(PAYLOADS[1])}#{_gift_escape(payload)} ~{_gift_escape(PAYLOADS[6])}#{_gift_escape(PAYLOADS[2])}}}"
        for i, payload in enumerate(PAYLOADS[:6])
    )
    quiz_import_text(quiz=quiz, text=gift, fmt="gift", user=instructor)

    # The student answers with payloads of their own and submits: the review and the grading
    # queue show them back.
    attempt = attempt_services.attempt_start(quiz=quiz, user=student)
    for question_id, _ in attempt.layout:
        qtype = quiz.questions.get(pk=question_id).latest_version.qtype
        response = {"choice": "a"} if qtype == "single_choice" else {"text": CORPUS}
        attempt_services.answer_save(attempt=attempt, question_id=question_id, response=response)
    attempt = attempt_services.attempt_submit(attempt=attempt)
    return {"course": course, "lesson": lesson, "quiz": quiz, "attempt": attempt, "student": student,
            "instructor": instructor, "admin": admin}


def _pages(w) -> dict[str, list[str]]:
    course, lesson, quiz, attempt = w["course"], w["lesson"], w["quiz"], w["attempt"]
    question = quiz.questions.order_by("position", "id").first()
    lab_text = "%3Cimg%20src%3Dx%20onerror%3D%22window.__xss%3D1%22%3E"
    return {
        "student": [
            "/", course.get_absolute_url(), f"/courses/{course.slug}/glossary/", lesson.get_absolute_url(),
            f"/quizzes/{quiz.pk}/", f"/quizzes/attempts/{attempt.pk}/review/", "/progress/",
            f"/lab/?text={lab_text}&text_pair={lab_text}",
        ],
        "instructor": [
            f"/courses/{course.slug}/manage/", f"/courses/{course.slug}/manage/lessons/{lesson.slug}/edit/",
            f"/quizzes/manage/{quiz.pk}/", f"/quizzes/manage/{quiz.pk}/preview/",
            f"/quizzes/manage/{quiz.pk}/questions/{question.pk}/", f"/quizzes/manage/{quiz.pk}/grading/",
            f"/quizzes/manage/{quiz.pk}/statistics/", f"/quizzes/attempts/{attempt.pk}/review/",
            f"/progress/teaching/{course.slug}/gradebook/",
            f"/progress/teaching/{course.slug}/learners/{w['student'].pk}/",
            f"/progress/teaching/quizzes/{quiz.pk}/",
        ],
        "admin": ["/progress/platform/users/", f"/progress/platform/users/{w['student'].pk}/"],
    }


def _signed_in_context(browser, live_server, user: User):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport={"width": 1280, "height": 900})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


def test_no_payload_runs_on_any_page(browser, live_server, xss_world):
    ran: list[str] = []
    for role, paths in _pages(xss_world).items():
        context = _signed_in_context(browser, live_server, xss_world[role])
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("dialog", lambda dialog: (ran.append(f"dialog on {page.url}: {dialog.message}"), dialog.dismiss()))
        page.on("request", lambda request: "xss-probe" in request.url and ran.append(f"htmx request from {page.url}"))
        for path in paths:
            response = page.goto(path)
            assert response.status < 400, f"{role} {path} -> {response.status}"
            page.wait_for_load_state("networkidle")
            if page.evaluate("() => window.__xss === 1"):
                ran.append(f"script ran on {path} as {role}")
            bad_links = page.evaluate(
                """() => [...document.querySelectorAll('[href],[src],[action],[data],[formaction]')]
                    .flatMap(el => ['href', 'src', 'action', 'data', 'formaction'].map(a => el.getAttribute(a) || ''))
                    .filter(value => /^\\s*(javascript|vbscript|data:text\\/html)/i.test(value.replace(/[\\u0000-\\u0020]/g, '')))"""
            )
            if bad_links:
                ran.append(f"dangerous URL on {path} as {role}: {bad_links}")
        if role == "student":
            page.goto(xss_world["lesson"].get_absolute_url())
            screenshot(page, "xss-lesson")
        context.close()
    assert not ran, "\n".join(ran)


def test_the_payloads_are_shown_as_text_not_dropped(browser, live_server, xss_world):
    # Escaping, not deleting: the learner still sees what the author typed (the review shows the
    # student's essay as text), so the test above is not passing because content vanished.
    context = _signed_in_context(browser, live_server, xss_world["instructor"])
    page = context.new_page()
    page.goto(f"/quizzes/manage/{xss_world['quiz'].pk}/grading/")
    assert "<script>window.__xss=1;alert(1)</script>" in page.inner_text("main")
    context.close()
