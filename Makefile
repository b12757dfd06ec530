# quizapp — two commands: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app quizapp
STAMP := $(VENV)/.installed

.PHONY: run serve bench bench-volume bench-profile bench-profile-readers test lint install db content clean admin
ADMIN ?= admin

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

db: install
	$(FLASK) db upgrade

content: db
	$(FLASK) content sync

run: content
	@echo "quizapp is serving on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	$(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT) --no-reload

admin: db
	$(FLASK) users create-admin $(ADMIN)

# Production-style serving: gunicorn with gunicorn.conf.py (workers from the CPU count,
# access log on stdout, no scheduler in the workers). See docs/deploy.md.
serve: db
	@echo "quizapp under gunicorn on $${QUIZAPP_BIND:-127.0.0.1:8000} (gunicorn.conf.py; Ctrl+C to stop)"
	@echo "  database: $${QUIZAPP_DATABASE_URL:-instance/quizapp.sqlite3 (SQLite)} -- several workers expect PostgreSQL: QUIZAPP_DATABASE_URL=postgresql+psycopg://user@host/db"
	@echo "  shared state: $${QUIZAPP_REDIS_URL:-memory, per worker} -- set QUIZAPP_REDIS_URL=redis://127.0.0.1:6379/0 for one rate limit and cache"
	@echo "  scheduler: not in the workers; run one beside it: $(FLASK) scheduler run"
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

# Load benchmark (bench/run.py; not part of the test suite): ~10 minutes, writes bench/results.md.
# Durations and users: BENCH_DURATION_S, BENCH_THINK_DURATION_S, BENCH_USERS, BENCH_PARTICIPANTS, BENCH_BACKENDS.
$(VENV)/.bench: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	touch $@

bench: $(VENV)/.bench
	$(BIN)/python bench/run.py

# Data volume on PostgreSQL (database quizapp_bench, recreated): 100,000 participants, 2,000,000 responses.
bench-volume: $(VENV)/.bench
	$(BIN)/python bench/volume.py --fresh

# pyinstrument over the participant path, on the SQLite database the last `make bench` seeded.
bench-profile: $(VENV)/.bench
	QUIZAPP_DATABASE_URL=sqlite:///$(CURDIR)/bench/out/bench.sqlite3 QUIZAPP_ATTEMPT_START_LIMIT="1000000 per minute" \
	  $(BIN)/python bench/profile_participant.py

# CPU per reader page with and without the page cache, on the same database.
bench-profile-readers: $(VENV)/.bench
	QUIZAPP_DATABASE_URL=sqlite:///$(CURDIR)/bench/out/bench.sqlite3 $(BIN)/python bench/profile_readers.py

lint: install
	$(BIN)/ruff check quizapp tests migrations bench wsgi.py gunicorn.conf.py

test: lint
	env -u QUIZAPP_TEST_DATABASE_URL $(BIN)/pytest
ifdef QUIZAPP_TEST_DATABASE_URL
	@echo "== the same suite on $(QUIZAPP_TEST_DATABASE_URL) =="
	QUIZAPP_TEST_DATABASE_URL='$(QUIZAPP_TEST_DATABASE_URL)' $(BIN)/pytest
endif

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
