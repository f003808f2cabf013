"""Threaded database tests on SQLite: rerun in a child pytest on a file database.

The suite's SQLite test database lives in shared-cache memory, where a waiting writer fails at once
("database table is locked") instead of waiting for the lock, so tests whose threads must wait for
each other cannot run there. `file_database_split` gives a test module the three pieces that move
them into a child pytest on a file database, where SQLite waits as in development; on PostgreSQL
they run in the suite's own process.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]


def file_database_split(*, env_var: str, test_file: str, threaded_tests: int):
    """Returns (threaded, django_db_modify_db_settings, test_threaded_tests_pass_on_a_file_database):
    a marker for the threaded tests, the fixture that points the child at its file database, and the
    test that runs the child. Assign all three at module level under those names."""
    in_child = bool(os.environ.get(env_var))
    on_sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    threaded = pytest.mark.skipif(on_sqlite and not in_child, reason="run by test_threaded_tests_pass_on_a_file_database")

    @pytest.fixture(scope="session")
    def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
        if in_child:
            settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ[env_var]

    @pytest.mark.skipif(not on_sqlite or in_child, reason="the threaded tests run in this process")
    def test_threaded_tests_pass_on_a_file_database(tmp_path):
        env = {**os.environ, env_var: str(tmp_path / "threaded.sqlite3")}
        child = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", test_file,
             "-k", "not file_database"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )
        assert child.returncode == 0, child.stdout[-4000:] + child.stderr[-2000:]
        assert f"{threaded_tests} passed" in child.stdout, child.stdout[-2000:]

    return threaded, django_db_modify_db_settings, test_threaded_tests_pass_on_a_file_database
