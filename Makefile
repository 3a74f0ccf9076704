# Two commands for a fresh machine with Python 3.11 and make:
#   make run    the embedded default: SQLite in ./data, the seed plan and demo people, then the web app
#               and the flows (dhrflow serve) until Ctrl-C
#   make test   every test (unit, SQLite, PostgreSQL at 127.0.0.1:5432, headless Chromium)
# Each bootstraps .venv from uv.lock on first use (uv itself is pinned there, with its hashes, and
# installed first); make test also installs the Debian packages the tests need when one is missing.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Prefect offline, and uv never fetches an interpreter: the venv is made with $(PYTHON).
export PREFECT_SERVER_ANALYTICS_ENABLED = false
export DO_NOT_TRACK = 1
export UV_PYTHON_DOWNLOADS = never

.PHONY: run test lint bench format clean faults system-packages

# uv comes from the registry with the hashes uv.lock holds for it; then uv installs exactly the lock,
# once it has checked (offline) that the lock still matches pyproject.toml.
$(STAMP): pyproject.toml uv.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) \
		|| { rm -rf $(VENV); echo "make: $(PYTHON) cannot make a virtual environment (on Debian: apt-get install python3.11-venv)" >&2; exit 1; }
	test -x $(BIN)/uv || { $(BIN)/python -c 'import tomllib; p = next(p for p in tomllib.load(open("uv.lock", "rb"))["package"] if p["name"] == "uv"); print("uv==" + p["version"], *("--hash=" + w["hash"] for w in p["wheels"]))' > $(VENV)/uv-requirement.txt \
		&& $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r $(VENV)/uv-requirement.txt; }
	@out=$$(UV_OFFLINE=1 $(BIN)/uv lock --check 2>&1) || { case "$$out" in \
		*"needs to be updated"*) echo "make: uv.lock does not match pyproject.toml: run $(BIN)/uv lock, then commit uv.lock" ;; \
		*) echo "make: uv lock --check failed: $$(echo "$$out" | grep -m1 -i error || echo "$$out" | tail -n1)" ;; esac >&2; exit 1; }
	$(BIN)/uv sync --quiet --locked --compile-bytecode --extra dev --python $(BIN)/python
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/dhrflow serve --demo

# The Debian packages the tests need beyond Python, installed once when missing: Chromium for the
# browser tests (DHRFLOW_SKIP_BROWSER=1 opts out of those tests, and of installing it), and the DejaVu
# Sans faces the PDFs embed (regular and bold in fonts-dejavu-core, oblique in fonts-dejavu-extra).
# The PostgreSQL server at 127.0.0.1:5432 is the machine's, not installed here.
FONTS := /usr/share/fonts/truetype/dejavu
system-packages:
	@missing=""; \
	if [ "$${DHRFLOW_SKIP_BROWSER:-}" != 1 ] && ! command -v chromium >/dev/null; then missing=" chromium"; fi; \
	if [ ! -f $(FONTS)/DejaVuSans.ttf ] || [ ! -f $(FONTS)/DejaVuSans-Bold.ttf ]; then missing="$$missing fonts-dejavu-core"; fi; \
	if [ ! -f $(FONTS)/DejaVuSans-Oblique.ttf ]; then missing="$$missing fonts-dejavu-extra"; fi; \
	if [ -n "$$missing" ]; then \
		command -v apt-get >/dev/null || { echo "make: the tests need Debian's$$missing and this machine has no apt-get: install them by hand" >&2; exit 1; }; \
		if [ "$$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; \
		else case "$$missing" in *chromium*) skip=", or set DHRFLOW_SKIP_BROWSER=1 to skip the browser tests";; *) skip="";; esac; \
			echo "make: the tests need Debian's$$missing: install as root (apt-get install$$missing)$$skip" >&2; exit 1; fi; \
		echo "installing Debian's$$missing"; \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null 2>&1 \
		|| { $$sudo apt-get update -q >/dev/null 2>&1 && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; } \
		|| { echo "make: could not install Debian's$$missing (apt-get install$$missing failed)" >&2; exit 1; }; \
	fi

# Branch coverage of the product packages, subprocesses included, held to [tool.coverage.report] fail_under
# (the settings are [tool.coverage.*] in pyproject.toml); a run of some tests alone is not measured.
test: $(STAMP) system-packages
	$(BIN)/pytest -q -n 2 --dist loadgroup --cov --cov-report=term:skip-covered

# The fault suite at full size (100 trials per crash scenario): prints one table of what was lost,
# duplicated, crashed or half-written, per scenario and database. `make test` runs it with 2 trials.
FAULT_TRIALS ?= 100
FAULT_EXAMPLES ?= 1000
faults: $(STAMP)
	rm -f .fault-report.json .fault-report.json.lock
	DHRFLOW_FAULT_TRIALS=$(FAULT_TRIALS) DHRFLOW_FAULT_EXAMPLES=$(FAULT_EXAMPLES) \
		DHRFLOW_FAULT_REPORT=$(CURDIR)/.fault-report.json $(BIN)/pytest -q -p no:cacheprovider tests/faults; \
		status=$$?; $(BIN)/python -m tests.faults.tally .fault-report.json; exit $$status

# lint-imports holds the code to STYLE.md's dependency rules: the contracts are [tool.importlinter] in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/mypy tests/unit/fakes tests/unit/workflows  # the fakes hold to workflows.ports: mypy's packages leave tests out
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python -m bench

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache .import_linter_cache .coverage .coverage.* \
		.fault-report.json .fault-report.json.lock
