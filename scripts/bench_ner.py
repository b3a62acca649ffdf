"""Words per second of the trained NER pipelines on the corpus documents.

    .venv/bin/python scripts/bench_ner.py                       # every packaged model under models/
    .venv/bin/python scripts/bench_ner.py --model en_her2_ner_bc5cdr --repeat 5 --record

Each document in corpus/*.txt is split into paragraphs (blank-line separated),
as pipeline/nlp.py feeds them, and run through `nlp.pipe`. Words = non-space
tokens of scispaCy's tokenizer. One warm-up pass, then the best of --repeat
passes is reported (the machine is shared). --record writes the figures to
ner/metrics.json under "<corpus>.speed".
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# metrics key -> packaged model; the _trf (transformer) and _ens (majority vote) ones are
# benchmarked when built (make models-trf, make models-ens)
DEFAULT_MODELS = {k + s: f"models/en_her2_ner_{k}{s}" for k in ("bc5cdr", "bionlp13cg") for s in ("", "_trf", "_ens")}


def paragraphs(corpus: Path) -> list[str]:
    out: list[str] = []
    for p in sorted(corpus.glob("*.txt")):
        text = p.read_text(encoding="utf-8", errors="replace")
        out.extend(par.strip() for par in text.split("\n\n") if par.strip())
    return out


def bench(model: str, paras: list[str], repeat: int, batch_size: int) -> dict:
    import spacy

    path = ROOT / model if (ROOT / model).exists() else model
    nlp = spacy.load(path)
    words = sum(1 for d in nlp.tokenizer.pipe(paras) for t in d if not t.is_space)
    ents = sum(len(d.ents) for d in nlp.pipe(paras, batch_size=batch_size))   # warm-up
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _doc in nlp.pipe(paras, batch_size=batch_size):
            pass
        runs.append(time.perf_counter() - t0)
    best = min(runs)
    return {
        "model": str(model), "paragraphs": len(paras), "words": words, "entities": ents,
        "seconds_best": round(best, 3), "seconds_all": [round(r, 3) for r in runs],
        "words_per_second": round(words / best), "threads": int(os.environ.get("OMP_NUM_THREADS", "0") or 0),
        "batch_size": batch_size, "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)",
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", action="append", help="package name or path (repeatable); default: both models/")
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--record", action="store_true", help="write figures into ner/metrics.json")
    a = ap.parse_args(argv)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
        os.environ[var] = str(a.threads)
    sys.path.insert(0, str(ROOT))
    paras = paragraphs(Path(a.corpus))
    if not paras:
        print(f"no .txt documents in {a.corpus}", file=sys.stderr)
        return 2
    targets = ([(None, m) for m in a.model] if a.model
               else [(k, m) for k, m in DEFAULT_MODELS.items() if (ROOT / m).exists()])
    for key, model in targets:
        r = bench(model, paras, a.repeat, a.batch_size)
        print(f"{r['model']}: {r['words']} words in {r['paragraphs']} paragraphs, "
              f"best of {a.repeat}: {r['seconds_best']} s = {r['words_per_second']} words/s "
              f"({r['entities']} entities)")
        if a.record:
            from her2tools.ner_train.metrics import update_metrics

            if key is None:
                name = Path(str(model)).name
                key = next((k for k in DEFAULT_MODELS if name == f"en_her2_ner_{k}"), name)
            update_metrics(key, r, section="speed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
