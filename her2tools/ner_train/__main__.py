"""python -m her2tools.ner_train {convert,train,evaluate,package,all} [--corpus bc5cdr|bionlp13cg|both]

    convert   IOB -> ner/corpus/<corpus>/{train,devel,test}.spacy + ner/alignment_<corpus>.json
    train     spaCy config training (ner/configs/ner.cfg) -> ner/training/<corpus>/<run>/model-best
    evaluate  test (and devel) split, spaCy's scorer -> ner/metrics.json
    package   spacy package -> models/en_her2_ner_<corpus>-<version>-py3-none-any.whl and models/en_her2_ner_<corpus>/
    pretrain  `spacy pretrain` of the tok2vec on the train+devel text of both corpora
    lexicon   devel F1 of model-best ensembled with a lexicon of the training annotations (experiment E9)
    vote-grid majority votes over the runs of --members (every subset, every threshold) on devel
              and test from one tagging per run; prints the best on devel (experiment E10)
    ensemble  the vote of --members (best first) at --min-votes as one pipeline, evaluated and
              packaged as en_her2_ner_<corpus>_ens (component code included in the wheel)
    all       convert, pretrain (once, shared by both corpora; skip with --no-pretrain or
              --init-tok2vec), train, evaluate, package, timing each step (into ner/metrics.json)

Examples:
    python -m her2tools.ner_train all --corpus both --max-seconds 2250
    python -m her2tools.ner_train all --corpus bc5cdr --limit 200 --max-steps 20 --no-record   # smoke run
    python -m her2tools.ner_train train --corpus bc5cdr --run E1 --set components.tok2vec.model.encode.width=96
    python -m her2tools.ner_train ensemble --corpus bc5cdr --members main_trf,T2,main --min-votes 2
"""
from __future__ import annotations

import argparse
import os
import sys
import time


