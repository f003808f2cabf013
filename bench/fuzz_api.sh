#!/usr/bin/env bash
# Long API fuzzing run: schemathesis against /api/schema/ of a live gunicorn, as a student and as an
# instructor, with the attention worker running (so /api/attention/ is fuzzed too). Fails on any 5xx.
#
#   bench/fuzz_api.sh [EXAMPLES_PER_OPERATION]      (default 200; CHECKS=all for every schemathesis check;
#                                                    PHASES=examples,fuzzing skips the slow coverage phase)
#
# Uses a throw-away SQLite database and its own redis-server on free ports; touches nothing shared.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
EXAMPLES="${1:-200}"
CHECKS="${CHECKS:-not_a_server_error}"
PHASES="${PHASES:-examples,coverage,fuzzing,stateful}"
WORK="$(mktemp -d)"
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
REDIS_PORT="$(free_port)"; WEB_PORT="$(free_port)"
export DJANGO_SETTINGS_MODULE=config.settings.local DEBUG=false
export DATABASE_URL="sqlite:///$WORK/fuzz.sqlite3" REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export ATTENTION_DEVICE="${ATTENTION_DEVICE:-cpu}" ATTENTION_LAB_RATE_PER_MINUTE=0 ATTENTION_RATE=100000/min
export GUNICORN_PORT="$WEB_PORT" WEB_CONCURRENCY=2 LOG_LEVEL=WARNING
unset DJANGO_ALLOW_ASYNC_UNSAFE || true
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
trap "exit 143" INT TERM  # run the EXIT trap (stop the servers) when interrupted too

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >"$WORK/redis.log" 2>&1 & PIDS+=($!)
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py load_course -v 0
"$PY" manage.py shell -v 0 -c '
from django.contrib.auth.models import Group, User
from accounts.roles import INSTRUCTORS_GROUP
from courses.models import Course, Enrollment
course = Course.objects.order_by("id").first()
student = User.objects.create_user("fuzz-student", password="fuzz-password-42")
Enrollment.objects.create(user=student, course=course)
teacher = User.objects.create_user("fuzz-teacher", password="fuzz-password-42")
teacher.groups.add(Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0])
course.instructors.add(teacher)
'
"$PY" -m celery -A config worker -Q attention,celery --pool solo --loglevel WARNING -n "fuzz-$REDIS_PORT@%h" >"$WORK/worker.log" 2>&1 & PIDS+=($!)
"$PY" -m gunicorn config.wsgi -c config/gunicorn.py >"$WORK/web.log" 2>&1 & PIDS+=($!)
for _ in $(seq 120); do
  curl -fsS "http://127.0.0.1:$WEB_PORT/healthz" 2>/dev/null | grep -q '"status": "ok"' && break
  sleep 1
done

status=0
for user in fuzz-student fuzz-teacher; do
  echo "=== $user: $EXAMPLES examples per operation, phases: $PHASES, checks: $CHECKS"
  .venv/bin/schemathesis run "http://127.0.0.1:$WEB_PORT/api/schema/" --auth "$user:fuzz-password-42" \
    --checks "$CHECKS" --phases "$PHASES" --max-examples "$EXAMPLES" --request-timeout 10 --no-color || status=1
done
if [ "$status" -ne 0 ]; then
  echo "--- server log (last 60 lines)"; tail -60 "$WORK/web.log"
fi
exit "$status"
