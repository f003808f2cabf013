"""Redis dies (SIGKILL): lessons, quizzes (saving answers, submitting), dashboards and sign-in keep
working, quickly; the lab says it is unavailable; the cache works again once Redis is back.

The site is pointed at a redis-server this test starts on a free port, so killing it touches nothing
else (the shared Redis on 6379 is never stopped).
"""
import time
from copy import deepcopy

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from quizzes.models import AttemptState
from tests.factories import DEFAULT_PASSWORD
from tests.quiz_ids import choice

pytestmark = pytest.mark.django_db

SLOWEST_ACCEPTABLE = 2.0  # seconds for any page while Redis is down: timeouts are 0.5 s, never a hang


def _pointed_at(url: str):
    caches = deepcopy(settings.CACHES)
    caches["default"]["LOCATION"] = url
    return override_settings(CACHES=caches, REDIS_URL=url, CELERY_BROKER_URL=url, CELERY_RESULT_BACKEND=url)


def _timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_learning_and_teaching_keep_working_while_redis_is_down(world, private_redis):
    student, instructor, admin = _signed_in(world.student), _signed_in(world.instructor), _signed_in(world.admin)
    attempt, question = world.open_attempt, world.question
    with _pointed_at(private_redis.url):
        cache.set("probe", "up")
        assert cache.get("probe") == "up"  # the site really uses this Redis

        private_redis.kill()

        slow: list[str] = []

        def check(client, method, url, data=None, expect=(200,)):
            call = (lambda: client.post(url, data or {})) if method == "post" else (lambda: client.get(url))
            response, seconds = _timed(call)
            assert response.status_code in expect, f"{method.upper()} {url} -> {response.status_code} with Redis down"
            if seconds > SLOWEST_ACCEPTABLE:
                slow.append(f"{url}: {seconds:.1f}s")
            return response

        lesson_url = reverse("courses:lesson_detail", kwargs={"course_slug": world.course.slug, "lesson_slug": world.lesson.slug})
        check(student, "get", "/")
        check(student, "get", lesson_url)
        check(student, "post", reverse("courses:lesson_completion", kwargs={
            "course_slug": world.course.slug, "lesson_slug": world.lesson.slug}), {"completed": "1"}, expect=(302,))
        # the quiz: open, autosave an answer, save it again (the last one wins), submit, review
        check(student, "get", reverse("quizzes:quiz_detail", kwargs={"quiz_id": world.quiz.pk}))
        check(student, "get", reverse("quizzes:attempt", kwargs={"attempt_id": attempt.pk}))
        save_url = reverse("quizzes:answer_save", kwargs={"attempt_id": attempt.pk, "question_id": question.pk})
        check(student, "post", save_url, {f"q{question.pk}-choice": choice(attempt, question.pk, "ReLU")})
        check(student, "post", save_url, {f"q{question.pk}-choice": choice(attempt, question.pk, "Softmax")})
        check(student, "post", reverse("quizzes:attempt_submit", kwargs={"attempt_id": attempt.pk}), expect=(302,))
        check(student, "get", reverse("quizzes:attempt_review", kwargs={"attempt_id": attempt.pk}))
        attempt.refresh_from_db()
        assert attempt.state == AttemptState.SUBMITTED
        assert attempt.answers.get(question=question).response == {"choice": "b"}
        assert attempt.marks is not None
        # dashboards
        check(student, "get", reverse("progress:my_learning"))
        check(instructor, "get", reverse("progress:gradebook", kwargs={"course_slug": world.course.slug}))
        check(instructor, "get", reverse("quiz_authoring:statistics", kwargs={"quiz_id": world.quiz.pk}))
        check(admin, "get", reverse("progress:platform"))
        # signing in (login throttling counts in Redis and lets people in when it cannot count)
        response = check(Client(), "post", reverse("login"),
                         {"username": world.classmate.username, "password": DEFAULT_PASSWORD}, expect=(302,))
        assert not response["Location"].startswith(reverse("login"))
        # health says what is wrong without failing the web tier
        health = check(Client(), "get", reverse("healthz")).json()
        assert health["status"] == "degraded" and health["redis"]["ok"] is False and health["database"]["ok"]
        # the lab says it is unavailable, at once
        lab, seconds = _timed(lambda: Client().post(
            reverse("attention_lab:update"), {"text": "The cat sat."}, content_type="application/json"))
        assert lab.status_code == 503 and lab.json()["code"] == "lab_unavailable", lab.content
        assert seconds < SLOWEST_ACCEPTABLE
        assert not slow, f"pages slowed down by the Redis outage: {slow}"

        # Redis comes back on the same address: the cache works again without a restart
        private_redis.start()
        deadline = time.monotonic() + 5
        while cache.get("probe-after") is None and time.monotonic() < deadline:
            cache.set("probe-after", "back")
            time.sleep(0.1)
        assert cache.get("probe-after") == "back"
