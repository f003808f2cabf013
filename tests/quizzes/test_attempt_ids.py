"""The blind-guess check of issue 12 on the course's own quizzes: a new student who answers the first
authored id, or the first option shown, everywhere scores no better than chance."""
import math
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from courses.models import Course
from quizzes.models import Answer, Quiz
from tests.factories import UserFactory, enroll

pytestmark = pytest.mark.django_db
COURSE = "transformers-attention"


@pytest.fixture
def course_quizzes():
    call_command("load_course", stdout=StringIO())
    course = Course.objects.get(slug=COURSE)
    return course, list(Quiz.objects.filter(lesson__course=course).order_by("lesson__position"))


def guesser(course):
    student = UserFactory(username="blind-guesser")
    enroll(student, course)
    client = APIClient()
    client.force_authenticate(student)
    return client


def test_authored_ids_are_refused_and_the_first_shown_option_scores_like_chance(course_quizzes):
    course, quizzes = course_quizzes
    client = guesser(course)
    expected, variance, scored, refused, guessed = 0.0, 0.0, 0.0, 0, 0
    for quiz in quizzes:
        attempt = client.post(f"/api/quizzes/{quiz.pk}/start/").json()
        for item in attempt["questions"]:
            public = item["public"]
            if public["qtype"] not in ("single_choice", "multiple_response"):
                continue
            url = f"/api/attempts/{attempt['id']}/answers/"
            single = public["qtype"] == "single_choice"
            # the author's first id ("a"), as the student sent it: not an id of this attempt
            authored = {"choice": "a"} if single else {"choices": ["a"]}
            reply = client.post(url, {"question": item["question"], "response": authored}, format="json")
            refused += reply.status_code == 400
            # the first option shown
            first = public["choices"][0]["id"]
            shown = {"choice": first} if single else {"choices": [first]}
            assert client.post(url, {"question": item["question"], "response": shown}, format="json").status_code == 200
            guessed += 1
        submitted = client.post(f"/api/attempts/{attempt['id']}/submit/").json()
        for item in submitted["questions"]:
            if item["public"]["qtype"] not in ("single_choice", "multiple_response"):
                continue
            answer = Answer.objects.select_related("version").get(attempt_id=attempt["id"], question_id=item["question"])
            # chance: the mean score of one option picked uniformly at random
            fractions = [max(0.0, c["fraction"]) for c in answer.version.spec["choices"]]
            p = sum(fractions) / len(fractions)
            expected, variance = expected + p, variance + p * (1 - p)
            scored += answer.fraction or 0.0
    assert guessed >= 20 and refused == guessed
    # Written first, the key used to score 6/6; shuffled per attempt it scores like a random pick.
    # Four standard deviations above chance: a false alarm about once in 30 000 runs.
    assert scored <= expected + 4 * math.sqrt(variance), (scored, expected)
