"""Faults with real processes: a worker SIGKILLed mid-request, a Redis that stops and comes back.
The lab must answer quickly and clearly while a part is down, the rest of the site must keep
working, and the lab must recover without restarting the web side.

The Redis fault uses a redis-server this test starts on a free port (never the shared one on 6379),
with a worker and a gunicorn web server of its own pointed at it."""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid

import pytest
import requests

from attention_lab import jobs
from tests.attention_lab.conftest import text_of_exactly
from tests.conftest import client_for
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.lab_processes import RedisServer, WebServer, WorkerProcess, worker_env

pytestmark = [pytest.mark.integration]


def post(client, text):
    return client.post("/api/attention/", {"text": text}, content_type="application/json")


@pytest.mark.django_db
def test_worker_killed_mid_request_gives_a_clear_error_then_a_new_worker_serves(paused_lab, tokenizer, settings):
    settings.ATTENTION_WAIT_SECONDS = 2.5  # the production default: the bound this test checks
    api = client_for(UserFactory(username="fault-user"))
    assert post(api, "word " * 300).status_code == 400  # a warm web process: URLs, tokenizer loaded
    # given: a running worker, frozen (SIGSTOP) while 15 heavy jobs (250 tokens each) and then ours
    # queue up, so that its listener, let go the moment ours is queued, claims ours with them as
    # one batch that takes a while to compute
    worker = paused_lab.start_worker()
    os.killpg(worker.process.pid, signal.SIGSTOP)
    base = text_of_exactly(tokenizer, 249)
    for index in range(15):
        jobs.job_submit(jobs.Job(text=f"{base} {index}", deadline=jobs.now() + 30))
    killed_at = {}

    def ours_pending() -> bool:
        return any(b"Will the worker survive" in entry for entry in jobs.client().lrange(jobs.pending_key(), 0, -1))

    def kill_once_our_job_is_claimed() -> None:
        deadline = time.monotonic() + 10
        while not ours_pending() and time.monotonic() < deadline:  # ours not queued yet
            time.sleep(0.001)
        os.killpg(worker.process.pid, signal.SIGCONT)
        while ours_pending() and time.monotonic() < deadline:  # not yet claimed
            time.sleep(0.001)
        worker.kill()
        killed_at["t"] = time.monotonic()

    killer = threading.Thread(target=kill_once_our_job_is_claimed, daemon=True)
    killer.start()
    # when
    started = time.monotonic()
    response = post(api, f"Will the worker survive this? {base}")  # heavy too: its own batch takes a while
    ended = time.monotonic()
    killer.join(10)
    # then: the request did not hang; it says what happened
    assert started < killed_at["t"] < ended, "the worker must die while the request waits"
    assert ended - killed_at["t"] <= 3.0
    assert ended - started <= 3.0 + 0.5  # ATTENTION_WAIT_SECONDS counts from the request's start
    assert response.status_code == 503
    assert response.json()["code"] == "worker_unavailable"
    assert "not answering" in response.json()["detail"]
    # when: a new worker starts (the web side — this process — is not restarted)
    paused_lab.start_worker()
    response = post(api, "And now a new worker answers.")
    # then
    assert response.status_code == 200, response.content
    assert response.json()["tokens"][1] == "and"


@pytest.fixture
def private_stack():
    """Own redis-server + worker + gunicorn web server with its own SQLite database."""
    server = RedisServer().start()
    prefix, queue = f"attn-fault-{uuid.uuid4().hex[:8]}", f"attention-fault-{uuid.uuid4().hex[:8]}"
    env = worker_env(redis_url=server.url, queue=queue, prefix=prefix)
    web = WebServer(env=env)
    worker = WorkerProcess(redis_url=server.url, queue=queue, prefix=prefix)
    try:
        web.manage("migrate", "--noinput", "-v", "0")
        web.manage(
            "shell", "-c",
            "from tests.factories import *; course = CourseFactory(slug='fault-course'); "
            "LessonFactory(course=course, slug='fault-lesson', title='Queries and keys'); "
            "enroll(UserFactory(username='fault-learner'), course)",
        )
        worker.start()
        web.start()
        yield server, worker, web
    finally:
        web.cleanup()
        worker.stop()
        server.stop()


def test_redis_down_the_lab_says_unavailable_lessons_render_and_it_recovers(private_stack):
    server, worker, web = private_stack
    api = requests.Session()  # an API client: basic auth, no cookies
    api.auth = ("fault-learner", DEFAULT_PASSWORD)
    session = requests.Session()  # a learner's browser: logged in with a session cookie
    lesson_url = f"{web.url}/courses/fault-course/lessons/fault-lesson/"
    web_pid = web.process.pid

    def ask(text):
        return api.post(f"{web.url}/api/attention/", json={"text": text}, timeout=10)

    login_url = f"{web.url}/accounts/login/"
    session.get(login_url, timeout=10)
    logged_in = session.post(
        login_url,
        data={"username": "fault-learner", "password": DEFAULT_PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": login_url},
        timeout=10,
    )
    assert "sessionid" in session.cookies, logged_in.text[:500]
    # given: everything up
    assert ask("Everything is up.").status_code == 200
    # when: Redis stops
    server.stop()
    started = time.monotonic()
    down = ask("Is Redis there?")
    elapsed = time.monotonic() - started
    # then: a quick, clear 503 from the lab, and the lessons still render
    assert down.status_code == 503
    assert down.json()["code"] == "lab_unavailable"
    assert "unavailable" in down.json()["detail"]
    assert elapsed < 1.5
    lesson = session.get(lesson_url, timeout=10)
    assert lesson.status_code == 200 and "Queries and keys" in lesson.text
    assert session.get(f"{web.url}/", timeout=10).status_code == 200
    # when: Redis comes back (same port, empty: no persistence)
    server.start()
    # then: the lab works again, without restarting the web server or the worker
    deadline, back = time.monotonic() + 30, None
    while time.monotonic() < deadline:
        back = ask(f"Redis is back {time.monotonic()}.")
        if back.status_code == 200:
            break
        time.sleep(0.5)
    assert back is not None and back.status_code == 200, back.content
    assert back.json()["tokens"][1:4] == ["red", "##is", "is"]
    assert web.process.pid == web_pid and web.alive and worker.alive
