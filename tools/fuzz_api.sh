#!/usr/bin/env bash
# The whole API under schemathesis with every check, on PostgreSQL, end to end (docs/api.md,
# "Fuzzing"): a database of its own (created, dropped at the end), migrations, demo data, a staff
# token, gunicorn with production-like settings and the throttles raised, then two runs of
# `st run --checks all` (as staff with the token, and without a key). Exits non-zero on failures.
#
#   make fuzz                                   # or: tools/fuzz_api.sh
#   FUZZ_MAX_EXAMPLES=100 FUZZ_DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_fuzz make fuzz
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${BIN:-$ROOT/.venv/bin}
export DATABASE_URL=${FUZZ_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/liaison_fuzz}
PORT=${FUZZ_PORT:-8765}
MAX_EXAMPLES=${FUZZ_MAX_EXAMPLES:-50}
WORKERS=${FUZZ_WORKERS:-2}
REPORT_DIR=${FUZZ_REPORT_DIR:-$ROOT/var/fuzz}
SEED=${FUZZ_SEED:-2026}

# Production-like: DEBUG off, no TLS redirect (plain HTTP on the loopback), limits out of the way
# so that schemathesis tests the API rather than the throttles.
export PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH}
export SECRET_KEY=fuzz-only-secret-key-not-for-production DEBUG=0 LIAISON_DEMO=0
export ALLOWED_HOSTS=127.0.0.1,localhost SITE_URL=http://127.0.0.1:$PORT
export SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0 REDIS_URL=
export LIAISON_VAR_DIR=$REPORT_DIR/var MEDIA_ROOT=$REPORT_DIR/var/media STATIC_ROOT=$REPORT_DIR/var/static
export NOTIFICATIONS_BACKEND=file NOTIFICATIONS_FILE=$REPORT_DIR/var/notifications.jsonl
export API_THROTTLE_ANON=1000000/min API_THROTTLE_USER=1000000/min
for limit in MESSAGES_PER_PHONE MESSAGES_PER_IP CODES_PER_PHONE TRACKING_FAILURES_PER_IP \
    TRACKING_FAILURES_PER_NUMBER CODE_REQUESTS_PER_IP SUGGESTION_RATINGS_PER_IP; do
  export "LIAISON_RATE_$limit=1000000"
done
export LIAISON_LOGIN_FAILURES_PER_ACCOUNT=1000000 LIAISON_LOGIN_FAILURES_PER_IP=1000000

DB_NAME=${DATABASE_URL##*/}
SERVER_URL=${DATABASE_URL%/*}/postgres
server_pid=
created=

cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$created" ] && [ -z "${FUZZ_KEEP_DATABASE:-}" ]; then
    "$BIN/python" - "$SERVER_URL" "$DB_NAME" drop <<'PY' || true
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as db:
    db.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)')
PY
  fi
}
trap cleanup EXIT

# A database of its own: refuse one that exists, so this never drops what it did not create.
"$BIN/python" - "$SERVER_URL" "$DB_NAME" <<'PY'
import re, sys, psycopg
url, name = sys.argv[1:]
if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
    sys.exit(f"fuzz: unexpected database name {name!r}")
with psycopg.connect(url, autocommit=True) as db:
    if db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        sys.exit(f"fuzz: database {name} exists; drop it or set FUZZ_DATABASE_URL to a new one")
    db.execute(f'CREATE DATABASE "{name}"')
PY
created=1
mkdir -p "$REPORT_DIR/var"
echo "== database $DB_NAME: migrate, demo data, staff token"
"$BIN/liaison" migrate --noinput >/dev/null
"$BIN/liaison" load_demo --force >/dev/null
"$BIN/liaison" collectstatic --noinput >/dev/null  # DEBUG=0: pages name hashed static files
TOKEN=$("$BIN/liaison" apikey create fuzz --user committee --scope staff 2>/dev/null)

# No limit on the request line: schemathesis sends URLs of several kilobytes, and the point is
# what the application does with them (the front server's 414 is documented in the schema).
echo "== gunicorn on 127.0.0.1:$PORT"
"$BIN/gunicorn" liaison.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --threads 4 \
  --limit-request-line 0 \
  --log-level warning >"$REPORT_DIR/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 60); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/api/v1/openapi.json" && break
  sleep 0.5
done

status=0
run() {
  local name=$1; shift
  echo "== st run --checks all ($name, --max-examples $MAX_EXAMPLES)"
  "$BIN/st" --config-file "$ROOT/tools/schemathesis.toml" run \
    "http://127.0.0.1:$PORT/api/v1/openapi.json" --checks all \
    --max-examples "$MAX_EXAMPLES" --workers "$WORKERS" --seed "$SEED" \
    --suppress-health-check all --generation-database none --request-timeout 30 --no-color \
    --report junit,ndjson --report-dir "$REPORT_DIR/$name" "$@" || status=1
}
run staff -H "Authorization: Bearer $TOKEN"
run anonymous
exit $status
