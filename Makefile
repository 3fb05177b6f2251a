# insiden: two commands on a fresh machine: `make run`, then `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= ../shared/data
STAMP := $(VENV)/.installed

.PHONY: install run test lint eval train-id-ner train-causal schema bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q "torch==2.13.0" -e ".[dev,transformers,dask,notebook]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/insiden extract corpora/samples -o out/reports.jsonl --summary

test: install
	$(BIN)/ruff check pipeline tests scripts bench
	$(BIN)/python -m pytest -q

schema: install
	$(BIN)/insiden schema -o schema/incident_report.schema.json

clean:
	rm -rf out build .pytest_cache .ruff_cache
