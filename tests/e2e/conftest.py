"""Headless Chromium (Debian's package, driven by Playwright) against a live Django server."""
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test body are
# still synchronous and safe, so allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _RequestsInFlight:
    """Requests the live server (a thread of this process) is still handling."""

    def __init__(self) -> None:
        self.count, self.lock = 0, threading.Lock()

    def started(self, **kwargs) -> None:
        with self.lock:
            self.count += 1

    def finished(self, **kwargs) -> None:
        with self.lock:
            self.count = max(0, self.count - 1)


_in_flight = _RequestsInFlight()
request_started.connect(_in_flight.started, dispatch_uid="e2e-in-flight-started")
request_finished.connect(_in_flight.finished, dispatch_uid="e2e-in-flight-finished")


@pytest.fixture(autouse=True)
def _server_idle_before_teardown(request):
    """A page closing at the end of a test may still have a request on the server (a lesson view, a
    position report, an htmx poll). Its writes must land before the test database is flushed, or the
    flush fails on a row that points at a user it already deleted; so teardown waits for the server."""
    if "live_server" in request.fixturenames:
        request.getfixturevalue("live_server")  # torn down after this fixture
    yield
    deadline = time.monotonic() + 10
    while _in_flight.count and time.monotonic() < deadline:
        time.sleep(0.02)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: run `make system-deps` (Debian's chromium package).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    # A lesson page reports the reading position once more as it closes; that late write must not
    # reach the server while the test's database is being torn down.
    context.route("**/position/", lambda route: route.abort())
    context.close()


def screenshot(page, name: str) -> None:
    """Keep a picture of what the user saw (test-artifacts/, not committed) for a human to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
