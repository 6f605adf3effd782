# The two commands that matter: `make run` and `make test`. Each sets itself up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat setup.cfg pyproject.toml | cksum | cut -d' ' -f1)
DEV_ENV := PORTAL_ENV=development
export FLASK_APP := portal

.PHONY: run test lint os-deps translations bench faults multihost clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

os-deps:
	@scripts/os-deps.sh

translations: $(STAMP)
	@$(BIN)/pybabel compile -d portal/translations

run: $(STAMP) os-deps translations
	$(DEV_ENV) $(BIN)/flask db upgrade
	$(DEV_ENV) $(BIN)/flask seed-demo --if-empty
	@# The job worker runs beside the web server on the embedded SQLite queue (docs/jobs.md)
	@# and stops with it.
	$(RUN_ENV) $(BIN)/huey_consumer portal.jobs.worker.huey --workers 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(BIN)/flask run --host 127.0.0.1 --port 5000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r portal -c pyproject.toml
	$(BIN)/mypy

# Lint and the whole suite on SQLite, the browser tests, the suite again on PostgreSQL when
# PORTAL_TEST_DATABASE_URL is set: each pass in TEST_WORKERS pytest-xdist processes (0: in this
# one), overlapped by scripts/test.sh so that both cores stay busy; docs/testing.md.
TEST_WORKERS ?= 2
test: $(STAMP) os-deps translations
	@# The statement tests read the PDFs back with poppler's pdftotext and pdftoppm.
	@scripts/os-deps.sh poppler-utils
	@TEST_WORKERS=$(TEST_WORKERS) scripts/test.sh

# National scale in PostgreSQL (PORTAL_BENCH_DATABASE_URL, dropped and recreated), served by
# gunicorn and loaded with wrk beside a bare Flask route; see docs/performance.md.
bench: $(STAMP) os-deps translations
	@scripts/os-deps.sh wrk
	$(BIN)/python -m bench $(BENCH_ARGS)

# Fault drills against gunicorn, PostgreSQL and Redis on this machine (docs/reliability.md).
# Stops and starts the local PostgreSQL cluster for 10 s: not while others use it.
faults: $(STAMP) os-deps translations
	@scripts/os-deps.sh redis-server
	$(BIN)/python -m bench.faults $(FAULTS_ARGS)

# Two gunicorn hosts behind HAProxy on this machine, sharing PostgreSQL and Redis; checks a
# session, the login throttle, a job and the figures across them and a rolling restart under
# load (docs/performance.md, "Two hosts").
multihost: $(STAMP) os-deps translations
	$(BIN)/python -m bench.multihost $(MULTIHOST_ARGS)

clean:
	rm -rf $(VENV) instance *.egg-info
