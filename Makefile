# Jisr Desktop — `make run` starts the program with demo data; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LOCALE := jisr_desktop/resources/locale
LOCK := requirements/dev.txt
# The bundle is built in a venv of its own holding only the desktop's locked dependencies.
BUNDLE_VENV := build/venv-bundle
BUNDLE_LOCK := requirements/bundle.txt
BUNDLE_STAMP := $(BUNDLE_VENV)/.installed

.PHONY: run test lint bench bundle lock translations compile-translations system-deps venv clean

# Every dependency comes pinned and hash-checked from the lock (requirements/*.txt, `make lock`),
# then the project itself, editable and without dependencies (built with the lock's setuptools
# and Babel: no download at build time).
$(STAMP): pyproject.toml setup.py $(LOCK)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

venv: $(STAMP)

system-deps:
	@PYTHON=$(PYTHON) scripts/system-deps.sh

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
	$(VENV)/bin/ruff check jisr_desktop jisr_hq jisr_protocol tests bench setup.py
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache --no-logo

bench: $(STAMP) compile-translations
	@for b in bench/[a-z]*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

$(BUNDLE_STAMP): pyproject.toml setup.py $(BUNDLE_LOCK)
	test -x $(BUNDLE_VENV)/bin/python || $(PYTHON) -m venv $(BUNDLE_VENV)
	$(BUNDLE_VENV)/bin/python -m pip install --quiet --require-hashes --no-deps -r $(BUNDLE_LOCK)
	$(BUNDLE_VENV)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# build.spec compiles the catalogs itself (into build/, the source tree is left alone).
bundle: $(BUNDLE_STAMP)
	$(BUNDLE_VENV)/bin/pyinstaller --noconfirm --clean build.spec

# Re-pin every lock from pyproject.toml (the versions pinned now are kept unless
# `make lock UPGRADE=1`). One universal resolution for Python 3.11-3.13 on Linux, Windows
# and macOS, with the hashes of every file of each pinned version; bundle.txt and hq.txt are
# subsets of dev.txt (same versions).
UV_COMPILE = $(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)
lock: $(STAMP)
	$(UV_COMPILE) pyproject.toml requirements/build.in --extra dev --extra hq --extra desktop \
	    -o requirements/dev.txt
	$(UV_COMPILE) pyproject.toml requirements/build.in requirements/bundle.in --extra desktop \
	    -c requirements/dev.txt -o requirements/bundle.txt
	$(UV_COMPILE) pyproject.toml --extra hq -c requirements/dev.txt -o requirements/hq.txt

clean:
	rm -rf build dist .pytest_cache .mypy_cache
