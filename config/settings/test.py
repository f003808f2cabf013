"""Settings for the test suite: fast password hashing, a Redis database of its own."""
import os

from .base import *  # noqa: F401,F403
from .base import CACHES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Keep tests' cache entries apart from a developer's running instance.
CACHES["default"]["KEY_PREFIX"] = f"attentive-test-{os.getpid()}"
