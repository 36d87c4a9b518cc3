# Jisr Desktop — `make run` starts the program with demo data; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LOCALE := jisr_desktop/resources/locale

.PHONY: run test lint bench bundle translations compile-translations system-deps venv clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,hq]'
	touch $@

venv: $(STAMP)

system-deps:
	@scripts/system-deps.sh

compile-translations: $(STAMP)
	$(VENV)/bin/pybabel compile --use-fuzzy -d $(LOCALE) -D jisr --statistics 2>&1 | grep -v '^$$' || true
	$(VENV)/bin/pybabel compile -d jisr_hq/locale -D django 2>&1 | grep -v '^$$' || true
	@test -f $(LOCALE)/ar/LC_MESSAGES/jisr.mo || { echo "catalog compilation failed" >&2; exit 1; }
	@test -f jisr_hq/locale/ar/LC_MESSAGES/django.mo || { echo "HQ catalog compilation failed" >&2; exit 1; }

# Extract the program's strings and update the catalogs (then translate the new entries).
translations: $(STAMP)
	$(VENV)/bin/pybabel extract -k N_ -k translate -k translate_plural:1,2 -k _ \
	    --no-location --sort-output -o $(LOCALE)/jisr.pot jisr_desktop
	$(VENV)/bin/pybabel update -i $(LOCALE)/jisr.pot -d $(LOCALE) -D jisr --no-fuzzy-matching
	$(MAKE) compile-translations

run: $(STAMP) compile-translations
	$(PY) -m jisr_desktop demo --persons 2000 --seed 1 --if-empty
	$(PY) -m jisr_desktop

test: system-deps $(STAMP) compile-translations
	QT_QPA_PLATFORM=offscreen JISR_REQUIRE_PG=1 $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check jisr_desktop jisr_hq tests bench
	$(VENV)/bin/mypy

bench: $(STAMP) compile-translations
	@for b in bench/[a-z]*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

bundle: $(STAMP) compile-translations
	$(VENV)/bin/pyinstaller --noconfirm --clean build.spec

clean:
	rm -rf build dist .pytest_cache .mypy_cache
