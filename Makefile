# Two set-up commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test venv models bench clean-venv

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

## run the main job on corpus/ into extracted/
run: $(STAMP)
	$(BIN)/python -m pipeline run --corpus corpus --out extracted

## the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest -q -rs

## train and package the NER models (long; outside CI)
models: $(STAMP)
	$(BIN)/python -m pipeline.ner_train all

bench: $(STAMP)
	$(BIN)/python scripts/bench_nlp.py

clean-venv:
	rm -rf $(VENV)
