"""Markdown tables from ner/metrics.json (pasted into ner/README.md between
<!-- metrics:begin --> and <!-- metrics:end --> by `python -m her2tools.ner_train report`)."""
from __future__ import annotations

import re
from pathlib import Path

from her2tools.ner_train import CORPORA, ENS_SUFFIX, METRICS_FILE, NER_DIR, TRF_SUFFIX
from her2tools.ner_train.metrics import read_metrics

BEGIN, END = "<!-- metrics:begin -->", "<!-- metrics:end -->"


def _f(x) -> str:
    return "—" if x is None else f"{x:.2f}"


VARIANTS = {"": "CNN tok2vec, pretrained on the corpora", TRF_SUFFIX: "MiniLM-L6 transformer",
            ENS_SUFFIX: "majority vote of trained models"}


def _entries(metrics: dict):
    """(metrics key, corpus spec, model name, variant label) for each trained variant."""
    for key, spec in CORPORA.items():
        for suffix, label in VARIANTS.items():
            if key + suffix in metrics:
                yield key + suffix, spec, spec.installed_name + suffix, label


def tables(metrics: dict) -> str:
    out = ["### Test set, entity level (spaCy scorer)", "",
           "| corpus | our model | architecture | P | R | F1 | scispaCy model | scispaCy F1 (published) | Δ F1 |",
           "| --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: |"]
    for key, spec, name, variant in _entries(metrics):
        m = metrics.get(key, {})
        t = m.get("test")
        if not t:
            continue
        if m.get("ensemble"):
            e = m["ensemble"]
            variant = (f"majority vote (at least {e['min_votes']} of {len(e['members'])}) of the runs "
                       f"{', '.join(e['members'])}")
        out.append(f"| {spec.folder} | {name} | {variant} | {_f(t['p'])} | {_f(t['r'])} | **{_f(t['f'])}** | "
                   f"{spec.scispacy_model} | {spec.scispacy_test_f1:.2f} | {t['f'] - spec.scispacy_test_f1:+.2f} |")
    for key, spec, name, _variant in _entries(metrics):
        t = metrics.get(key, {}).get("test")
        if not t:
            continue
        out += ["", f"#### Per label, {spec.folder} test, {name}", "", "| label | support | P | R | F1 |",
                "| --- | ---: | ---: | ---: | ---: |"]
        for label, s in sorted(t["per_label"].items(), key=lambda kv: -kv[1].get("support", 0)):
            out.append(f"| {label} | {s.get('support', 0)} | {_f(s.get('p'))} | {_f(s.get('r'))} | {_f(s.get('f'))} |")
    out += ["", "### Training runs and timings", "",
            "| model | steps | epochs | stopped by | best dev F1 | dev F1 (model-best) | convert s | pretrain s (shared) | train s | evaluate s | package s | words/s (corpus/*.txt) |",
            "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for key, spec, name, _variant in _entries(metrics):
        m = metrics.get(key, {})
        tr, ti, sp = m.get("training", {}), m.get("timings_seconds", {}), m.get("speed", {})
        if m.get("ensemble") and ti:
            # a vote is built from trained runs, not trained: its build time stands in the train column
            out.append(f"| {name} | — | — | vote of {', '.join(m['ensemble']['members'])} (built, not trained) | — | "
                       f"{_f(m.get('dev', {}).get('f'))} | — | — | {ti.get('build', '—')} | {ti.get('evaluate', '—')} | "
                       f"{ti.get('package', '—')} | {sp.get('words_per_second', '—')} |")
            continue
        if not tr:
            continue
        out.append(f"| {name} | {tr.get('steps')} | {tr.get('epochs')} | {tr.get('stopped_by')} | "
                   f"{_f(tr.get('best_dev_ents_f'))} | {_f(m.get('dev', {}).get('f'))} | {ti.get('convert', '—')} | "
                   f"{ti.get('pretrain', '—')} | {ti.get('train', '—')} | "
                   f"{ti.get('evaluate', '—')} | {ti.get('package', '—')} | {sp.get('words_per_second', '—')} |")
    for key, spec, _name, variant in _entries(metrics):
        exps = metrics.get(key, {}).get("experiments", {})
        if not exps:
            continue
        out += ["", f"### Experiment runs, {spec.folder}, {variant} (same data; each run's own wall-clock budget)", "",
                "| run | change | train s | steps | epochs | best dev F1 | test P | test R | test F1 |",
                "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for run, e in sorted(exps.items()):
            out.append(f"| {run} | {e.get('note', '')} | {e.get('seconds', '—')} | {e.get('steps', '—')} | "
                       f"{e.get('epochs', '—')} | {_f(e.get('best_dev_ents_f', e.get('dev_f')))} | {_f(e.get('test_p'))} | "
                       f"{_f(e.get('test_r'))} | {_f(e.get('test_f'))} |")
    return "\n".join(out)


def update_readme(readme: Path = NER_DIR / "README.md", metrics_path: Path = METRICS_FILE) -> None:
    text = readme.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{tables(read_metrics(metrics_path))}\n{END}"
    text = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), lambda _m: block, text, flags=re.S)
    readme.write_text(text, encoding="utf-8")
