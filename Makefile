# ecociv — the two commands of the README are `make demo` and `make test`.
PYTHON ?= python3
PIP ?= $(PYTHON) -m pip
EXTRAS ?= dev,postgres,spark
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo test check lint bench clean

install:
	$(PIP) install --quiet -e ".[$(EXTRAS)]"

# Load the bundled sample (a fictional city, its plan, synthetic monitoring data) into an
# embedded SQLite database and serve the dashboard on $(HOST):$(PORT).
demo: install
	$(PYTHON) -m ecociv demo --host $(HOST) --port $(PORT)

# The whole test suite; pytest's "no tests collected" (exit 5) counts as a failure to run.
test: install
	$(PYTHON) scripts/run_tests.py

lint:
	$(PYTHON) -m ruff check src tests bench
	$(PYTHON) -m ruff format --check src tests bench

check: install lint
	$(PYTHON) -m mypy
	$(PYTHON) scripts/run_tests.py

bench: install
	$(PYTHON) bench/run_all.py

clean:
	rm -rf .pytest_cache build dist src/*.egg-info .ecociv-demo
