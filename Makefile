# Two commands for a fresh machine with only Python 3.11:
#   make demo   sets up .venv and runs the main job
#   make test   sets up .venv and runs ruff, mypy and the tests
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SAMPLE := sample_checklists/problem-week.json
OUT ?= build
PORT ?= 8000

.PHONY: setup demo demo-reset serve solve-demo test lint typecheck unit browser bench clean openapi-snapshot

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# the service end to end: a SQLite database in demo-data/, the packaged sample files imported,
# one week planned, published and printed with the visits saved. An existing demo-data/
# database is kept (with the work done in it since): `make demo-reset` builds it again.
demo: $(STAMP)
	$(BIN)/inspection demo --data-dir demo-data --week 2024-04-08

# delete demo-data/'s database and build the demo again (refused while a server runs on it)
demo-reset: $(STAMP)
	$(BIN)/inspection demo --reset --data-dir demo-data --week 2024-04-08

# the desk in a browser: the demo's database (built and its keys printed the first time only,
# kept on every later start), then the service at http://127.0.0.1:8000/ (sign in with the
# coordinator key; plan 2024-04-15 or re-plan 2024-04-08)
serve: demo
	INSPECTION_DATA_DIR=demo-data $(BIN)/inspection serve --host 127.0.0.1 --port $(PORT)

# the planning core alone, on an interchange-format problem
solve-demo: $(STAMP)
	mkdir -p $(OUT)
	$(BIN)/inspection solve $(SAMPLE) -o $(OUT)/solution-week.json --time-limit 10
	$(BIN)/inspection check $(SAMPLE) $(OUT)/solution-week.json

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# Debian's Chromium for the desk's browser tests (installed when missing; they never skip)
browser:
	scripts/ensure-chromium

unit: $(STAMP) browser
	$(BIN)/pytest -q

test: lint typecheck unit

clean:
	rm -rf $(VENV) $(OUT) demo-data .mypy_cache .ruff_cache .pytest_cache .hypothesis

# refresh the OpenAPI snapshot after a deliberate API change (then review and commit the diff)
openapi-snapshot: $(STAMP)
	$(BIN)/python -c "import sys; sys.path.insert(0, '.'); from tests.api.test_openapi import SNAPSHOT, current_document; SNAPSHOT.write_text(current_document(), encoding='utf-8')"
