# Two commands for a fresh machine with Python 3.11 and make:
#   make run    the embedded default: SQLite in ./data, the seed plan and demo people, then the web app
#               and the flows (dhrflow serve) until Ctrl-C
#   make test   every test (unit, SQLite, PostgreSQL at 127.0.0.1:5432)
# Each bootstraps .venv from pyproject.toml and requirements.lock on first use.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench format clean faults

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/dhrflow demo
	$(BIN)/dhrflow serve

test: $(STAMP)
	PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1 $(BIN)/pytest -q

# The fault suite at full size (100 trials per crash scenario): prints one table of what was lost,
# duplicated, crashed or half-written, per scenario and database. `make test` runs it with 2 trials.
FAULT_TRIALS ?= 100
FAULT_EXAMPLES ?= 1000
faults: $(STAMP)
	rm -f .fault-report.json
	PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1 DHRFLOW_FAULT_TRIALS=$(FAULT_TRIALS) DHRFLOW_FAULT_EXAMPLES=$(FAULT_EXAMPLES) \
		DHRFLOW_FAULT_REPORT=$(CURDIR)/.fault-report.json $(BIN)/pytest -q -p no:cacheprovider tests/faults; \
		status=$$?; $(BIN)/python -m tests.faults.tally .fault-report.json; exit $$status

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache .fault-report.json
