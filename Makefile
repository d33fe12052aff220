# NHS Citizen: the two commands in the README are `make run` and `make test`.
# Everything else here is what those two are made of.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?= -n 2

.PHONY: run test test-only install install-python install-node chromium migrate seed lint lock clean bench

## make run: install everything, migrate, load reference and demo data, serve at http://127.0.0.1:8000
run: install migrate seed
	$(PY) manage.py run_site 127.0.0.1:8000

## make test: install everything and run the whole test suite
test: install chromium test-only

## make test-only: run the suite without installing (DATABASE_URL chooses the database)
test-only:
	NHS_CITIZEN_ENV=test $(PY) -m pytest $(PYTEST_ARGS)

install: install-python install-node

install-python: $(VENV)/.installed

$(VENV)/.installed: requirements/lock.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/lock.txt
	touch $@

install-node: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Browser tests drive Debian's chromium; browsers cannot be downloaded by Playwright here.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

migrate: install
	$(PY) manage.py migrate --no-input

seed: install
	$(PY) manage.py seed_demo_data

lint: install
	$(VENV)/bin/ruff check .

# Re-pin the Python dependencies after changing pyproject.toml.
lock: install-python
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
	  --extra dev -o requirements/lock.txt pyproject.toml

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules staticfiles
