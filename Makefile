# Madoguchi: every install step lives here, so a fresh clone needs only `make run` / `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
PLATFORM ?= kyoso-front

.PHONY: run install test lint pytest bench eval eval-desk eval-desk-blind eval-staff ingest clean browser
BROWSER_PACKAGES := chromium fonts-ipafont-gothic

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

ingest: $(STAMP)
	$(BIN)/madoguchi knowledge ingest --all

run: ingest
	$(BIN)/madoguchi db upgrade
	@echo
	@echo "Sample platforms are loaded. Open the web chat at the URLs below (Ctrl-C stops the server)."
	@echo "Staff console: http://127.0.0.1:$(PORT)/staff after $(BIN)/madoguchi staff add NAME --platform $(PLATFORM)"
	@echo "Filed proposals: $(BIN)/madoguchi proposals list; terminal chat: $(BIN)/madoguchi chat --platform $(PLATFORM)"
	$(BIN)/madoguchi serve --host 127.0.0.1 --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check bot workflows knowledge storage tests
	$(BIN)/ruff format --check bot workflows knowledge storage tests
	$(BIN)/mypy

# Debian's chromium (and a Japanese font for readable screenshots) for the browser tests.
browser:
	@if dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing $(BROWSER_PACKAGES) for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null) \
	  || echo "WARNING: could not install $(BROWSER_PACKAGES): browser tests will be SKIPPED"; \
	else echo "WARNING: $(BROWSER_PACKAGES) missing and not root: browser tests will be SKIPPED"; fi

# Two workers (both cores): tests make their own databases, ports and data directories.
pytest: $(STAMP) browser
	$(BIN)/pytest -n 2

test: lint pytest

bench: $(STAMP)
	$(BIN)/python -m tests.bench.desk_bench
	$(BIN)/python -m tests.bench.webhook_bench
	BENCH_DATABASE_URL=$${DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
	  $(BIN)/python -m tests.bench.webhook_bench || echo "PostgreSQL webhook bench skipped (no database)"
	$(BIN)/python -m tests.bench.knowledge_bench
	$(BIN)/python -m tests.bench.regex_bench
	$(BIN)/python -m tests.bench.line_push_bench
	$(BIN)/python -m tests.bench.long_message_bench
	BENCH_DATABASE_URL=$${DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
	  $(BIN)/python -m tests.bench.long_message_bench || echo "PostgreSQL long-message bench skipped (no database)"
	BENCH_DATABASE_URL=$${DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
	  $(BIN)/python -m tests.bench.search_bench || echo "PostgreSQL search bench skipped (no database)"
	BENCH_DATABASE_URL=$${DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
	  $(BIN)/python -m tests.bench.scaled_bench || echo "PostgreSQL scaled bench (2 web + 2 workers) skipped (no database)"

eval-desk: $(STAMP)
	$(BIN)/python -m tests.bench.eval_desk

# The blind persona set (tests/personas_blind): written without reading the intake's code.
# A scripted staff week in headless Chromium: clicks and page loads per task (issue 13).
eval-staff: $(STAMP)
	$(BIN)/python -m tests.bench.eval_staff

eval-desk-blind: $(STAMP)
	$(BIN)/python -m tests.personas_blind.eval

eval: $(STAMP)
	$(BIN)/madoguchi knowledge eval --squad ../shared/data/jsquad/valid-v1.3.json

clean:
	rm -rf $(VENV) data .cache .pytest_cache .mypy_cache .ruff_cache