def _set_threads(n: int) -> None:
    # before numpy / thinc are imported
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
        os.environ[var] = str(n)


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m her2tools.ner_train", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["convert", "pretrain", "train", "evaluate", "package", "all", "report", "lexicon",
                                        "vote-grid", "ensemble"])
    p.add_argument("--pretrain-epochs", type=int, default=3, help="epochs of `spacy pretrain` (pretrain and all)")
    p.add_argument("--no-pretrain", action="store_true", help="all: train without a pretrained tok2vec")
    p.add_argument("--resume-from", default=None,
                   help="train: start from this trained pipeline's components (a second training cycle); "
                        "{corpus} is replaced by the corpus key")
    p.add_argument("--train-splits", default="train",
                   help="train: comma-separated splits to train on (train,devel for a final model; "
                        "devel scores are then not held out: fix --max-steps and evaluate model-last)")
    p.add_argument("--use-last", action="store_true",
                   help="evaluate/package model-last instead of model-best (with --train-splits train,devel)")
    p.add_argument("--init-tok2vec", default=None, help="pretrained tok2vec weights (.bin) to start training from")
    p.add_argument("--members", default="",
                   help="vote-grid/ensemble: comma-separated training runs of the corpus, best first "
                        "(ner/training/<corpus>/<run>/model-best)")
    p.add_argument("--min-votes", type=int, default=2, help="ensemble: votes a span needs")
    p.add_argument("--max-members", type=int, default=3,
                   help="vote-grid: choose among votes of at most N members (inference time grows with "
                        "each member; larger votes are still scored and recorded; 0 = no limit)")
    p.add_argument("--corpus", default="both", choices=["bc5cdr", "bionlp13cg", "both"])
    p.add_argument("--limit", type=int, default=0, help="first N sentences of each split (0 = all)")
    p.add_argument("--max-seconds", type=float, default=2250, help="training wall-clock budget (0 = none)")
    p.add_argument("--max-steps", type=int, default=None, help="override training.max_steps")
    p.add_argument("--config", default=None, help="training config (default ner/configs/ner.cfg)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="config override, e.g. components.tok2vec.model.encode.width=96 (repeatable)")
    p.add_argument("--run", default="main", help="training run name (ner/training/<corpus>/<run>)")
    p.add_argument("--note", default="", help="description of an experiment run (recorded in metrics)")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--version", default="0.1.0", help="package version")
    p.add_argument("--out", default=None, help="root for build products (default: the project)")
    p.add_argument("--no-record", action="store_true", help="do not write ner/metrics.json")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    a = _args(argv)
    _set_threads(a.threads)

    import json
    from pathlib import Path

    from her2tools import ner_train as nt
    from her2tools.ner_train.convert import convert_corpus
    from her2tools.ner_train.evaluate import evaluate_model
    from her2tools.ner_train.metrics import update_metrics
    from her2tools.ner_train.package import package_model
    from her2tools.ner_train.train import DEFAULT_CONFIG, parse_overrides, train_model

    root = Path(a.out).resolve() if a.out else nt.PROJECT_ROOT
    corpus_dir, training_dir = root / "ner" / "corpus", root / "ner" / "training"
    packages_dir, models_dir = root / "ner" / "packages", root / "models"
    report_dir = root / "ner"
    metrics_path = nt.METRICS_FILE if not a.out else root / "ner" / "metrics.json"
    config = Path(a.config) if a.config else DEFAULT_CONFIG
    overrides = parse_overrides(a.overrides)
    # the transformer variant (ner/configs/ner_trf.cfg) has its own run directory, metrics
    # entry and package name (<corpus>_trf, en_her2_ner_<corpus>_trf); it has no tok2vec to pretrain
    ens = a.command in ("vote-grid", "ensemble")
    trf = a.command != "report" and not ens and nt.uses_transformer(config)
    suffix = nt.TRF_SUFFIX if trf else nt.ENS_SUFFIX if ens else ""
    if (trf or ens) and a.run == "main":
        a.run = "main" + suffix
    experiment = a.run != "main" + suffix
    record = not a.no_record
    if a.init_tok2vec:
        overrides["paths.init_tok2vec"] = str(Path(a.init_tok2vec).resolve())
    if a.command == "report":
        from her2tools.ner_train.report import update_readme

        update_readme()
        return 0
    def data_dir(key: str) -> Path:
        return corpus_dir / (key if not a.limit else f"{key}-limit{a.limit}")

    def pretrain(corpus: str, run: str) -> dict:
        """spacy pretrain on the train+devel text of the corpora (converted beforehand)."""
        from her2tools.ner_train.pretrain import pretrain_tok2vec, write_raw_text

        pkeys = ["bc5cdr", "bionlp13cg"] if corpus == "both" else [corpus]
        raw = corpus_dir / f"raw_text_{corpus}{'' if not a.limit else f'-limit{a.limit}'}.jsonl"
        words = write_raw_text([data_dir(k) for k in pkeys], raw)
        out = training_dir / "pretrain" / f"{corpus}-{run}{'' if not a.limit else f'-limit{a.limit}'}"
        info = pretrain_tok2vec(raw, out, config_path=config, max_epochs=a.pretrain_epochs, overrides=overrides)
        info.update({"raw_text_words": words, "corpora": pkeys, "tok2vec_overrides":
                     {k: v for k, v in overrides.items() if k.startswith("components.tok2vec")}})
        print(json.dumps(info), flush=True)
        if record and not a.limit:
            for k in pkeys:
                update_metrics(k, {f"{corpus}-{run}": info}, path=metrics_path, section="pretraining")
        return info

    if a.command == "pretrain":
        pretrain(a.corpus, a.run)
        return 0
    keys = ["bc5cdr", "bionlp13cg"] if a.corpus == "both" else [a.corpus]
    if a.command == "lexicon":
        # ensembling with a lexicon of the training annotations, measured on devel (experiment E9)
        from her2tools.ner_train.lexicon import ensemble_grid

        for key in keys:
            res = ensemble_grid(training_dir / key / a.run / "model-best", data_dir(key))
            print(json.dumps(res))
            if record:
                best = max(res["with_lexicon"], key=lambda r: r["f"])
                update_metrics(key + suffix, {"lexicon_ensemble": res}, path=metrics_path)
                update_metrics(key + suffix, {"E9": {
                    "note": f"model-best + entity_ruler of training-set entity strings (not overwriting the model); "
                            f"best devel F1 of a min_count/min_precision grid: {best['f']} "
                            f"(min_count {best['min_count']}, min_precision {best['min_precision']}) "
                            f"vs model alone {res['model_alone']['f']}",
                    "dev_f": best["f"], "model_alone_dev_f": res["model_alone"]["f"]}},
                    path=metrics_path, section="experiments")
        return 0

    members = [m for m in a.members.split(",") if m]
    if ens and len(members) < 2:
        print("error: --members needs at least two training runs, e.g. --members main_trf,T2,main", file=sys.stderr)
        return 2
    if a.command == "vote-grid":
        # every subset of the runs and every vote threshold, chosen on devel (experiment E10)
        from her2tools.ner_train.ensemble import best_on, grid_of_runs

        for key in keys:
            grid = grid_of_runs({m: training_dir / key / m / "model-best" for m in members},
                                {s: data_dir(key) / f"{s}.spacy" for s in ("devel", "test")})
            best = best_on(grid["rows"], "devel", a.max_members)
            print(json.dumps({"members_alone": grid["members_alone"], "best_on_devel": best}))
            if record:
                update_metrics(key + suffix, {"vote_grid": {**grid, "max_members": a.max_members,
                                                            "best_on_devel": best}}, path=metrics_path)
                update_metrics(key + suffix, {"E10": {
                    "note": f"majority vote (at least {best['min_votes']} of {len(best['members'])}) of "
                            f"{', '.join(best['members'])}: the best devel F1 of the member subsets "
                            f"(at most {a.max_members or len(members)} members) x thresholds over the runs "
                            f"{', '.join(members)}",
                    "dev_f": best["devel"]["f"], "test_p": best["test"]["p"], "test_r": best["test"]["r"],
                    "test_f": best["test"]["f"]}}, path=metrics_path, section="experiments")
        return 0

    def rec(key: str, values: dict, section: str | None = None) -> None:
        if record:
            update_metrics(key + suffix, values, path=metrics_path, section=section)

    steps = (["convert", "train", "evaluate", "package"] if a.command == "all"
             else ["build", "evaluate", "package"] if a.command == "ensemble" else [a.command])
    if experiment and a.command == "all":
        steps.remove("package")   # experiment runs are measured, not shipped

    def run_step(key: str, step: str) -> int:
        spec = nt.CORPORA[key]
        data = data_dir(key)
        run_dir = training_dir / key / a.run
        model_best = run_dir / ("model-last" if a.use_last else "model-best")
        rec(key, {"scispacy_model": spec.scispacy_model, "scispacy_test_f1": spec.scispacy_test_f1})
        t0 = time.monotonic()
        print(f"=== {key}: {step}", flush=True)
        if step == "convert":
            if not spec.source_dir.exists():
                print(f"error: {spec.source_dir} not found (../shared/datasets/ner beside the project)", file=sys.stderr)
                return 2
            report = convert_corpus(
                spec.source_dir, data, limit=a.limit, also_report_natural=True,
                report_path=report_dir / f"alignment_{key}{'' if not a.limit else f'-limit{a.limit}'}.json",
            )
            summary = {s: {k: v for k, v in d.items() if k != "examples"} for s, d in report["splits"].items()}
            print(json.dumps(summary))
            if not a.limit:
                rec(key, {"splits": summary, "misaligned_total": report["misaligned_total"],
                          "natural_spacing_misaligned_total":
                              report.get("natural_spacing_for_comparison", {}).get("misaligned_total")},
                    section="conversion")
        elif step == "train":
            result = train_model(data, run_dir, config_path=config, max_seconds=a.max_seconds,
                                 max_steps=a.max_steps, overrides=overrides,
                                 resume_from=Path(a.resume_from.format(corpus=key)) if a.resume_from else None,
                                 train_splits=tuple(a.train_splits.split(",")))
            print(json.dumps({k: v for k, v in result.items() if k != "curve"}))
            if experiment:
                rec(key, {a.run: {"note": a.note, **result}}, section="experiments")
            elif not a.limit:
                rec(key, result, section="training")
        elif step == "build":
            import shutil

            from pipeline.ner_vote import build_vote_pipeline

            nlp = build_vote_pipeline([training_dir / key / m / "model-best" for m in members], a.min_votes,
                                      names=members)
            if model_best.exists():
                shutil.rmtree(model_best)            # no member left over from an earlier build
            model_best.parent.mkdir(parents=True, exist_ok=True)
            nlp.to_disk(model_best)
            rec(key, {"ensemble": {"members": members, "min_votes": a.min_votes,
                                   "model": str(model_best.relative_to(root))}})
        elif step == "evaluate":
            test = evaluate_model(model_best, data / "test.spacy")
            dev = evaluate_model(model_best, data / "devel.spacy")
            print(json.dumps({"test": {k: test[k] for k in "prf"}, "dev": {k: dev[k] for k in "prf"}}))
            if experiment:
                rec(key, {a.run: {"note": a.note, "test_f": test["f"], "test_p": test["p"],
                                  "test_r": test["r"], "dev_f": dev["f"]}}, section="experiments")
                # merge rather than overwrite the training summary of the run
            elif not a.limit:
                rec(key, {"test": test, "dev": {k: dev[k] for k in ("p", "r", "f")},
                          "delta_vs_scispacy_f1": round(test["f"] - spec.scispacy_test_f1, 2)})
        elif step == "package":
            info = package_model(model_best, packages_dir, models_dir, spec.package_name + suffix, a.version,
                                 description=f"NER trained on {spec.folder} (same corpus as scispaCy's {spec.scispacy_model})",
                                 license=spec.data_license,
                                 code_paths=[nt.VOTE_CODE] if ens else ())
            print(json.dumps(info))
            if not a.limit and not experiment:
                rec(key, info, section="package")
        seconds = round(time.monotonic() - t0, 1)
        print(f"=== {key}: {step} took {seconds} s", flush=True)
        if not a.limit and not experiment:
            rec(key, {step: seconds}, section="timings_seconds")
        return 0

    if a.command == "all" and not experiment and not trf and not a.no_pretrain and not a.init_tok2vec:
        # the tok2vec is pretrained once, on the train+devel text of both corpora, before either is trained
        steps.remove("convert")
        for key in keys:
            code = run_step(key, "convert")
            if code:
                return code
        for key, spec in nt.CORPORA.items():
            if key not in keys and not (data_dir(key) / "train.spacy").exists():
                convert_corpus(spec.source_dir, data_dir(key), limit=a.limit)
        t0 = time.monotonic()
        print("=== both corpora: pretrain", flush=True)
        info = pretrain("both", a.run)
        if not info.get("weights"):
            print("error: spacy pretrain wrote no weights", file=sys.stderr)
            return 3
        overrides["paths.init_tok2vec"] = str(Path(info["weights"]).resolve())
        seconds = round(time.monotonic() - t0, 1)
        print(f"=== both corpora: pretrain took {seconds} s", flush=True)
        if not a.limit:
            for key in keys:
                rec(key, {"pretrain": seconds}, section="timings_seconds")
    for key in keys:
        for step in steps:
            code = run_step(key, step)
            if code:
                return code
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
