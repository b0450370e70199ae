# Guichet Export — every command a developer or CI needs. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEV_ENV := GUICHET_SECRET_KEY=dev-secret-key-not-for-production-0123456789 GUICHET_STATIC_MANIFEST=0

.PHONY: install demo test check fmt bench lock serve worker migrate

install: $(VENV)/.installed

$(VENV)/.installed: requirements/dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	touch $@

demo: install
	PORT=$(PORT) scripts/demo.sh

test: install
	$(PY) scripts/run_tests.py

check: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/djlint --check guichet
	$(VENV)/bin/djlint --lint guichet
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

fmt: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/djlint --reformat guichet

bench: install
	$(DEV_ENV) DATABASE_URL=sqlite:///$(CURDIR)/var/bench.sqlite3 $(PY) bench/run.py

# Regenerate the hash-pinned lock files (uv writes no index host into them).
lock: install
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 --quiet -o requirements/base.txt
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 --quiet -o requirements/dev.txt

migrate: install
	$(PY) manage.py migrate

serve: install
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

worker: install
	$(PY) manage.py db_worker
