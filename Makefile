# insiden: two commands on a fresh machine: `make run`, then `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= ../shared/data
STAMP := $(VENV)/.installed

.PHONY: install run test eval eval-dev baseline train-id-ner train-causal train-linker schema bench clean

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
	$(BIN)/python -m pytest -q --model

schema: install
	$(BIN)/insiden schema -o schema/incident_report.schema.json

clean:
	rm -rf out build .pytest_cache .ruff_cache

eval: install
	$(BIN)/insiden evaluate corpora/gold/test --workdir out/eval-test -o out/eval-test/scores.json \
		--baseline corpora/baseline_test.json --markdown

eval-dev: install
	$(BIN)/insiden evaluate corpora/gold/dev --workdir out/eval-dev -o out/eval-dev/scores.json

baseline: install
	$(BIN)/insiden evaluate corpora/gold/test --workdir out/eval-test --write-baseline corpora/baseline_test.json

train-id-ner: install
	$(BIN)/python scripts/train_id_ner.py --data $(DATA) --output models/id_ner

train-causal: install
	$(BIN)/python scripts/train_causal.py --data $(DATA) --which all
	$(BIN)/python scripts/train_causal.py --data $(DATA) --which en --layers 6 --top-layers 6 --name causal_en_l6

train-linker: install
	$(BIN)/python scripts/train_chain_linker.py --gold corpora/gold/dev --output models/chain_linker

bench: install
	$(BIN)/python bench/throughput.py $(DATA)
