# Pathways: `make run` serves the demo site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint bench install system-packages messages migrate seed clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed system-packages

system-packages:
	bash scripts/system-packages.sh

# The translations (locale/*/LC_MESSAGES/django.po) compiled to .mo files, which are not committed.
messages: install
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules --verbosity 0

migrate: install messages
	$(MANAGE) migrate --no-input

seed: migrate
	$(MANAGE) seed_demo

run: seed
	$(MANAGE) runserver 127.0.0.1:8000

# axe-core (package.json), for the accessibility checks of the browser tests.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

test: install messages node_modules/.installed
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports  # the layer contract in pyproject.toml (docs/ARCHITECTURE.md)

bench: install
	$(BIN)/pytest tests/bench -p no:cacheprovider --benchmark-only -o addopts=""

clean:
	rm -rf $(VENV) db.sqlite3 media private staticfiles .pytest_cache
	rm -rf node_modules
	find locale -name '*.mo' -delete
