# Byline: `make run` to try it, `make test` to check it. Both set up .venv themselves.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
SEED_CORPUS := Seed articles

.PHONY: run test serve lint format migrations-check pytest jstest browser-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamps make re-runs instant until a requirements file changes.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	DEBUG=1 $(MANAGE) migrate --no-input
	DEBUG=1 $(MANAGE) import_documents --corpus "$(SEED_CORPUS)" corpus/fixtures/seed
	DEBUG=1 $(MANAGE) ensure_local_admin
	DEBUG=1 $(MANAGE) runserver 127.0.0.1:8000

test: $(VENV)/.dev lint migrations-check pytest jstest

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(VENV)/.dev
	$(MANAGE) makemigrations --check --dry-run

pytest: $(VENV)/.dev
	$(BIN)/python -m pytest

jstest:
	node --test tests/js/

clean:
	rm -rf $(VENV) staticfiles tests/artifacts .pytest_cache .ruff_cache
