# The two commands a newcomer needs (README.md). Both create .venv and install heard first.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
INSTALLED = $(VENV)/.installed

.PHONY: run test lint bench java chromium

# Serves the API on http://127.0.0.1:8000 (SQLite in heard-data/); the first run creates
# team "demo" and prints its API key (kept in heard-data/demo-api-key). Ctrl-C stops it.
run: $(INSTALLED)
	$(BIN)/heard serve

test: $(INSTALLED)
	$(BIN)/ruff check src tests training
	$(BIN)/ruff format --check src tests training
	$(BIN)/lint-imports
	$(BIN)/pytest

bench: $(INSTALLED)
	$(BIN)/heard bench emotions --data ../shared/data/goemotions --split dev
	$(BIN)/heard bench intensity --data ../shared/data/wassa2017 --split dev
	$(BIN)/heard bench levels
	$(BIN)/heard bench listen
	$(BIN)/heard bench real --data ../shared/data
	$(BIN)/heard bench upset --data ../shared/data
	$(BIN)/heard bench acts --data ../shared/data
	$(BIN)/heard bench rank --data ../shared/data
	$(BIN)/heard bench redact
	$(BIN)/heard bench review
	$(BIN)/heard bench speed
	$(BIN)/heard bench serve
	$(BIN)/heard bench import
	$(BIN)/heard bench themes --real ../shared/data
	$(BIN)/heard bench insights

# heard.spark's tests need Java 17+ (PySpark 4); install Debian's JRE when none is on the PATH.
java:
	@command -v java >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }
	@java -version 2>&1 | head -1

# The console's browser tests drive Debian's Chromium headless (Playwright with executable_path;
# no browser is downloaded). Install it when /usr/bin/chromium is missing.
chromium:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@/usr/bin/chromium --version 2>/dev/null

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "heard needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)

# Reinstall when the project's dependencies change.
$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@
