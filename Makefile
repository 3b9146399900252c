# Pathways: `make run` serves the demo site, `make test` runs the whole suite.
# VENV=/some/where makes and uses another virtualenv (e.g. a throwaway one to try new pins).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# make test runs the suite on every core (pytest-xdist); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto

# The tools that compile and audit the pins, in a virtualenv of their own (never the project's).
TOOLS ?= .venv-tools
UV_VERSION := 0.13.10
PIP_AUDIT_VERSION := 2.10.1
# The Python the pins are resolved for (production's and CI's); a package's choice of version can depend on it.
REQUIREMENTS_PYTHON := 3.11.7

.PHONY: run test lint bench audit requirements install install-dev system-packages messages migrate seed clean

# pip as pinned here: older ones (23.x in Python 3.11's venv) lose a pin when a dependency asks for it with an
# extra (weasyprint's fonttools[woff]) and then refuse the hashed install.
PIP_VERSION := 26.3

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip==$(PIP_VERSION)

# What production runs, exactly as pinned and hashed (requirements.txt, compiled from requirements.in).
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

# And the test, benchmark and lint tools (requirements-dev.txt), for make test, lint and bench.
$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed system-packages

install-dev: $(VENV)/.installed-dev system-packages

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

test: install-dev messages node_modules/.installed
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports  # the layer contract in pyproject.toml (docs/ARCHITECTURE.md)

bench: install-dev
	$(BIN)/pytest tests/bench -p no:cacheprovider --benchmark-only -o addopts=""

# --- the pins ---------------------------------------------------------------------------------------------

$(TOOLS)/.installed:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION) pip-audit==$(PIP_AUDIT_VERSION)
	touch $@

# requirements.txt and requirements-dev.txt from the .in files, with every file's hash. Versions already
# pinned are kept unless an .in file asks otherwise; UPGRADE="pkg other" moves just those to their newest.
requirements: $(TOOLS)/.installed
	$(TOOLS)/bin/uv pip compile --quiet --generate-hashes --python-version $(REQUIREMENTS_PYTHON) \
		$(foreach package,$(UPGRADE),--upgrade-package $(package)) requirements.in -o requirements.txt
	$(TOOLS)/bin/uv pip compile --quiet --generate-hashes --python-version $(REQUIREMENTS_PYTHON) \
		$(foreach package,$(UPGRADE),--upgrade-package $(package)) requirements-dev.in -o requirements-dev.txt

# The pinned set against the known advisories (PyPI's vulnerability data; AUDIT_SERVICE=osv for OSV's).
# --strict: a package that could not be checked fails the audit rather than passing unchecked.
AUDIT_SERVICE ?= pypi
audit: $(TOOLS)/.installed
	$(TOOLS)/bin/pip-audit --strict --disable-pip --vulnerability-service $(AUDIT_SERVICE) \
		-r requirements.txt -r requirements-dev.txt

clean:
	rm -rf $(VENV) $(TOOLS) db.sqlite3 media private staticfiles .pytest_cache
	rm -rf node_modules
	find locale -name '*.mo' -delete
