# Deelkracht: set-up, demo, tests and checks. `make help` lists the targets.
#
# Every target first makes sure .venv exists and holds exactly the locked versions of the runtime
# and dev dependencies (requirements/dev.txt, with hashes) and the project itself; that step reruns
# only when the lock or pyproject.toml changed (the stamp file .venv/.installed), so it is fast
# after the first time. `make lock` updates the lock files from pyproject.toml.

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
# The lock files (pip-compile --generate-hashes): runtime.txt for the Docker image, dev.txt (the
# same versions plus the dev extra) for the demo, the tests and CI.
LOCK_DEV := requirements/dev.txt
LOCK_RUNTIME := requirements/runtime.txt
PIP_TOOLS ?= pip-tools==7.6.2
COMPILE_FLAGS := --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
	--no-emit-find-links --no-emit-trusted-host
# pytest-xdist processes for `make test` (auto: one per core, at most 4; 0 runs in one process).
TEST_WORKERS ?= auto

# Node tools the tests use, each a folder with a package-lock.json (installed with `npm ci`, exactly
# as locked, when npm is present; the tests that need them skip without, and fail under CI).
NODE_LOCKS := $(wildcard tools/*/package-lock.json tests/*/package-lock.json)
NODE_STAMPS := $(NODE_LOCKS:package-lock.json=node_modules/.installed)

PO := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: help venv node-tools demo test test-sqlite test-postgres lint format bench translations lock clean

help:
	@echo "make demo           set up .venv and serve the demo on http://$(HOST):$(PORT) (PORT=5055 for another port)"
	@echo "make test           the test suite on SQLite, then on PostgreSQL when it answers"
	@echo "make test-sqlite    the suite on SQLite only"
	@echo "make test-postgres  the suite on PostgreSQL only"
	@echo "make lint           ruff check, ruff format --check, hadolint, shellcheck"
	@echo "make format         ruff format and ruff check --fix"
	@echo "make bench          the benchmarks in bench/ (BENCH=bench/job_pages.py for one)"
	@echo "make translations   extract the messages and update and compile the catalogs"
	@echo "make lock           update requirements/*.txt (exact versions + hashes) from pyproject.toml"
	@echo "make clean          remove .venv and caches (the demo database in instance/ stays)"

venv: $(STAMP)

$(STAMP): pyproject.toml $(LOCK_DEV)
	@if [ -z "$(PYTHON)" ]; then echo "No python3 found: install Python 3.11 (apt-get install python3 python3-venv)." >&2; exit 1; fi
	@"$(PYTHON)" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Deelkracht needs Python 3.11 or newer; $(PYTHON) is $$("$(PYTHON)" -V 2>&1)." >&2; exit 1; }
	@if [ ! -x "$(PY)" ]; then \
		echo "Creating $(VENV) with $(PYTHON)"; \
		"$(PYTHON)" -m venv "$(VENV)" \
			|| { rm -rf "$(VENV)"; echo "python3 -m venv failed: on Debian install python3-venv (apt-get install python3-venv)." >&2; exit 1; }; \
	fi
	@echo "Installing the locked dependencies ($(LOCK_DEV)) and Deelkracht into $(VENV)"
	@# --no-compile: modules are compiled when first imported (a fresh venv in CI imports a part).
	$(PIP) install --quiet --no-compile --require-hashes --no-deps -r $(LOCK_DEV)
	$(PIP) install --quiet --no-deps -e .
	@# Anything installed by hand that the lock does not name goes, so the venv is the lock.
	@extra=$$($(PIP) freeze --exclude-editable | grep -v -i -E '^(pip|setuptools|wheel)==' \
		| cut -d= -f1 | tr 'A-Z_.' 'a-z--' | grep -v -x -F -f <(grep -E '^[a-zA-Z0-9]' $(LOCK_DEV) \
		| cut -d= -f1 | tr 'A-Z_.' 'a-z--') || true); \
	if [ -n "$$extra" ]; then echo "Removing packages the lock does not name: $$extra"; \
		$(PIP) uninstall --quiet -y $$extra; fi
	@touch "$@"

# Update the lock files from pyproject.toml (newest versions its ranges allow). The runtime lock
# takes the dev lock as constraints, so both hold the same versions. To move one package only:
# make lock COMPILE_ARGS="--upgrade-package babel"
COMPILE_ARGS ?= --upgrade
lock: $(STAMP)
	$(PIP) install --quiet $(PIP_TOOLS)
	$(BIN)/pip-compile $(COMPILE_FLAGS) $(COMPILE_ARGS) --extra dev -o $(LOCK_DEV) pyproject.toml
	$(BIN)/pip-compile $(COMPILE_FLAGS) -c $(LOCK_DEV) -o $(LOCK_RUNTIME) pyproject.toml
	@rm -f "$(STAMP)"
	@echo "Lock files updated; the next make target reinstalls .venv from them."

node-tools: $(NODE_STAMPS)

%/node_modules/.installed: %/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		echo "npm ci in $*"; \
		npm ci --prefix "$*" --prefer-offline --no-audit --no-fund --loglevel=error && touch "$@"; \
	else \
		echo "npm not found: the tests that need $* are skipped (apt-get install nodejs npm)."; \
	fi

# Compiled message catalogs, rebuilt when their .po changed.
%.mo: %.po | $(STAMP)
	$(BIN)/pybabel compile -i "$<" -o "$@"

# Creates or upgrades the embedded database, loads the demo (idempotent) and serves it.
demo: $(STAMP) $(MO)
	$(BIN)/deelkracht demo --host $(HOST) --port $(PORT)

test: $(STAMP) $(MO) $(NODE_STAMPS)
	PY=$(PY) TEST_WORKERS=$(TEST_WORKERS) scripts/run_tests.sh all $(PYTEST_ARGS)

test-sqlite: $(STAMP) $(MO) $(NODE_STAMPS)
	PY=$(PY) TEST_WORKERS=$(TEST_WORKERS) scripts/run_tests.sh sqlite $(PYTEST_ARGS)

test-postgres: $(STAMP) $(MO) $(NODE_STAMPS)
	PY=$(PY) TEST_WORKERS=$(TEST_WORKERS) scripts/run_tests.sh postgresql $(PYTEST_ARGS)

# Every check runs, even after one failed; any failure fails the target.
lint: $(STAMP)
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
