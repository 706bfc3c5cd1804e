# Madoguchi: every install step lives here, so a fresh clone needs only `make run` / `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: run install test lint pytest bench eval ingest clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

ingest: $(STAMP)
	$(BIN)/madoguchi knowledge ingest --all

run: ingest
	@echo
	@echo "Sample platforms are loaded. Try:"
	@echo "  $(BIN)/madoguchi knowledge search '参加の階層は？' --platform zerocarbon"
	@echo "  $(BIN)/madoguchi knowledge search 'What is not accepted?' --platform kyoso-front"

lint: $(STAMP)
	$(BIN)/ruff check bot workflows knowledge storage tests
	$(BIN)/ruff format --check bot workflows knowledge storage tests
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

test: lint pytest

bench: $(STAMP)
	$(BIN)/python -m tests.bench.knowledge_bench

eval: $(STAMP)
	$(BIN)/madoguchi knowledge eval --squad ../shared/data/jsquad/valid-v1.3.json

clean:
	rm -rf $(VENV) data .cache .pytest_cache .mypy_cache .ruff_cache
