# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: run serve test test-fast lint fmt bench install chromium migrate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[dev,rq]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

# Web server and the two background workers side by side (e-mails and reminders on the default
# queue, calendar syncs on their own, so a slow calendar server never delays an e-mail); Ctrl-C
# stops all three.
run: migrate
	$(BIN)/python manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ (workers: manage.py db_worker, db_worker --queue-name calendars)"
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; export PORT=$(PORT); \
	$(BIN)/python manage.py db_worker --queue-name default & \
	$(BIN)/python manage.py db_worker --queue-name calendars & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production on one machine: the Procfile's processes (gunicorn, the worker, the calendar
# worker) with config.settings.production; SECRET_KEY, ALLOWED_HOSTS, SITE_URL... come from the
# environment or .env. Ctrl-C stops all three.
serve: install
	DJANGO_SETTINGS_MODULE=config.settings.production $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.production $(BIN)/python manage.py collectstatic --noinput -v 0
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; export DJANGO_SETTINGS_MODULE=config.settings.production; \
	$(BIN)/python manage.py db_worker --no-reload --queue-name default & \
	$(BIN)/python manage.py db_worker --no-reload --queue-name calendars & \
	$(BIN)/gunicorn -c gunicorn.conf.py

# Debian's chromium for the browser tests (Playwright cannot download its own browser here).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's chromium for the browser tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "chromium is missing and cannot be installed here: run 'sudo apt-get install chromium'"; exit 1; \
		fi; \
	fi

# The suite runs on every core (pytest-xdist; each worker has its own test database and live
# server; a module runs on one worker, so that the fuzz modules count their requests in one
# process). `make test WORKERS=0` runs it in one process.
WORKERS ?= auto
XDIST = $(if $(filter 0,$(WORKERS)),,-n $(WORKERS) --dist loadfile)

test: install chromium
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest -q $(XDIST) $(PYTEST_ARGS)

test-fast: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest -q $(XDIST) -m "not e2e" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf var/test*.sqlite3* var/screenshots
