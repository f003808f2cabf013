"""Locust scenario for bench/quiz_load.py: students take the 10-question bench quiz once each (or --rounds times).

Each user logs in, starts an attempt, opens the attempt page, autosaves every question once through
the page's own htmx endpoint (POST /quizzes/attempts/<id>/answers/<question>/, HX-Request), then
submits (POST …/submit/confirm/) and opens the review. What the server acknowledged is written,
one JSON line per attempt, to QUIZBENCH_SENT so the runner can check every answer in the database.

Environment: QUIZBENCH_TARGETS (the JSON the runner writes: quiz id, logins, password, rounds,
think time), QUIZBENCH_SENT (the JSON-lines file to append to), QUIZBENCH_STATS (where the final
statistics go, as JSON rows shaped like Locust's CSV: its CSV writer can miss the last requests
when the run is ended early, as this scenario does once every student has submitted).
"""
import itertools
import json
import os
import random
import sys
import threading
from pathlib import Path

import gevent
from locust import HttpUser, constant, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quiz_bench_lib import answer_for, question_fields  # noqa: E402

TARGETS = json.loads(open(os.environ["QUIZBENCH_TARGETS"], encoding="utf-8").read())
SENT_PATH = os.environ["QUIZBENCH_SENT"]
_logins = itertools.cycle(TARGETS["students"])
_lock = threading.Lock()  # gevent makes this cheap; it only guards the login cycle and the counters
_finished = {"users": 0}


class QuizStudent(HttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        with _lock:
            self.username = next(_logins)
        self.client.get("/accounts/login/", name="login page")
        with self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": TARGETS["password"],
             "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")},
            name="login", catch_response=True, allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login failed: {response.status_code}")
                raise StopUser()

    def headers(self, **extra: str) -> dict:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Referer": self.host + "/", **extra}

    def think(self) -> None:
        low, high = TARGETS["think"]
        if high > 0:
            gevent.sleep(random.uniform(low, high))

    @task
    def take_the_quiz(self) -> None:
        try:
            for _ in range(TARGETS["rounds"]):
                self.one_attempt()
        except Exception as error:  # noqa: BLE001 — counted as a failure; Locust would otherwise rerun the task
            self.environment.events.request.fire(
                request_type="CHECK", name="student ran into an error", response_time=0, response_length=0,
                exception=error, context={},
            )
        raise StopUser()

    def on_stop(self) -> None:
        # Locust keeps running with no users until -t otherwise: stop once the last student is done
        # (finished, or stopped by a failed login).
        with _lock:
            _finished["users"] += 1
            last = _finished["users"] == TARGETS["users"]
        if last:
            gevent.spawn_later(0.5, self.environment.runner.quit)

    def one_attempt(self) -> None:
        quiz = TARGETS["quiz"]
        record = {"user": self.username, "attempt": None, "saves": [], "submitted": False}
        with self.client.post(f"/quizzes/{quiz}/start/", headers=self.headers(), name="quiz start",
                              allow_redirects=False, catch_response=True) as start:
            location = start.headers.get("Location", "")
            if start.status_code != 302 or "/quizzes/attempts/" not in location:
                start.failure(f"start did not open an attempt: {start.status_code} {location}")
                self.write(record)
                return
        attempt_url = location.split("?")[0]
        record["attempt"] = int(attempt_url.rstrip("/").rsplit("/", 1)[-1])
        page = self.client.get(attempt_url, name="attempt page").text
        questions = question_fields(page)
        if len(questions) != TARGETS["questions"]:
            self.environment.events.request.fire(
                request_type="CHECK", name="attempt page has every question", response_time=0, response_length=0,
                exception=AssertionError(f"{len(questions)} questions on the page"), context={},
            )
        for question, save_url, chunk in questions:
            self.think()
            data = answer_for(chunk, f"{self.username}-a{record['attempt']}-q{question}")
            if data is None:
                continue
            with self.client.post(save_url, data, headers=self.headers(**{"HX-Request": "true"}), name="autosave answer",
                                  catch_response=True) as saved:
                ok = saved.status_code == 200 and "Saved at" in saved.text
                if not ok:
                    saved.failure(f"save refused: {saved.status_code} {saved.text[:80]!r}")
            record["saves"].append({"question": question, "data": data, "acknowledged": ok})
        self.think()
        with self.client.post(f"/quizzes/attempts/{record['attempt']}/submit/confirm/", headers=self.headers(),
                              name="submit attempt", allow_redirects=False, catch_response=True) as submitted:
            record["submitted"] = submitted.status_code == 302 and "/review/" in submitted.headers.get("Location", "")
            if not record["submitted"]:
                submitted.failure(f"submit failed: {submitted.status_code}")
        self.write(record)
        if record["submitted"]:
            self.client.get(f"/quizzes/attempts/{record['attempt']}/review/", name="review page")

    @staticmethod
    def write(record: dict) -> None:
        with _lock, open(SENT_PATH, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")


@events.quitting.add_listener
def _write_stats(environment, **_kwargs) -> None:
    rows = []
    for entry in [*sorted(environment.stats.entries.values(), key=lambda e: e.name), environment.stats.total]:
        rows.append({
            "Name": entry.name, "Request Count": entry.num_requests, "Failure Count": entry.num_failures,
            "Requests/s": entry.total_rps, "Max Response Time": round(entry.max_response_time or 0),
            **{f"{p}%": entry.get_response_time_percentile(p / 100) for p in (50, 95, 99)},
        })
    with open(os.environ["QUIZBENCH_STATS"], "w", encoding="utf-8") as handle:
        json.dump(rows, handle)
