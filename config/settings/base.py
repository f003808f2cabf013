"""Settings shared by every environment. Everything a deployment changes comes from the environment."""
from pathlib import Path

import dj_database_url

from .env import env_bool, env_list, env_str

BASE_DIR = Path(__file__).resolve().parents[2]

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "courses",
    "quizzes",
    "attention_lab",
    "progress",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view reads the body: 413/400 as JSON on JSON endpoints, never a 500 (after auth, so the
    # 400 page of an HTML request can render with its user).
    "config.json_body.JSONBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it turns a lock-out on any password path into the 429 page or JSON (accounts/lockout.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
            ],
        },
    },
]

# SQLite is the embedded default for a first run; production and CI set DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker or a test writes; the timeout rides out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Every password check (log-in form, admin, DRF Basic) passes axes first: accounts/lockout.py.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "accounts.lockout.PairLockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # a pair: guessing from elsewhere never locks the owner out
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = "accounts.lockout.cool_off"  # grows while the guessing goes on
AXES_USE_ATTEMPT_EXPIRATION = True  # each pair keeps its own expiry, so one pair's cool-off never clears another's
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "config.client_address.client_address"
AXES_USERNAME_CALLABLE = "accounts.lockout.client_username"  # cut to what axes can store (no 500 on PostgreSQL)
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "courses:catalogue"
LOGOUT_REDIRECT_URL = "courses:catalogue"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end libraries come from npm (package-lock.json) and are served straight out of node_modules.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/katex", BASE_DIR / "node_modules" / "katex" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")

# The cache holds attention results and throttling counters. It must never take a page down:
# IGNORE_EXCEPTIONS turns a missing Redis into cache misses.
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
            "IGNORE_EXCEPTIONS": True,
        },
        "KEY_PREFIX": "attentive",
    }
}
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
SESSION_ENGINE = "django.contrib.sessions.backends.db"

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 300
CELERY_TASK_ROUTES = {"attention_lab.tasks.*": {"queue": "attention"}}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1

ATTENTION_DEVICE = env_str("ATTENTION_DEVICE", "auto")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.authentication.ThrottledBasicAuthentication",
    ],
    # Every JSON body is read by config.json_body (size and depth limits, 400/413 as JSON).
    "DEFAULT_PARSER_CLASSES": [
        "config.json_body.BoundedJSONParser",
        "config.json_body.NulFreeFormParser",
        "config.json_body.NulFreeMultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Rate limits key visitors by address: trust X-Forwarded-For only behind that many proxies of
    # our own (0 = never), so a client cannot dodge a limit by forging the header.
    "NUM_PROXIES": int(env_str("NUM_PROXIES", "0")),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Attentive API",
    "DESCRIPTION": "Courses, lessons, enrollment, progress, quizzes and the attention lab.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for the review ratings wherever they appear (`rating`, `last_rating`).
    "ENUM_NAME_OVERRIDES": {"ReviewRatingEnum": ["again", "hard", "good", "easy"]},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Attentive <no-reply@attentive.local>")

# Where load_course reads the course material from.
COURSE_CONTENT_DIR = BASE_DIR / "courses" / "content"

# Routes the bare yardstick page of the load test (bench/run_load.py, config/bench_views.py).
BENCH_VIEWS = env_bool("BENCH_VIEWS", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Attention lab (docs/attention-lab.md). The worker runs with `-Q attention -P solo`: one forward
# pass at a time per process, CUDA-safe; scale with more worker processes.
ATTENTION_THREADS = int(env_str("ATTENTION_THREADS", "0")) or None  # None: the CPUs of the process
# 2.5 s of waiting, so that with the request's own overhead a learner hears "not answering" within 3 s.
ATTENTION_WAIT_SECONDS = float(env_str("ATTENTION_WAIT_SECONDS", "2.5"))  # then 503 "worker not answering"
ATTENTION_BATCH_LIMIT = 16  # jobs one forward pass may take
ATTENTION_CACHE_TTL = 3600  # seconds a computed result stays in Redis

# Dashboard summaries take learners' changes as delta rows and fold them when read; the writer whose
# delta id is a multiple of this also folds, so the deltas stay few where nobody reads (0: never).
PROGRESS_FOLD_EVERY_DELTAS = 1000
ATTENTION_REDIS_PREFIX = env_str("ATTENTION_REDIS_PREFIX", "attn")  # every lab key in Redis starts with it
ATTENTION_QUEUE = env_str("ATTENTION_QUEUE", "attention")  # the Celery queue the attention worker consumes
ATTENTION_RATE = env_str("ATTENTION_RATE", "300/min")  # lab requests per user (or IP); debounced typing stays well under
