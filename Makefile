# The README's two commands: `make run` and `make test`.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install run test lint check pytest worker bench messages bench-notifications fuzz replica

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# Demo server on the embedded SQLite database under var/, with the worker beside it. It runs as
# production does (DEBUG off: the site's own 404 and 500 pages, never Django's debug pages; static
# files collected and served by whitenoise), over plain HTTP on this machine with a demo-only key.
# `make run DEBUG=1` shows Django's debug pages instead, for a developer.
run: export DEBUG ?= 0
run: export LIAISON_DEMO := 1
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: export SECRET_KEY ?= demo-only-secret-key-never-use-in-production
run: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
run: export SECURE_SSL_REDIRECT ?= 0
run: export SECURE_COOKIES ?= 0
run: export SECURE_HSTS_SECONDS ?= 0
run: install
	@mkdir -p var
	$(BIN)/liaison migrate --noinput
	$(BIN)/liaison collectstatic --noinput --verbosity 0
	$(BIN)/liaison load_demo
	@echo "Liaison is starting at http://127.0.0.1:$(PORT)/  (Ctrl-C stops web server and worker)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(BIN)/liaison worker & \
	  $(BIN)/liaison runserver --noreload 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: export SECRET_KEY ?= check-only-secret-key
check: install
	$(BIN)/liaison check --fail-level WARNING
	$(BIN)/liaison makemigrations --check --dry-run
	$(BIN)/python -m liaison.core.i18n_check

# The suite on SQLite, then on PostgreSQL when TEST_DATABASE_URL points to a server.
pytest: install
	env -u DATABASE_URL $(BIN)/pytest -q
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL ($$TEST_DATABASE_URL)"; \
	  DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/pytest -q; \
	else echo "TEST_DATABASE_URL is not set: PostgreSQL run skipped"; fi

test: lint check pytest

worker: install
	$(BIN)/liaison worker

# 10,000 SMS notices through worker processes to a local gateway stand-in (bench/README.md);
# on PostgreSQL with BENCH_DATABASE_URL (a new database, created and dropped), else SQLite.
bench-notifications: install
	env -u DATABASE_URL $(BIN)/python -W ignore bench/notifications_outbox.py $(BENCH_ARGS)

# The whole API under schemathesis with every check, on PostgreSQL (its own database, created and
# dropped), production settings, as staff and without a key (docs/api.md, "Fuzzing the API").
fuzz: install
	tools/fuzz_api.sh

# A streaming replica of the local PostgreSQL on port 5433 for tests/core/test_replicas.py
# (docs/scaling.md); as root or postgres. Then: TEST_REPLICA_URL=postgres://postgres@127.0.0.1:5433/postgres
replica:
	tools/replica_setup.sh

# Regenerate the message catalogues after changing user-facing strings.
messages: install
	cd liaison && ../$(BIN)/liaison makemessages -l zh_Hans -l en --no-obsolete --no-location
	cd liaison && ../$(BIN)/liaison compilemessages
