"""`make run`'s script under a crash: SIGKILL the attention worker and the web keeps serving lessons,
the lab says the worker is restarting, and answers again once the supervisor has restarted it; Ctrl-C
then stops everything the script started. The real bin/run-platform, on its own Redis and database."""
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.faults.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def http(method: str, url: str, body: dict | None = None, timeout: float = 10) -> tuple[int, str]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def wait_for(check, timeout: float, what: str, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"{what} within {timeout} s; the script said:\n{log.read_text()[-3000:]}")


def test_a_killed_worker_is_restarted_while_the_web_keeps_serving(private_redis, tmp_path):
    port, log = free_port(), tmp_path / "run.log"
    env = {
        **os.environ,
        "PORT": str(port),
        "REDIS_URL": private_redis.url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "ATTENTION_QUEUE": f"attention-run-{port}",
        "ATTENTION_REDIS_PREFIX": f"attn-run-{port}",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("HOST", None)
    with log.open("w") as output:
        script = subprocess.Popen(["bash", "bin/run-platform"], cwd=ROOT, env=env, stdout=output,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: http("GET", base + "/healthz")[0] == 200, 240, "the web server did not answer", log)
        # it listens on loopback only unless HOST says otherwise
        listening = {c.laddr for p in psutil.Process(script.pid).children(recursive=True)
                     for c in p.net_connections("tcp") if c.status == psutil.CONN_LISTEN}
        assert ("127.0.0.1", port) in listening and ("0.0.0.0", port) not in listening
        attention = base + "/api/attention/"
        wait_for(lambda: http("POST", attention, {"text": "The cat sat."}, timeout=30)[0] == 200, 240,
                 "the lab did not answer", log)

        # when: the worker dies
        worker_pid = int(re.findall(r"attention worker started \(pid (\d+)\)", log.read_text())[-1])
        os.kill(worker_pid, signal.SIGKILL)

        # then: lessons and quizzes are still served, and the lab says the worker is restarting
        for path in ("/", "/courses/transformers-attention/", "/api/lessons/", "/api/courses/"):
            assert http("GET", base + path)[0] == 200, path
        status, body = wait_for(
            lambda: (lambda answer: answer if answer[0] == 503 and "restarting" in answer[1] else None)(
                http("POST", attention, {"text": "A new sentence."}, timeout=30)),
            60, "the lab did not say the worker is restarting", log)
        assert json.loads(body)["code"] == "worker_unavailable"
        wait_for(lambda: "exited (status" in log.read_text(), 30, "the supervisor did not log the crash", log)

        # and: once the supervisor has restarted it, the lab answers again
        wait_for(lambda: http("POST", attention, {"text": "Back again."}, timeout=30)[0] == 200, 240,
                 "the restarted worker did not answer", log)
        assert len(re.findall(r"attention worker started", log.read_text())) == 2

        # Ctrl-C stops everything the script started
        started = psutil.Process(script.pid).children(recursive=True)
        script.send_signal(signal.SIGINT)
        script.wait(timeout=60)
        gone, alive = psutil.wait_procs(started, timeout=30)
        assert not alive, f"still running after Ctrl-C: {[p.cmdline() for p in alive]}"
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)
