"""gunicorn settings for the web container (`gunicorn config.wsgi -c config/gunicorn.py`).

Sync workers: every view is short (the lab waits at most ATTENTION_WAIT_SECONDS for the worker), so
a process per concurrent request is simplest. WEB_CONCURRENCY overrides the count.
"""
import multiprocessing
import os

bind = f"0.0.0.0:{os.environ.get('GUNICORN_PORT', '8000')}"
# gunicorn's rule of thumb (2 × cores + 1), capped: each worker holds a database connection.
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 9))
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak can never take the site down.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.json_logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
        "access": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}
