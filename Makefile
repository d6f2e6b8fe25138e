# Two commands on a fresh machine with Python 3.11+ and Node.js:
#   make run   - install, migrate, load demo data, serve on http://127.0.0.1:8000
#   make test  - install test dependencies, run the whole suite and the linters
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# One test process per core (each gets its own test database and Redis database).
PYTEST_ARGS ?= -n auto

.PHONY: run test install install-test assets migrate seed lint format bench check-deploy worker beat clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

build/vendor/.built: node_modules/.installed scripts/build_assets.mjs
	node scripts/build_assets.mjs
	@touch $@

assets: build/vendor/.built

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: install assets seed
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Serving on http://$(HOST):$(PORT) (Ctrl+C to stop)"
	$(VENV)/bin/daphne --no-server-name -b $(HOST) -p $(PORT) collab_platform.asgi:application

test: install-test assets
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run --verbosity 0
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install-test assets
	$(PY) bench/run.py
	# The live board on PostgreSQL and Redis: delivery to 50 and 200 participants.
	$(PY) bench/board_latency.py
	# Core Web Vitals on a throttled mobile profile (LCP, CLS, bytes per page).
	$(PY) bench/web_vitals.py
	# Digests: 20,000 built and sent through Redis, a two-process worker and an
	# SMTP sink; the dispatcher's query count for 2,000 and 20,000 people.
	$(PY) bench/digests.py

check-deploy: install
	DJANGO_ENV=production SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(64))') \
	  ALLOWED_HOSTS=collab.example.org DATABASE_URL=$${DATABASE_URL:-postgres://collab@127.0.0.1:5432/collab} \
	  REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	  $(PY) manage.py check --deploy --fail-level WARNING

worker: install
	$(VENV)/bin/celery -A collab_platform worker --loglevel=info

beat: install
	$(VENV)/bin/celery -A collab_platform beat --loglevel=info

clean:
	rm -rf $(VENV) node_modules build var
