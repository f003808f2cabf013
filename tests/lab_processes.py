"""Real processes for the attention lab's integration and fault tests: a Celery worker, a private
redis-server, a web server. Each one is started in its own session (so a kill takes its children
too), logs to a file whose tail appears in any start-up error, and is stopped by the test that made it.

Isolation: several test runs share this machine and its Redis on 6379, so a worker here only consumes
the queue and the key prefix it is given (config/settings/test.py derives both from the test process
id), and a Redis fault test kills only a redis-server it started itself on a free port.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis
from celery import Celery

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Process:
    """A child process in its own session, with its output in a log file."""

    label = "process"

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.log_path = Path(tempfile.mkstemp(prefix=f"attentive-{self.label}-", suffix=".log")[1])

    def _spawn(self, command: list[str], env: dict[str, str] | None = None) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def kill(self) -> None:
        """SIGKILL, no goodbye: what an out-of-memory kill or a pulled plug looks like."""
        if self.alive:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self, grace: float = 10.0) -> None:
        if not self.alive:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.kill()

    def _wait_until(self, ready, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive:
                raise RuntimeError(f"{what} exited with {self.process.returncode}:\n{self.log_tail()}")
            if ready():
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{what} not ready after {timeout:.0f} s:\n{self.log_tail()}")


class RedisServer(_Process):
    """A throwaway redis-server on a free port: no persistence, ours to stop and start again."""

    label = "redis"

    def __init__(self, port: int | None = None) -> None:
        super().__init__()
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> RedisServer:
        self._spawn(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        self._wait_until(lambda: _answers(client), timeout, f"redis-server on {self.port}")
        return self


def _answers(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


def worker_env(*, redis_url: str, queue: str, prefix: str, **extra: str) -> dict[str, str]:
    """The environment that points a test worker (or web server) at one Redis, queue and prefix."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        TEST_REDIS_URL=redis_url,
        ATTENTION_QUEUE=queue,
        ATTENTION_REDIS_PREFIX=prefix,
        # The worker serves no URLs: Django's system checks would only slow its start.
        CELERY_SKIP_CHECKS="1",
        PYTHONUNBUFFERED="1",
    )
    env.setdefault("ATTENTION_DEVICE", "auto")
    env.update(extra)
    return env


class WorkerProcess(_Process):
    """`celery -A config worker -Q <queue> --pool solo --concurrency 1`, the model loaded before ready."""

    label = "worker"

    def __init__(self, *, redis_url: str, queue: str, prefix: str, name: str | None = None) -> None:
        super().__init__()
        self.redis_url, self.queue, self.prefix = redis_url, queue, prefix
        self.hostname = f"{name or queue}-{os.getpid()}-{time.monotonic_ns() % 10**6}@{socket.gethostname()}"

    def start(self, timeout: float = 90.0) -> WorkerProcess:
        command = [
            str(VENV_BIN / "celery"), "-A", "config", "worker",
            "-Q", self.queue, "--pool", "solo", "--concurrency", "1",
            "-n", self.hostname,
            # Nothing to sync with other workers, and each of these costs a second at start.
            "--without-mingle", "--without-gossip", "--without-heartbeat",
            "--loglevel", "info",
        ]
        self._spawn(command, worker_env(redis_url=self.redis_url, queue=self.queue, prefix=self.prefix))
        self._wait_until(self.answers_ping, timeout, f"Celery worker {self.hostname}")
        return self

    def answers_ping(self, timeout: float = 0.3) -> bool:
        """True once the worker consumes: in a solo pool the model loads before the first reply."""
        probe = Celery(broker=self.redis_url, set_as_current=False)
        try:
            replies = probe.control.ping(destination=[self.hostname], timeout=timeout)
        except Exception:  # broker not answering: not ready
            return False
        finally:
            probe.close()
        return any(self.hostname in reply for reply in replies)


class WebServer(_Process):
    """The Django app under gunicorn (the production server) on a free port, its own SQLite file."""

    label = "web"

    def __init__(self, *, env: dict[str, str], workers: int = 1, threads: int = 4) -> None:
        super().__init__()
        self.workers, self.threads = workers, threads
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database = Path(tempfile.mkstemp(prefix="attentive-web-", suffix=".sqlite3")[1])
        self.env = {**env, "DATABASE_URL": f"sqlite:///{self.database}"}

    def manage(self, *args: str, timeout: float = 180.0) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start(self, timeout: float = 60.0) -> WebServer:
        import requests

        command = [
            str(VENV_BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers), "--threads", str(self.threads), "--timeout", "30",
        ]
        self._spawn(command, self.env)

        def ready() -> bool:
            try:
                return requests.get(f"{self.url}/healthz", timeout=1).status_code in (200, 503)
            except requests.RequestException:
                return False

        self._wait_until(ready, timeout, f"web server on {self.port}")
        return self

    def cleanup(self) -> None:
        self.stop()
        for path in (self.database, Path(f"{self.database}-wal"), Path(f"{self.database}-shm")):
            path.unlink(missing_ok=True)
