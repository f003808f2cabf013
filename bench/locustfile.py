"""Load scenario: students reading lessons, taking quizzes and typing in the attention lab.

Run by bench/run_load.py against the production shape (gunicorn, PostgreSQL, Redis, a worker);
it reads the lesson URLs, quiz ids and student logins from BENCH_TARGETS (a JSON file the runner
writes). The user classes:
  Reader, QuizTaker, LabTyper  the mixed scenario (weights 6 : 3 : 2)
  LessonOnly, BareOnly         the saturation phase, run together: the lesson page vs the bare yardstick page
"""
import itertools
import json
import os
import random
import re
import threading
import uuid

from locust import HttpUser, between, constant, task

TARGETS = json.loads(open(os.environ["BENCH_TARGETS"], encoding="utf-8").read())
_logins = itertools.cycle(TARGETS["students"])
_login_lock = threading.Lock()

SAVE_URL = re.compile(r'hx-post="(/quizzes/attempts/\d+/answers/(\d+)/)"')
CHOICE = re.compile(r'name="q(\d+)-choice" value="([^"]+)"')
TEXT = re.compile(r'name="q(\d+)-text"')
MATCH = re.compile(r'name="q(\d+)-(match-[^"]+)"')
SENTENCES = [
    "The animal didn't cross the street because it was too tired.",
    "Attention lets every token look at every other token in the sentence.",
    "The keys and queries are compared with a scaled dot product.",
]


class Student(HttpUser):
    abstract = True

    def on_start(self) -> None:
        with _login_lock:
            username = next(_logins)
        self.client.get("/accounts/login/", name="login page")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/accounts/login/",
            {"username": username, "password": TARGETS["password"], "csrfmiddlewaretoken": token},
            name="login", catch_response=True, allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login failed: {response.status_code}")

    def csrf_headers(self) -> dict:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Referer": self.host + "/"}


class Reader(Student):
    weight = 6
    wait_time = between(1, 3)

    @task(6)
    def lesson(self) -> None:
        self.client.get(random.choice(TARGETS["lessons"]), name="lesson page")

    @task(1)
    def course(self) -> None:
        self.client.get(TARGETS["course"], name="course page")

    @task(1)
    def catalogue(self) -> None:
        self.client.get("/", name="catalogue")

    @task(1)
    def progress(self) -> None:
        self.client.get("/progress/", name="my learning")


class QuizTaker(Student):
    weight = 3
    wait_time = between(1, 3)

    @task
    def take_a_quiz(self) -> None:
        quiz_id = random.choice(TARGETS["quizzes"])
        headers = self.csrf_headers()
        start = self.client.post(f"/quizzes/{quiz_id}/start/", headers=headers, name="quiz start")
        if "/quizzes/attempts/" not in start.url:
            return
        attempt_url = start.url.split("?")[0]
        page = start.text
        choices: dict[str, str] = {}
        for question, value in CHOICE.findall(page):
            choices.setdefault(question, value)
        for save_url, question in SAVE_URL.findall(page):
            if question in choices:
                data = {f"q{question}-choice": choices[question]}
            elif any(q == question for q in TEXT.findall(page)):
                data = {f"q{question}-text": "softmax"}
            else:
                data = {f"q{question}-{field}": "" for q, field in MATCH.findall(page) if q == question}
            # autosave, as the page does while the student types or clicks (twice: a change of mind)
            for _ in range(2):
                self.client.post(save_url, data, headers={**headers, "HX-Request": "true"}, name="quiz autosave")
        attempt_id = attempt_url.rstrip("/").rsplit("/", 1)[-1]
        self.client.get(f"/quizzes/attempts/{attempt_id}/submit/", name="quiz submit check")
        self.client.post(f"/quizzes/attempts/{attempt_id}/submit/confirm/", headers=headers, name="quiz submit")


class LabTyper(Student):
    """Types a sentence into the lab: one debounced update per few characters, like the page sends."""

    weight = 2
    wait_time = between(0.2, 0.6)

    def on_start(self) -> None:
        super().on_start()
        self.page_id = uuid.uuid4().hex
        self.sentence = random.choice(SENTENCES)
        self.typed = 3

    @task
    def keystrokes(self) -> None:
        self.typed = self.typed + random.randint(2, 6)
        if self.typed > len(self.sentence):
            self.sentence, self.typed = random.choice(SENTENCES), 3
        body = {"text": self.sentence[: self.typed], "page": self.page_id, "view": "head", "layer": 0, "head": 0}
        with self.client.post("/lab/update/", json=body, headers=self.csrf_headers(), name="lab update",
                              catch_response=True) as response:
            # 409: a newer keystroke from this page replaced this one, which is what the lab is for
            if response.status_code == 409:
                response.success()


class LessonOnly(Student):
    weight = 1
    wait_time = constant(0)

    @task
    def lesson(self) -> None:
        self.client.get(TARGETS["lessons"][0], name="saturation: lesson page")


class BareOnly(Student):
    weight = 1
    wait_time = constant(0)

    @task
    def bare(self) -> None:
        self.client.get("/bench/bare/", name="saturation: bare page")
