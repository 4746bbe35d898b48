# PostRx — the two commands: `make run` (app with demo data) and `make test` (whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# Exact versions (`make lock` regenerates it from pyproject.toml); every install takes them as
# constraints, so a fresh machine, CI and production run the versions the suite passed with.
LOCK   := requirements.lock

.PHONY: run test test-pg test-browser install install-dev system-deps lint format bench lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install -q -c $(LOCK) -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install -q -c $(LOCK) -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

system-deps:
	./scripts/install-system-deps.sh

run: install
	$(BIN)/postrx setup --demo
	@echo "PostRx is starting on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(BIN)/postrx run --host $(HOST) --port $(PORT)

# mypy reads its file list and strictness from [tool.mypy] in pyproject.toml.
test: install-dev system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

test-pg: install-dev system-deps
	./scripts/ensure-services.sh
	TEST_DATABASE_URL=$(PG_URL) POSTRX_REQUIRE_SERVICES=1 $(BIN)/pytest tests/app tests/pg -p no:cacheprovider

test-browser: install-dev system-deps
	POSTRX_REQUIRE_SERVICES=1 $(BIN)/pytest tests/browser -p no:cacheprovider

lint:
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

format:
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

bench: install-dev
	./scripts/install-system-deps.sh --bench
	$(BIN)/python -m pip install -q -c $(LOCK) -e '.[bench]'
	$(BIN)/python bench/grading.py
	$(BIN)/python bench/privacy.py
	$(BIN)/python bench/certificates.py
	./scripts/ensure-services.sh
	$(BIN)/python bench/reports.py

# After changing a dependency in pyproject.toml. Keeps existing pins; to move them:
# make lock LOCK_ARGS=--upgrade (or LOCK_ARGS='--upgrade-package NAME').
lock:
	PYTHON=$(PYTHON) ./scripts/lock.sh $(LOCK_ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
