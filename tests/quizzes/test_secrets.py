"""Before submitting, nothing a student receives (HTML or API) holds a weight, right answer, feedback,
grader information or explanation. Every secret in QUESTION_SPECS carries a SECRET marker."""
import json
import re

from django.urls import reverse
from rest_framework.test import APIClient

from quizzes.models import Attempt
from tests.conftest import QUESTION_SPECS, client_for
from tests.quiz_ids import choice, matching

SECRET = re.compile(r"SECRET-[A-Z]+")
# The weights as they would appear in JSON or HTML (fractions are never sent before review).
LEAKY_KEYS = re.compile(r'"(fraction|feedback|correct|answers|explanation|grader_info|general_feedback|right_answer)"\s*:')


def test_nothing_secret_reaches_a_student_before_submission(cast, make_quiz):
    quiz = make_quiz(qtypes=list(QUESTION_SPECS), shuffle_choices=True, time_limit_minutes=30)
    browser = client_for(cast.student)
    received: list[tuple[str, str]] = []

    def html(url, method="get", data=None):
        reply = getattr(browser, method)(url, data or {}, HTTP_HX_REQUEST="true" if method == "post" else None)
        assert reply.status_code in (200, 302), (url, reply.status_code)
        if reply.status_code == 302:
            return html(reply["Location"])
        received.append((url, reply.content.decode()))
        return reply

    html(cast.course.get_absolute_url())
    html(cast.lesson.get_absolute_url())
    html(quiz.get_absolute_url())
    html(reverse("quizzes:attempt_start", args=[quiz.pk]), method="post")
    attempt = Attempt.objects.get(quiz=quiz, user=cast.student)
    layout = {question_id: QUESTION_SPECS[qtype]["qtype"] for (question_id, _), qtype in zip(attempt.layout, QUESTION_SPECS)}
    forms = {
        "single_choice": lambda p, q: {f"{p}-choice": choice(attempt, q, "Softmax")},
        "multiple_response": lambda p, q: {f"{p}-choice": [choice(attempt, q, "Queries"), choice(attempt, q, "Kernels")]},
        "true_false": lambda p, q: {f"{p}-choice": "true"},
        "short_answer": lambda p, q: {f"{p}-text": "secretsoftmax"},
        "numeric": lambda p, q: {f"{p}-text": "8"},
        "matching": lambda p, q: {f"{p}-match-{left}": right for left, right in matching(attempt, q, {"Q": "n by d_k"}).items()},
        "essay": lambda p, q: {f"{p}-text": "An essay"},
    }
    for question_id, qtype in layout.items():
        html(reverse("quizzes:answer_save", args=[attempt.pk, question_id]), method="post",
             data=forms[qtype](f"q{question_id}", question_id))
    html(attempt.get_absolute_url())
    html(reverse("quizzes:attempt_confirm", args=[attempt.pk]))

    api = APIClient()
    api.force_authenticate(cast.student)
    for url in ("/api/quizzes/", f"/api/quizzes/{quiz.pk}/", "/api/attempts/", f"/api/attempts/{attempt.pk}/",
                f"/api/attempts/{attempt.pk}/review/"):
        received.append((url, json.dumps(api.get(url).json())))
    received.append(("start", json.dumps(api.post(f"/api/quizzes/{quiz.pk}/start/").json())))
    question_id = next(iter(layout))
    saved = api.post(f"/api/attempts/{attempt.pk}/answers/", {"question": question_id, "response": {"choice": choice(attempt, question_id, "ReLU")}}, format="json")
    received.append(("save", json.dumps(saved.json())))

    assert len(received) >= 20
    for url, body in received:
        assert SECRET.findall(body) == [], url
        if url.startswith("/api/") or url in ("start", "save"):
            assert LEAKY_KEYS.findall(body) == [], url
    # ...and the same pages do show them once the review allows it
    browser.post(reverse("quizzes:attempt_submit", args=[attempt.pk]))
    review = browser.get(reverse("quizzes:attempt_review", args=[attempt.pk])).content.decode()
    assert "SECRET-FB-relu" in review and "SECRET-GF-single" in review
    assert "SECRET-GRADER-info" not in review  # grader information is for instructors only, always
