"""Settings for the test suite: fast password hashing, a Redis database of its own."""
import os

from .base import *  # noqa: F401,F403
from .base import CACHES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Tests use their own Redis database, so a developer's running worker never takes a test's task.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = CELERY_RESULT_BACKEND = REDIS_URL
# The cache gets a database of its own (14): `cache.clear()` in a test is FLUSHDB, which must not wipe
# the Celery queues and lab jobs of other test runs sharing database 15.
CACHES["default"]["LOCATION"] = REDIS_URL.rsplit("/", 1)[0] + "/14"
CACHES["default"]["KEY_PREFIX"] = f"attentive-test-{os.getpid()}"

# Each test process gets its own lab keys and its own Celery queue, so concurrent test runs on one
# machine (and a developer's worker on "attention") never take each other's jobs. A worker
# subprocess started by the suite is handed the same two values through these environment variables.
ATTENTION_REDIS_PREFIX = os.environ.get("ATTENTION_REDIS_PREFIX") or f"attn-test-{os.getpid()}"
ATTENTION_QUEUE = os.environ.get("ATTENTION_QUEUE") or f"attention-test-{os.getpid()}"
CELERY_TASK_ROUTES = {"attention_lab.tasks.*": {"queue": ATTENTION_QUEUE}}

# Tests check what the lab answers, not how fast: a loaded CI machine must not turn a slow 256-token
# pass into a 503. Tests of the wait itself set their own value.
ATTENTION_WAIT_SECONDS = float(os.environ.get("ATTENTION_WAIT_SECONDS", "20"))

# Which write folds the dashboard deltas depends on the database's id sequences, which differ between
# runs: tests that count pending deltas must not see one fold away by chance. Tests of the fold on
# write set their own value.
PROGRESS_FOLD_EVERY_DELTAS = 0
