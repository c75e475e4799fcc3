# 守望 Shouwang — `make run` serves the demo, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-sqlite test-postgres install install-dev translations lint bench bench-web bench-coverage bench-load clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade --quiet pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

# Locust for the load test (bench/load.py); `make test` needs it for tests/test_bench_load.py.
$(VENV)/.installed-bench: requirements.txt requirements-bench.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $@

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations

# Compile the .po catalogues (kept in git) into .mo files (not kept).
translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile --use-fuzzy -d translations -f

run: install
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) content sync
	$(FLASK) demo load --if-empty
	DEMO_MODE=$${DEMO_MODE:-1} $(FLASK) run --host $(HOST) --port $(PORT)

test: install-dev $(VENV)/.installed-bench
	$(BIN)/ruff check .
	@echo "== tests on SQLite =="
	env -u TEST_DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== tests on PostgreSQL ($$TEST_DATABASE_URL) =="; \
		$(BIN)/python -m pytest $(PYTEST_ARGS); \
	fi

bench: install-dev
	$(BIN)/python bench/run.py

# The learner's pages under gunicorn against bare Flask, with wrk (apt-get install -y wrk).
bench-web: install-dev
	$(BIN)/python bench/web.py

# Coverage of a 1.5-million-student province (BENCH_DATABASE_URL for PostgreSQL).
bench-coverage: install-dev
	$(BIN)/python bench/coverage.py

# 200 signed-in learners for 60 s under gunicorn, with Locust (BENCH_DATABASE_URL for PostgreSQL).
bench-load: install-dev $(VENV)/.installed-bench
	$(BIN)/python bench/load.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) instance/app.db* .pytest_cache
